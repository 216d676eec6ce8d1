/**
 * What an action that takes a replica off `online` does to its master's
 * min-replicas-to-write. Redis counts as good only replicas in state online
 * whose last ACK is at most min-replicas-max-lag old (replicationCron,
 * refreshGoodSlavesCount); a replica in a full sync (wait_bgsave, send_bulk)
 * is not good until it loads the snapshot and ACKs. With too few good
 * replicas left, the master answers every write "NOREPLICAS Not enough good
 * replicas to write." for that time. Said only when the required count is
 * known (CONFIG GET read it): never guessed.
 */
import { NOREPLICAS_ERROR } from '../../../shared/contract/min-replicas-text';
import type { NodeSnapshot } from '../../../shared/contract/snapshots';

/** The plan step for `replicaId` resyncing, or null when its master keeps enough good replicas (or the count is unknown). */
export function writesRefusedWhileResyncing(master: NodeSnapshot | undefined, replicaId: string): string | null {
  const state = master?.minReplicas ?? null;
  if (!master || state === null || state.required === null || state.required <= 0) return null;
  const countedGood = !state.notGood.some((replica) => replica.id === replicaId);
  const left = Math.max(0, state.goodReplicas - (countedGood ? 1 : 0));
  if (left >= state.required) return null;
  return `While ${replicaId} resyncs, ${master.id} does not count it as a good replica (only online replicas count): ${left} good replica${left === 1 ? '' : 's'} of the ${state.required} min-replicas-to-write needs, so ${master.id} refuses every write ("${NOREPLICAS_ERROR}") until the sync ends and ${replicaId} acknowledges again.`;
}
