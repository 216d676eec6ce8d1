/**
 * min-replicas-to-write, as a master enforces it. With min-replicas-to-write
 * N and min-replicas-max-lag M both above 0, Redis counts its "good"
 * replicas once a second (replicationCron: state online and an ACK no older
 * than M seconds) and prints that count as INFO `min_slaves_good_slaves`;
 * while it is below N, every write command is refused with
 * "NOREPLICAS Not enough good replicas to write." and the master otherwise
 * looks healthy. The count is the master's own; N and M come from CONFIG GET.
 *
 * When the ACL forbids CONFIG GET, N is unknown and only what INFO proves is
 * said, never a required count: a count of 0 good replicas refuses every
 * write whatever N (the count is printed only while N >= 1), and a rise of
 * INFO errorstats `errorstat_NOREPLICAS` since the previous answered poll
 * means writes were refused in that interval (Redis counts each NOREPLICAS
 * reply there).
 */
import { z } from 'zod';

export const NotGoodReplica = z.object({
  /** The console's id of the replica (as the master lists it). */
  id: z.string(),
  /** The master's slaveN state: online, wait_bgsave, send_bulk... */
  state: z.string(),
  /** The master's slaveN lag: seconds since its last ACK. */
  lagSeconds: z.number(),
});
export type NotGoodReplica = z.infer<typeof NotGoodReplica>;

export const MinReplicasState = z.object({
  /** INFO min_slaves_good_slaves. */
  goodReplicas: z.number(),
  /** CONFIG GET min-replicas-to-write; null when not readable. */
  required: z.number().nullable(),
  /** CONFIG GET min-replicas-max-lag; null when not readable. */
  maxLagSeconds: z.number().nullable(),
  /** Every write is answered NOREPLICAS: goodReplicas < required, or (required unknown) goodReplicas 0 or refusedSinceLastPoll > 0. */
  refusesWrites: z.boolean(),
  /** How many NOREPLICAS replies INFO errorstats counted since the previous answered poll; null when unknown (first poll, a restart). */
  refusedSinceLastPoll: z.number().nullable(),
  /** The master's replicas that do not count as good (not online, or lag above max-lag). */
  notGood: z.array(NotGoodReplica),
});
export type MinReplicasState = z.infer<typeof MinReplicasState>;
