/**
 * Writes the incident bundle of a session's time range (format:
 * shared/contract/incident-bundle.ts): its events, its topology states
 * (topology-trail.ts) and its chart series from the on-disk history, at 1 s
 * for ranges up to two hours and in 1-minute means beyond. One compact JSON
 * file; a range whose bundle would pass BUNDLE_MAX_BYTES is refused with
 * its size, so every bundle written can be opened again, in web mode too.
 */
import {
  BUNDLE_FORMAT, BUNDLE_MAX_BYTES, BUNDLE_MAX_RANGE_MS, BUNDLE_VERSION,
  type BundleSeries, type IncidentBundle, type IncidentExport,
} from '../../../shared/contract/incident-bundle';
import type { ReplicationEvent } from '../../../shared/contract/events';
import { compareEventTimes } from '../../../shared/contract/event-order';
import type { SessionInfo } from '../../../shared/contract/sessions';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';

export const DEFAULT_BUNDLE_RANGE_MS = 15 * 60 * 1000;
/** Up to this range the series are the 1-second tier; past it, 1-minute means. */
const SECOND_TIER_LIMIT_MS = 2 * 3600 * 1000;

export class BundleRangeError extends Error {}

/**
 * When an event last happened: a line recorded again for each repeat (a
 * Sentinel SLAVEOF re-sent, sentinel-slaveof-lines.ts) keeps its first
 * time and carries its latest in numbers.lastNoticeAt. A bundle holds the
 * events whose span [time, last time] meets its range, so a line first
 * seen before the range and repeated within it is in the bundle.
 */
export function eventLastTime(event: ReplicationEvent): number {
  const last = event.numbers['lastNoticeAt'];
  return typeof last === 'number' && last > event.time ? last : event.time;
}

export interface BundleSources {
  readonly session: SessionInfo;
  readonly exportedBy: string;
  readonly now: number;
  /**
   * The events of the session whose last time (eventLastTime) is at or after
   * fromMs (the caller's log), oldest first, each as it stood at toMs: a line
   * repeated after the range is the version of its last repeat within it.
   */
  events(fromMs: number, toMs: number): ReplicationEvent[];
  /** The topology states of the range, led by the one in effect at fromMs. */
  topology(fromMs: number, toMs: number): TopologySnapshot[];
  /** The current snapshot (the only state when the trail has none yet). */
  current(): TopologySnapshot;
  series(fromMs: number, toMs: number, resolution: BundleSeries['resolution']): BundleSeries;
}

/**
 * The range asked for, checked: it ends no later than now, starts no earlier
 * than the first topology state the session has (`notBefore`: before it there
 * is nothing to replay, and an empty stretch would fill the scrubber), and
 * spans at most BUNDLE_MAX_RANGE_MS.
 */
export function bundleRange(request: { fromMs?: number | undefined; toMs?: number | undefined }, now: number, notBefore: number | null): { fromMs: number; toMs: number } {
  const toMs = Math.min(request.toMs ?? now, now);
  const asked = request.fromMs ?? toMs - DEFAULT_BUNDLE_RANGE_MS;
  const fromMs = notBefore !== null && asked < notBefore && notBefore <= toMs ? notBefore : asked;
  if (toMs < fromMs) throw new BundleRangeError('the range ends before it starts');
  if (toMs - fromMs > BUNDLE_MAX_RANGE_MS) throw new BundleRangeError(`a bundle covers at most ${BUNDLE_MAX_RANGE_MS / 86_400_000} days; this range is ${((toMs - fromMs) / 86_400_000).toFixed(1)} days`);
  return { fromMs, toMs };
}

export function writeBundle(sources: BundleSources, range: { fromMs: number; toMs: number }): IncidentExport {
  const { fromMs, toMs } = range;
  const trail = sources.topology(fromMs, toMs);
  const bundle: IncidentBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exportedAt: sources.now,
    exportedBy: sources.exportedBy,
    session: { sessionId: sources.session.sessionId, name: sources.session.name, kind: sources.session.kind, environment: sources.session.environment },
    range: { fromMs, toMs },
    // The log keeps events in the order they were reported (an engine's exact event may come after a later-stamped
    // inferred one): the bundle lists them by time, which replay relies on (a stable sort keeps ties in report order, but for chaos, which comes first in its millisecond: event-order.ts).
    events: sources.events(fromMs, toMs).filter((event) => event.time <= toMs).sort(compareEventTimes),
    topology: trail.length > 0 ? trail : [sources.current()],
    series: sources.series(fromMs, toMs, toMs - fromMs <= SECOND_TIER_LIMIT_MS ? 'second' : 'minute'),
  };
  const json = JSON.stringify(bundle);
  const bytes = Buffer.byteLength(json);
  if (bytes > BUNDLE_MAX_BYTES) {
    throw new BundleRangeError(`the bundle of this range would be ${(bytes / 1024 / 1024).toFixed(1)} MB, more than the ${BUNDLE_MAX_BYTES / 1024 / 1024} MB a bundle may have: export a shorter range`);
  }
  const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[:.]/g, '-');
  return { fileName: `replscope-incident-${sources.session.name.replace(/[^a-z0-9-]+/gi, '_')}-${stamp(fromMs)}.json`, json, bytes };
}
