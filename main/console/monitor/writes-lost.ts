/**
 * Writes lost in a failover. When a replica N is promoted it keeps the old
 * master's replication id H as replid2, valid up to second_repl_offset Y: N
 * has H's bytes 1..Y-1 and nothing after. If the old master D went on taking
 * writes on H after that (it was not reached, or Sentinel re-points it only
 * after it has reported "master" for 8 s), its stream reached some offset
 * X-1 > Y-1. When D follows N it asks PSYNC H X, N refuses ("Requested
 * offset for second ID was X, but I can reply up to Y"), and D full-syncs:
 * the X - Y bytes between offsets Y and X-1 — acknowledged writes — are
 * gone. Redis logs the two numbers; the console knows them from its polls:
 * Y from N's INFO after the promotion, X-1 from D's master_repl_offset.
 *
 * X-1 is exact when D was polled after its demotion but before its full
 * sync replaced its history (a demoted master keeps its id and offset until
 * the new dataset loads, and takes no writes): `bound: 'exact'`. When D went
 * away instead (killed, restarted without its data, or resynced between two
 * polls) the last offset polled while it was master is a lower bound:
 * `bound: 'at-least'`. While D is still a master on H the loss is still
 * growing (that is a split-brain, split-brain.ts), and nothing is reported.
 *
 * Bytes of the stream are not all writes. Sentinel PUBLISHes its hello
 * message to every master it watches every 2 s, and PUBLISH is propagated
 * to replicas: an old master no client wrote to goes on growing its offset
 * (by some 1.7 KB in the 10 s before Sentinel converts it, with three
 * Sentinels), and its PSYNC is refused all the same. Whether data was lost
 * is Redis's own count of dataset changes, INFO rdb_changes_since_last_save
 * (PUBLISH changes none): read at the last poll whose offset the new master
 * still has, and when the old master's offset reached its end. When it did
 * not move (and no save reset it in between), no write was lost and none
 * is reported; the demoted master's full resync is still on the timeline.
 * When it moved, at most that many changes are among the lost bytes (some
 * may precede the promotion point); when it cannot be compared, the loss is
 * reported as before.
 */
import type { TopologySnapshot } from '../../../shared/contract/snapshots';
import type { DatasetChangeReading, Promotion, ReplicationMemory } from './replication-memory';

/** How long an old master that stopped answering (after the promotion) is waited for before the loss is reported as a lower bound. */
const GONE_AFTER_MS = 5000;
/** Promotions older than this are no longer followed. */
const FOLLOW_FOR_MS = 10 * 60_000;

export interface WritesLost {
  readonly oldMasterId: string;
  readonly newMasterId: string;
  readonly history: string;
  /** The first byte the new master does not have (its second_repl_offset). */
  readonly fromOffset: number;
  /** The last byte the old master had. */
  readonly toOffset: number;
  readonly bytes: number;
  readonly bound: 'exact' | 'at-least';
  readonly promotedAt: number;
  /** At most this many dataset changes among the lost bytes (rdb_changes_since_last_save); null when it cannot be told. */
  readonly datasetChanges: number | null;
}

/**
 * Dataset changes the old master counted from its last reading at or before
 * `keptUpTo` (a byte the new master has) to its first reading at `lastOffset`,
 * or null when there is no such pair under one save (a save resets the count).
 */
export function datasetChangesAfter(readings: readonly DatasetChangeReading[], keptUpTo: number, lastOffset: number): number | null {
  const base = readings.filter((reading) => reading.offset <= keptUpTo).pop();
  const end = readings.find((reading) => reading.offset === lastOffset);
  if (!base || !end || base.lastSaveTime !== end.lastSaveTime || end.changes < base.changes) return null;
  return end.changes - base.changes;
}

export class WritesLostTracker {
  private readonly settled = new Set<Promotion>();

  /** Losses that became known with this snapshot (each promotion is reported at most once). */
  check(memory: ReplicationMemory, snapshot: TopologySnapshot): WritesLost[] {
    const found: WritesLost[] = [];
    for (const promotion of memory.promotions) {
      if (this.settled.has(promotion)) continue;
      if (snapshot.time - promotion.time > FOLLOW_FOR_MS) {
        this.settled.add(promotion);
        continue;
      }
      const loss = this.lossOf(promotion, memory, snapshot);
      if (loss === 'pending') continue;
      this.settled.add(promotion);
      // Stream bytes that changed no data (Sentinel's hello PUBLISHes): nothing written was lost.
      if (loss && loss.datasetChanges !== 0) found.push(loss);
    }
    return found;
  }

  private lossOf(promotion: Promotion, memory: ReplicationMemory, snapshot: TopologySnapshot): WritesLost | null | 'pending' {
    const masters = memory.positionsOn(promotion.history).filter((entry) => entry.nodeId !== promotion.nodeId && entry.position.wasMaster);
    const old = masters.sort((a, b) => b.position.time - a.position.time)[0];
    if (!old) return null;
    const { nodeId, position } = old;
    const now = snapshot.nodes.find((node) => node.id === nodeId);
    let bound: WritesLost['bound'];
    const lastSeenUp = memory.lastUpState(nodeId)?.sampledAt ?? promotion.time;
    if (position.offsetSeenAsReplica) bound = 'exact';
    else if (now?.health === 'up' && now.replid === promotion.history && now.role === 'master') return 'pending';
    else if ((now?.health === 'up' && !now.stale) || snapshot.time - Math.max(lastSeenUp, promotion.time) >= GONE_AFTER_MS) bound = 'at-least';
    else return 'pending';
    const bytes = position.offset - promotion.secondReplOffset + 1;
    if (bytes <= 0) return null;
    const datasetChanges = datasetChangesAfter(position.readings, promotion.secondReplOffset - 1, position.offset);
    return { oldMasterId: nodeId, newMasterId: promotion.nodeId, history: promotion.history, fromOffset: promotion.secondReplOffset, toOffset: position.offset, bytes, bound, promotedAt: promotion.time, datasetChanges };
  }
}

export function writesLostMessage(loss: WritesLost): string {
  const amount = loss.bound === 'exact' ? `${loss.bytes} bytes` : `at least ${loss.bytes} bytes`;
  const changes = loss.datasetChanges === null ? '' : ` (${datasetChangesPhrase(loss)})`;
  const head = `writes lost in failover: ${amount} between offsets ${loss.fromOffset} and ${loss.toOffset}${changes}`;
  const story = `${loss.oldMasterId} took them as master of history ${loss.history.slice(0, 8)} after ${loss.newMasterId} was promoted at offset ${loss.fromOffset - 1}`;
  if (loss.bound === 'exact') {
    return `${head}: ${story}; ${loss.newMasterId} can continue that history only up to ${loss.fromOffset}, so they are discarded when ${loss.oldMasterId} follows it (its PSYNC for offset ${loss.toOffset + 1} is refused: "Requested offset for second ID was ${loss.toOffset + 1}, but I can reply up to ${loss.fromOffset}")`;
  }
  return `${head}: ${story}; ${loss.oldMasterId} went away (or resynced) before the console saw its last offset, so the end is the last one polled`;
}

/**
 * The count of dataset changes among the lost bytes. With an exact end it
 * covers them all. With an 'at-least' end the old master's count was read
 * at the last offset polled, toOffset: the bytes it took after that (which
 * the byte figure does not include either) were never read, so the count
 * says where it stops rather than passing for the whole loss.
 */
function datasetChangesPhrase(loss: WritesLost): string {
  const count = `at most ${loss.datasetChanges} change${loss.datasetChanges === 1 ? '' : 's'} to its dataset`;
  if (loss.bound === 'exact') return `${count}, by its INFO rdb_changes_since_last_save`;
  return `${count} up to offset ${loss.toOffset}, the last polled, by its INFO rdb_changes_since_last_save; what it took after that was not read`;
}
