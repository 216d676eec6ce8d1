/**
 * Whether `REPLICAOF <master>` on a node continues its history (partial
 * resync) or starts over (full), decided from the two nodes' INFO
 * replication the way Redis 7.0 decides it:
 *
 *  - the node asks `PSYNC <its replid> <its offset + 1>`. A replica asks with
 *    its master's id and its own offset; a master being demoted first
 *    synthesizes that cached master from its own replid and
 *    master_repl_offset (replication.c, replicationCacheMasterUsingMyself:
 *    "Before turning into a replica, using my own master parameters to
 *    synthesize a cached master");
 *  - the new master (masterTryPartialResynchronization) accepts its own
 *    replid at any offset, and its replid2 (the id it had before its own
 *    promotion) only up to second_repl_offset: history the asking node wrote
 *    after that point was never seen by the new master ("Requested offset for
 *    second ID was N, but I can reply up to M");
 *  - and the offset must lie inside its backlog, first byte to master offset
 *    ("Unable to partial resync with replica ... for lack of backlog").
 *
 * This is the prediction before the command; the verdict after it is the new
 * master's sync_full / sync_partial_ok counters (action-observer.ts).
 */
import type { ResyncPrediction } from '../../../shared/contract/actions';
import type { NodeSnapshot } from '../../../shared/contract/snapshots';

export interface RepointVerdict {
  readonly prediction: ResyncPrediction;
  /** Why, with the ids and offsets it was decided from. */
  readonly reason: string;
}

const short = (replid: string): string => `${replid.slice(0, 8)}…`;

export function repointVerdict(node: NodeSnapshot, master: NodeSnapshot): RepointVerdict {
  const offset = node.slaveReplOffset ?? node.masterReplOffset;
  if (node.replid === null || offset === null || master.replid === null) {
    return { prediction: 'unknown', reason: 'the ids or offsets of the two nodes could not be read' };
  }
  const psyncOffset = offset + 1;
  const asks = `${node.id} asks PSYNC ${short(node.replid)} ${psyncOffset}`;
  const asOwnId = node.replid === master.replid;
  const asReplid2 = !asOwnId && node.replid === master.replid2;
  if (!asOwnId && !asReplid2) {
    return { prediction: 'full', reason: `${asks}, an id ${master.id} has neither as its own (${short(master.replid)}) nor as replid2 (${master.replid2 === null ? 'none' : short(master.replid2)}): no shared history` };
  }
  if (asReplid2) {
    if (master.secondReplOffset === null) return { prediction: 'unknown', reason: `${asks}; ${master.id} knows that id as replid2 but its second_repl_offset could not be read` };
    if (psyncOffset > master.secondReplOffset) {
      const past = psyncOffset - master.secondReplOffset;
      return {
        prediction: 'full',
        reason: `${asks}, but ${master.id} shares that history only up to offset ${master.secondReplOffset} (second_repl_offset, where it was promoted): ${node.id} has ${past} byte${past === 1 ? '' : 's'} of writes past that point that ${master.id} never saw`,
      };
    }
  }
  const backlog = master.backlog;
  if (backlog === null || !backlog.active) return { prediction: 'full', reason: `${asks}; ${master.id} has no replication backlog to continue from` };
  if (psyncOffset < backlog.firstByteOffset || psyncOffset > backlog.masterOffset + 1) {
    return { prediction: 'full', reason: `${asks}, outside ${master.id}'s backlog (bytes ${backlog.firstByteOffset} to ${backlog.masterOffset})` };
  }
  const known = asOwnId ? 'its own replication id' : `its replid2, shared up to offset ${master.secondReplOffset ?? '?'} (second_repl_offset)`;
  return { prediction: 'partial', reason: `${asks}: ${master.id} knows that id as ${known}, and the offset is inside its backlog (bytes ${backlog.firstByteOffset} to ${backlog.masterOffset}), so it sends the ${backlog.masterOffset + 1 - psyncOffset} bytes past it` };
}
