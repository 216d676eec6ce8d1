/**
 * History of every series of a session: one row per snapshot, kept in a ring
 * of fixed capacity (an hour at 1 Hz by default). Series are named and read
 * with seriesValuesOf (shared/contract/series.ts), exactly as the renderer
 * appends live pushes, so backfill and live data line up.
 */
import { seriesValuesOf } from '../../../shared/contract/series';
import type { HistoryBlock, TopologySnapshot } from '../../../shared/contract/snapshots';

export class HistoryStore {
  private readonly times: number[] = [];
  private readonly rows: Array<Map<string, number | null>> = [];

  constructor(private readonly sessionId: string, private readonly capacity = 3600) {}

  record(snapshot: TopologySnapshot): void {
    this.times.push(snapshot.time);
    this.rows.push(seriesValuesOf(snapshot));
    if (this.times.length > this.capacity) {
      this.times.shift();
      this.rows.shift();
    }
  }

  block(request: { sinceMs?: number; series?: ReadonlyArray<string> } = {}): HistoryBlock {
    const since = request.sinceMs ?? 0;
    let start = 0;
    while (start < this.times.length && this.times[start]! < since) start++;
    const names = new Set<string>(request.series ?? []);
    if (!request.series) for (let i = start; i < this.rows.length; i++) for (const name of this.rows[i]!.keys()) names.add(name);
    const series: Record<string, Array<number | null>> = {};
    for (const name of names) {
      const values: Array<number | null> = [];
      for (let i = start; i < this.rows.length; i++) values.push(this.rows[i]!.get(name) ?? null);
      series[name] = values;
    }
    return { sessionId: this.sessionId, times: this.times.slice(start), series };
  }
}
