/**
 * Which replica a master's full resync was for, and why (resync-cause.ts).
 * sync_full moves on the master at once, but the replica may not be readable
 * in that same poll (a restarted replica is still refusing connections or its
 * client is reconnecting; a frozen one answers nothing), and a restart that
 * falls between two polls leaves its link looking online both times. So a
 * full resync is held until exactly one candidate replica answers, or for at
 * most SETTLE_MS, and then reported with the time it was detected.
 *
 * Candidates: the master's links that were not online (or missing) at some
 * poll in the few seconds before the counter moved or at that poll itself —
 * a replica that wakes up may still report its old link as up for a poll —
 * or whose replica restarted (new run_id) recently.
 */
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import type { CauseCode } from '../../../shared/contract/events';
import { fullResyncCause, type PendingFullResync, type ResyncMemory } from './resync-cause';

const SETTLE_MS = 3000;
/** How far back a link's trouble makes it a candidate. */
const LOOKBACK_MS = 5000;

export interface AttributedFullResync {
  readonly time: number;
  readonly masterId: string;
  readonly replicaId: string | null;
  readonly count: number;
  readonly cause: CauseCode;
  readonly message: string;
  readonly numbers: Record<string, number | string | null>;
}

function candidates(pending: PendingFullResync, current: TopologySnapshot, memory: ResyncMemory): LinkSnapshot[] {
  return current.links.filter((link) => {
    if (link.masterId !== pending.masterId) return false;
    if (pending.linksBefore.get(link.id)?.state !== 'online') return true;
    if (memory.linkTroubledBetween(link.id, pending.detectedAt - LOOKBACK_MS, pending.detectedAt)) return true;
    const replica = current.nodes.find((node) => node.id === link.replicaId);
    return replica !== undefined && memory.restartedRecently(replica, current.time);
  });
}

/** Reports the pending full resyncs that can be attributed now (or waited long enough); keeps the others. */
export function settleFullResyncs(current: TopologySnapshot, memory: ResyncMemory): AttributedFullResync[] {
  const settled: AttributedFullResync[] = [];
  for (let index = 0; index < memory.pending.length; ) {
    const pending = memory.pending[index]!;
    const links = candidates(pending, current, memory);
    const link = links.length === 1 ? links[0]! : null;
    const replica: NodeSnapshot | null = link ? current.nodes.find((node) => node.id === link.replicaId) ?? null : null;
    const master = current.nodes.find((node) => node.id === pending.masterId) ?? pending.masterBefore;
    const ready = replica?.health === 'up' && !replica.stale && replica.runId !== null;
    if (!ready && current.time - pending.detectedAt < SETTLE_MS) {
      index++;
      continue;
    }
    memory.pending.splice(index, 1);
    const { cause, why } = fullResyncCause({ detectedAt: pending.detectedAt, master, masterBefore: pending.masterBefore, link, linkBefore: link ? pending.linksBefore.get(link.id) ?? null : null, replica, partialRefused: pending.partialRefused }, memory);
    if (link) memory.fullSyncStarted(link.replicaId);
    settled.push({
      time: pending.detectedAt,
      masterId: pending.masterId,
      replicaId: link?.replicaId ?? null,
      count: pending.count,
      cause,
      message: `${pending.masterId} started a full resync${link ? ` of ${link.replicaId}` : ''} (${pending.counterText})${why ? `: ${why}` : ''}`,
      numbers: pending.numbers,
    });
  }
  return settled;
}
