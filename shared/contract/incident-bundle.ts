/**
 * The incident bundle: one JSON file holding a session's time range, for a
 * colleague to open read-only and replay (timeline, charts and topology at
 * any moment of the range).
 *
 *   {
 *     "format": "replscope-incident",   what the file is (anything else: not a bundle)
 *     "version": 2,                     the layout below (1 was a single snapshot)
 *     "exportedAt", "exportedBy",       when, and which Replscope
 *     "session": { sessionId, name, kind, environment },
 *     "range": { fromMs, toMs },
 *     "events": [ReplicationEvent...],  the timeline of the range, oldest first
 *     "topology": [TopologySnapshot...] every change of the topology's state (roles, health,
 *                                       link states, sync phases, replids), plus one at least
 *                                       every 30 s; the first is the state in effect at fromMs
 *     "series": { resolution, times, series }  the chart series (1 s, or 1-minute means for long ranges)
 *   }
 *
 * Opened bundles are validated against this schema in main (incident.open,
 * incident.choose) before the renderer sees them; invariants the types
 * cannot say (sorted times, every series as long as `times`) are refined.
 */
import { z } from 'zod';
import { ReplicationEvent } from './events';
import { DeploymentKind, EnvironmentTag } from './profiles';
import { TopologySnapshot } from './snapshots';

export const BUNDLE_FORMAT = 'replscope-incident';
export const BUNDLE_VERSION = 2;
/**
 * Largest bundle that may be exported or opened. Web mode uploads the file
 * in one WebSocket frame (WEB_MAX_FRAME_BYTES, 8 MB): 5 MB of JSON stays
 * below it after the escaping of the frame.
 */
export const BUNDLE_MAX_BYTES = 5 * 1024 * 1024;
/** Longest range a bundle may hold (its series in 1-minute means past two hours). */
export const BUNDLE_MAX_RANGE_MS = 7 * 24 * 3600 * 1000;

const sortedTimes = (times: readonly number[]): boolean => times.every((time, index) => index === 0 || time >= times[index - 1]!);

export const BundleSeries = z.object({
  resolution: z.enum(['second', 'minute']),
  times: z.array(z.number()),
  series: z.record(z.string(), z.array(z.number().nullable())),
});
export type BundleSeries = z.infer<typeof BundleSeries>;

export const IncidentBundle = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  exportedAt: z.number(),
  exportedBy: z.string().max(200),
  session: z.object({
    sessionId: z.string().max(64),
    name: z.string().max(200),
    kind: z.union([DeploymentKind, z.literal('demo')]),
    environment: EnvironmentTag,
  }),
  range: z.object({ fromMs: z.number(), toMs: z.number() }).refine((range) => range.toMs >= range.fromMs, { message: 'toMs is before fromMs' }),
  events: z.array(ReplicationEvent).max(20_000),
  topology: z.array(TopologySnapshot).min(1, { message: 'a bundle needs at least one topology state' }).max(20_000),
  series: BundleSeries,
}).strict().superRefine((bundle, context) => {
  if (!sortedTimes(bundle.topology.map((snapshot) => snapshot.time))) context.addIssue({ code: 'custom', path: ['topology'], message: 'topology states are not in time order' });
  if (!sortedTimes(bundle.events.map((event) => event.time))) context.addIssue({ code: 'custom', path: ['events'], message: 'events are not in time order' });
  if (!sortedTimes(bundle.series.times)) context.addIssue({ code: 'custom', path: ['series', 'times'], message: 'series times are not in order' });
  for (const [id, values] of Object.entries(bundle.series.series)) {
    if (values.length !== bundle.series.times.length) context.addIssue({ code: 'custom', path: ['series', 'series', id], message: `has ${values.length} values for ${bundle.series.times.length} times` });
  }
});
export type IncidentBundle = z.infer<typeof IncidentBundle>;

export const IncidentExportRequest = z.object({
  sessionId: z.string().min(1).max(64),
  /** Default: 15 minutes before toMs. */
  fromMs: z.number().optional(),
  /** Default: now. */
  toMs: z.number().optional(),
}).strict();
export type IncidentExportRequest = z.infer<typeof IncidentExportRequest>;

export const IncidentExport = z.object({ fileName: z.string(), json: z.string(), bytes: z.number() });
export type IncidentExport = z.infer<typeof IncidentExport>;

/** A bundle file the renderer read (web mode: an upload), to be validated by main. */
export const IncidentOpenRequest = z.object({
  fileName: z.string().min(1).max(255),
  text: z.string().max(BUNDLE_MAX_BYTES, { message: `larger than the ${BUNDLE_MAX_BYTES / 1024 / 1024} MB a bundle may have` }),
}).strict();
export type IncidentOpenRequest = z.infer<typeof IncidentOpenRequest>;

/** A validated bundle, ready to replay. */
export const OpenedBundle = z.object({ fileName: z.string(), bundle: IncidentBundle });
export type OpenedBundle = z.infer<typeof OpenedBundle>;
