/**
 * Per-second rates of INFO's monotonic counters (total_commands_processed,
 * evicted_keys, ...), as `redis-cli --stat` shows them: the difference
 * between two answers of the same node divided by the time between them.
 *
 * A counter starts again from zero when the node restarts (a new run_id) or
 * when someone runs CONFIG RESETSTAT (same run_id, smaller value). Neither
 * is a negative rate, and neither is a rate at all: the poll that sees the
 * reset gives null and becomes the new baseline, so the next poll measures
 * again. Only this poll's answers count: a stale sample repeats an old
 * reading and gives null without moving the baseline.
 */

interface Baseline {
  readonly time: number;
  readonly value: number;
  /** The node's run_id when read (null when INFO did not say). */
  readonly epoch: string | null;
}

export class CounterRates {
  private readonly baselines = new Map<string, Baseline>();

  /**
   * The rate of `counter` on `nodeId` between its previous reading and this
   * one (per second), or null on the first reading, after a reset or a
   * restart, when the value is missing, or when time did not move.
   */
  rate(nodeId: string, counter: string, reading: { time: number; value: number | null; epoch: string | null; stale: boolean }): number | null {
    if (reading.stale || reading.value === null) return null;
    const key = `${counter}@${nodeId}`;
    const previous = this.baselines.get(key);
    this.baselines.set(key, { time: reading.time, value: reading.value, epoch: reading.epoch });
    if (previous === undefined) return null;
    const restarted = previous.epoch !== null && reading.epoch !== null && previous.epoch !== reading.epoch;
    if (restarted || reading.value < previous.value || reading.time <= previous.time) return null;
    return ((reading.value - previous.value) * 1000) / (reading.time - previous.time);
  }

  /** Forgets a node's baselines (it left the topology). */
  forget(nodeId: string): void {
    for (const key of this.baselines.keys()) if (key.endsWith(`@${nodeId}`)) this.baselines.delete(key);
  }
}

/** Keys of every database, summed from INFO keyspace's `dbN:keys=K,expires=E,avg_ttl=T` lines; null when INFO had no keyspace section. */
export function keyCount(fields: ReadonlyMap<string, string>): number | null {
  if (!fields.has('redis_version')) return null;
  let total = 0;
  for (const [name, value] of fields) {
    if (!/^db\d+$/.test(name)) continue;
    const match = /(?:^|,)keys=(\d+)/.exec(value);
    if (match) total += Number(match[1]);
  }
  return total;
}
