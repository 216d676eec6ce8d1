/**
 * The latency monitor (latency.c): per event class ("command",
 * "fast-command", "expire-cycle", "eviction-cycle"...), the last 160
 * seconds that had a spike of at least latency-monitor-threshold ms, one
 * sample per second (the worst of that second), and the worst ever seen.
 * Threshold 0 disables it: nothing is recorded.
 *
 * Events this engine records, where Redis records them:
 *   command / fast-command   a command's own run time (call())
 *   command-unblocking       replying to a client served after blocking
 *   expire-cycle, expire-del the active expiry cycle, and deleting one expired key
 *   eviction-cycle, eviction-del   a maxmemory eviction pass, and one eviction
 * (No fork, no AOF: the fork and aof-* events never occur here.)
 */
import { renderSparkline, SparklineSequence } from './sparkline';

/** LATENCY_TS_LEN: samples kept per event. */
const HISTORY_LENGTH = 160;
const GRAPH_COLUMNS = 80;

interface TimeSeries {
  /** Next slot to write. */
  index: number;
  /** Worst latency ever seen (ms). */
  max: number;
  /** Unix seconds per slot (0 = empty) and its latency in ms. */
  readonly times: Int32Array;
  readonly latencies: Uint32Array;
}

export interface LatencyStats {
  readonly allTimeHigh: number;
  readonly average: number;
  readonly min: number;
  readonly max: number;
  readonly meanDeviation: number;
  readonly samples: number;
  /** Seconds since the oldest sample (at least 1 when there are samples). */
  readonly period: number;
}

export class LatencyMonitor {
  /** Event name -> series, in creation order (Redis answers in dict order; LATEST is unordered). */
  readonly events = new Map<string, TimeSeries>();

  /** Threshold in ms (latency-monitor-threshold); 0 disables monitoring. */
  constructor(private readonly threshold: () => number) {}

  /** latencyAddSampleIfNeeded: records `latencyMs` when monitoring is on and it reaches the threshold. */
  addSampleIfNeeded(event: string, latencyMs: number): void {
    const threshold = this.threshold();
    if (threshold === 0 || latencyMs < threshold) return;
    this.addSample(event, Math.floor(latencyMs));
  }

  /** latencyAddSample: one sample per second per event, the worst of that second. */
  addSample(event: string, latencyMs: number, now = Math.floor(Date.now() / 1000)): void {
    let series = this.events.get(event);
    if (!series) {
      series = { index: 0, max: 0, times: new Int32Array(HISTORY_LENGTH), latencies: new Uint32Array(HISTORY_LENGTH) };
      this.events.set(event, series);
    }
    if (latencyMs > series.max) series.max = latencyMs;
    const previous = (series.index + HISTORY_LENGTH - 1) % HISTORY_LENGTH;
    if (series.times[previous] === now) {
      if (latencyMs > series.latencies[previous]!) series.latencies[previous] = latencyMs;
      return;
    }
    series.times[series.index] = now;
    series.latencies[series.index] = latencyMs;
    series.index = (series.index + 1) % HISTORY_LENGTH;
  }

  /** LATENCY RESET [event]: drops the event (case-insensitive) or all; returns how many were dropped. */
  reset(event: string | null): number {
    let resets = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        resets++;
      }
    }
    return resets;
  }

  /** The samples of an event, oldest first: [unix seconds, ms]. */
  history(event: string): Array<[number, number]> {
    const series = this.events.get(event);
    if (!series) return [];
    const out: Array<[number, number]> = [];
    for (let j = 0; j < HISTORY_LENGTH; j++) {
      const slot = (series.index + j) % HISTORY_LENGTH;
      if (series.times[slot] !== 0) out.push([series.times[slot]!, series.latencies[slot]!]);
    }
    return out;
  }

  /** LATENCY LATEST rows: event, time and latency of its last sample, all-time max. */
  latest(): Array<[string, number, number, number]> {
    const out: Array<[string, number, number, number]> = [];
    for (const [event, series] of this.events) {
      const last = (series.index + HISTORY_LENGTH - 1) % HISTORY_LENGTH;
      out.push([event, series.times[last]!, series.latencies[last]!, series.max]);
    }
    return out;
  }

  /** analyzeLatencyForEvent: average, min, max and mean absolute deviation of the kept samples. */
  analyze(event: string, now = Math.floor(Date.now() / 1000)): LatencyStats {
    const samples = this.history(event);
    const series = this.events.get(event);
    if (samples.length === 0) return { allTimeHigh: series?.max ?? 0, average: 0, min: 0, max: 0, meanDeviation: 0, samples: 0, period: 0 };
    let sum = 0;
    let min = Infinity;
    let max = 0;
    let oldest = Infinity;
    for (const [time, latency] of samples) {
      sum += latency;
      min = Math.min(min, latency);
      max = Math.max(max, latency);
      oldest = Math.min(oldest, time);
    }
    const average = Math.floor(sum / samples.length);
    let deviation = 0;
    for (const [, latency] of samples) deviation += Math.abs(average - latency);
    return {
      allTimeHigh: series!.max,
      average,
      min,
      max,
      meanDeviation: Math.floor(deviation / samples.length),
      samples: samples.length,
      period: Math.max(1, now - oldest),
    };
  }

  /** LATENCY GRAPH: a header line, a rule, and a sparkline labelled with each sample's age. */
  graph(event: string, now = Math.floor(Date.now() / 1000)): string | null {
    const series = this.events.get(event);
    if (!series) return null;
    const sequence = new SparklineSequence();
    let min = 0;
    let max = 0;
    for (const [time, latency] of this.history(event)) {
      if (sequence.samples.length === 0) min = max = latency;
      else {
        max = Math.max(max, latency);
        min = Math.min(min, latency);
      }
      sequence.add(latency, ageLabel(now - time));
    }
    return `${event} - high ${max} ms, low ${min} ms (all time high ${series.max} ms)\n${'-'.repeat(GRAPH_COLUMNS)}\n${renderSparkline(sequence, GRAPH_COLUMNS, 4)}`;
  }
}

/** "12s", "5m", "3h", "2d": how long ago, in the largest unit that fits. */
function ageLabel(elapsed: number): string {
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.floor(elapsed / 60)}m`;
  if (elapsed < 86400) return `${Math.floor(elapsed / 3600)}h`;
  return `${Math.floor(elapsed / 86400)}d`;
}
