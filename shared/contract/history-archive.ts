/**
 * The on-disk history of a session's deployment (history.range, history.csv):
 * the same series as history.get, reaching back 24 h at 1 s and 30 days at
 * 1 min, across restarts of the console (kept per profile, not per session).
 */
import { z } from 'zod';

export const HistoryRangeRequest = z.object({
  sessionId: z.string().min(1).max(64),
  fromMs: z.number(),
  toMs: z.number(),
  series: z.array(z.string()).max(500).optional(),
  /** Force a tier; by default the 1-second tier when the range starts within its 24 h. */
  resolution: z.enum(['second', 'minute']).optional(),
}).strict().refine((request) => request.toMs >= request.fromMs, { message: 'toMs must not be before fromMs' });
export type HistoryRangeRequest = z.infer<typeof HistoryRangeRequest>;

export const HistoryRange = z.object({
  sessionId: z.string(),
  /** 'second': the 1-second tier (ranges starting within the last 24 h); 'minute': 1-minute means. */
  resolution: z.enum(['second', 'minute']),
  times: z.array(z.number()),
  series: z.record(z.string(), z.array(z.number().nullable())),
});
export type HistoryRange = z.infer<typeof HistoryRange>;

export const HistoryCsv = z.object({ fileName: z.string(), csv: z.string(), rows: z.number() });
export type HistoryCsv = z.infer<typeof HistoryCsv>;

/**
 * What the on-disk history holds now (history.usage), per deployment
 * directory under `<dataDir>/history`, for Settings: the limit each one is
 * pruned to and the bytes its files take.
 */
export const HistoryUsage = z.object({
  /** The bound per deployment in force (historyMaxMegabytes, or its default). */
  maxMegabytes: z.number(),
  totalBytes: z.number(),
  deployments: z.array(z.object({
    /** The directory name: a profile id, or `demo`. */
    key: z.string(),
    /** The profile's name, "Local demo", or "deleted profile" when no profile has that id any more. */
    name: z.string(),
    bytes: z.number(),
    files: z.number(),
  })),
});
export type HistoryUsage = z.infer<typeof HistoryUsage>;
