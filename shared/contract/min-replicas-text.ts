/**
 * The sentences for a master refusing writes under min-replicas-to-write and
 * for a writable replica (see min-replicas.ts). Kept apart from the schema
 * so the renderer imports them without zod.
 */
import type { MinReplicasState } from './min-replicas';

/** Redis's reply to a write while too few replicas are good (server.c shared.noreplicaserr). */
export const NOREPLICAS_ERROR = 'NOREPLICAS Not enough good replicas to write.';

/** "Refuses every write ..." in one sentence, with the numbers; null while writes are accepted. */
export function writeRefusalText(state: MinReplicasState | null): string | null {
  if (state === null || !state.refusesWrites) return null;
  if (state.required === null) {
    // Only what INFO proves (min-replicas.ts): never a required count that was not read.
    const proof = state.goodReplicas === 0
      ? 'min_slaves_good_slaves:0 with min-replicas-to-write in force'
      : `INFO errorstat_NOREPLICAS rose by ${state.refusedSinceLastPoll ?? '?'} since the previous poll; ${state.goodReplicas} good replica${state.goodReplicas === 1 ? '' : 's'}`;
    return `Refuses writes ("${NOREPLICAS_ERROR}"): ${proof}; required count unknown: the ACL user may not run config|get`;
  }
  const notGood = state.notGood.map((replica) => replica.state !== 'online'
    ? `${replica.id} (${replica.state})`
    : `${replica.id} (lag ${replica.lagSeconds} s > min-replicas-max-lag ${state.maxLagSeconds ?? '?'} s)`);
  return `Refuses every write ("${NOREPLICAS_ERROR}"): ${state.goodReplicas} good replica${state.goodReplicas === 1 ? '' : 's'} of the ${state.required} min-replicas-to-write needs`
    + (notGood.length > 0 ? `; not good: ${notGood.join(', ')}` : '');
}

/** A replica that accepts writes (replica-read-only no), in one sentence. */
export const WRITABLE_REPLICA_TEXT = 'Writable replica (replica-read-only no, INFO slave_read_only:0): writes made on it are not replicated and are lost at its next full sync';

/** Redis's reply to a read on a replica whose link is down under replica-serve-stale-data no (server.c shared.masterdownerr). */
export const MASTERDOWN_ERROR = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

/**
 * A replica that refuses reads: under replica-serve-stale-data no, redis-server
 * answers MASTERDOWN to every command without the stale flag while its
 * replication state is not connected, which is exactly when INFO says
 * master_link_status:down (a full sync in progress included).
 */
export const STALE_READS_REFUSED_TEXT = `Refuses reads ("${MASTERDOWN_ERROR}"): replica-serve-stale-data no while its link to its master is down`;
