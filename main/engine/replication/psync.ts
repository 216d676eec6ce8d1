/**
 * Master side of SYNC and PSYNC (syncCommand, masterTryPartialResynchronization).
 *
 * Checked in Redis's order:
 *  1. a client that already is a replica: ignored;
 *  2. we are a replica whose own link is not up: -NOMASTERLINK;
 *  3. replies still pending on the connection: -ERR;
 *  4. PSYNC offset not an integer: -ERR value is not an integer or out of range;
 *  5. try a partial resynchronization: accepted when the replica names our
 *     current replid, or our previous one (replid2) with an offset not beyond
 *     secondReplOffset, AND the offset it asks for is inside the backlog
 *     window [first byte, master offset + 1]. "?" asks for a full sync;
 *  6. otherwise a full resynchronization (sync_partial_err counts refused
 *     PSYNCs, except "?"; sync_full counts every full sync, SYNC included).
 *
 * The first replica ever creates the backlog with a brand-new replid and a
 * cleared replid2 (there is no valid past history to offer).
 */
import { error, NO_REPLY, type Reply } from '../resp/reply';
import { NOT_INTEGER } from '../resp/errors';
import { parseInt64 } from '../util/integers';
import type { PsyncDecisionReason } from '../../../shared/contract/engine-events';
import type { Client } from '../server/client';
import type { Replication } from './replication';
import { linkOf, type ReplicaLink } from './replica-link';

export { linkOf };

export function handleSyncCommand(repl: Replication, client: Client, argv: ReadonlyArray<string>): Reply {
  if (client.isReplica) return NO_REPLY;
  const node = repl.node;
  const isPsync = (argv[0] ?? '').toLowerCase() === 'psync';
  const link = linkOf(client);
  node.log.notice(`Replica ${link.name} asks for synchronization`);
  if (isPsync && argv.length === 4 && (argv[3] ?? '').toLowerCase() === 'failover') {
    if (!repl.isReplica) return error("ERR PSYNC FAILOVER can't be sent to a master.");
    if ((argv[1] ?? '').toLowerCase() !== repl.ids.replid.toLowerCase()) return error('ERR PSYNC FAILOVER replid must match my replid.');
    node.log.notice('Failover request received for replid ' + repl.ids.replid + '.');
    repl.unsetMaster('failover');
  }
  if (repl.failover.inProgress) return error("NOMASTERLINK Can't SYNC while failing over");
  if (repl.isReplica && !repl.linkUp) return error("NOMASTERLINK Can't SYNC while not connected with my master");
  if (client.hasPendingReplies()) return error('ERR SYNC and PSYNC are invalid with pending output');
  // A filtered RDB is only ever streamed EOF-marked (never shared with a disk-style payload).
  if (link.rdbFilter !== 'all' && !link.capaEof) return error('ERR Filtered replica requires EOF capability');
  if (isPsync) {
    const requestedReplid = argv[1] ?? '';
    const requestedOffset = parseInt64(argv[2] ?? '');
    if (requestedOffset === null || typeof requestedOffset === 'bigint') {
      node.log.warning(`Replica ${link.name} asks for synchronization but with a wrong offset`);
      return NOT_INTEGER;
    }
    if (tryPartialResync(repl, link, requestedReplid, requestedOffset)) {
      node.stats.syncPartialOk++;
      return NO_REPLY;
    }
    if (requestedReplid !== '?') node.stats.syncPartialErr++;
  } else {
    link.preSync = true;
  }
  node.stats.syncFull++;
  link.state = 'wait_bgsave_start';
  link.syncStartedAt = Date.now();
  client.isReplica = true;
  repl.replicas.add(link);
  if (repl.replicas.size === 1 && !repl.buffer) {
    repl.ids.change();
    repl.ids.clearSecond();
    repl.createBacklog();
    node.log.notice(`Replication backlog created, my new replication IDs are '${repl.ids.replid}' and '${repl.ids.replid2}'`);
  }
  repl.fullSync.enqueue(link);
  return NO_REPLY;
}

/**
 * masterTryPartialResynchronization: on success the replica is online, has
 * received +CONTINUE and the backlog from the requested offset, and true is
 * returned. On failure nothing was written (a full sync follows).
 */
function tryPartialResync(repl: Replication, link: ReplicaLink, requestedReplid: string, requestedOffset: number): boolean {
  const node = repl.node;
  const ids = repl.ids;
  const buffer = repl.buffer;
  const decide = (decision: 'continue' | 'full', reason: PsyncDecisionReason, bytes: number | null): void => {
    repl.events.emit({
      type: 'psync-decision',
      replicaId: link.name,
      requestedReplid,
      requestedOffset,
      decision,
      reason,
      replid: ids.replid,
      replid2: ids.replid2,
      secondReplOffset: ids.secondReplOffset,
      backlogFirstByte: buffer ? buffer.firstByteOffset : null,
      masterReplOffset: repl.masterReplOffset,
      backlogBytesSent: bytes,
    });
  };
  const sameAsCurrent = requestedReplid.toLowerCase() === ids.replid.toLowerCase();
  const sameAsPrevious = requestedReplid.toLowerCase() === ids.replid2.toLowerCase();
  if (!sameAsCurrent && (!sameAsPrevious || requestedOffset > ids.secondReplOffset)) {
    if (requestedReplid === '?') {
      node.log.notice(`Full resync requested by replica ${link.name}`);
      decide('full', 'requested-full', null);
    } else if (!sameAsPrevious) {
      node.log.notice(`Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${requestedReplid}', my replication IDs are '${ids.replid}' and '${ids.replid2}')`);
      decide('full', 'replid-mismatch', null);
    } else {
      node.log.notice(`Partial resynchronization not accepted: Requested offset for second ID was ${requestedOffset}, but I can reply up to ${ids.secondReplOffset}`);
      decide('full', 'second-id-offset-too-high', null);
    }
    return false;
  }
  if (!buffer || !buffer.canServeFrom(requestedOffset)) {
    node.log.notice(`Unable to partial resync with replica ${link.name} for lack of backlog (Replica request was: ${requestedOffset}).`);
    if (requestedOffset > repl.masterReplOffset) {
      node.log.warning(`Warning: replica ${link.name} tried to PSYNC with an offset that is greater than the master replication offset.`);
    }
    decide('full', buffer ? 'offset-out-of-backlog' : 'no-backlog', null);
    return false;
  }
  const client = link.client;
  client.isReplica = true;
  link.state = 'online';
  link.ackTime = Date.now();
  link.startStreamOnAck = false;
  link.nextOffset = requestedOffset;
  buffer.pin(link, requestedOffset);
  repl.replicas.add(link);
  client.writeRaw(Buffer.from(link.capaPsync2 ? `+CONTINUE ${ids.replid}\r\n` : '+CONTINUE\r\n', 'latin1'));
  const bytes = buffer.masterOffset + 1 - requestedOffset;
  repl.stream.flush(link);
  node.log.notice(`Partial resynchronization request from ${link.name} accepted. Sending ${bytes} bytes of backlog starting from offset ${requestedOffset}.`);
  decide('continue', 'accepted', bytes);
  repl.events.emit({ type: 'link-up', side: 'master', peerId: link.name, offset: repl.masterReplOffset, partial: true });
  return true;
}
