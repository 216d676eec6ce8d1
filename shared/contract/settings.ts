/** Console settings (persisted by main; thresholds colour the views). */
import { z } from 'zod';

export const Thresholds = z.object({
  lagBytesWarn: z.number().min(0),
  lagBytesCritical: z.number().min(0),
  ackAgeWarnSeconds: z.number().min(0),
  ackAgeCriticalSeconds: z.number().min(0),
  /** Warn when a replica's lag uses more than this share of the backlog (0..1). */
  backlogUseWarn: z.number().min(0).max(1),
});
export type Thresholds = z.infer<typeof Thresholds>;

/**
 * The Prometheus text exposition of the derived replication figures
 * (main/console/metrics): opt-in, off while absent or disabled, served on
 * 127.0.0.1 only at http://127.0.0.1:<port>/metrics.
 */
export const PrometheusSettings = z.object({
  enabled: z.boolean(),
  port: z.number().int().min(1).max(65_535),
});
export type PrometheusSettings = z.infer<typeof PrometheusSettings>;

/** The port the exposition listens on unless set (next to redis_exporter's 9121, unassigned). */
export const DEFAULT_PROMETHEUS_PORT = 9127;

export const Settings = z.object({
  pollIntervalMs: z.number().int().min(200).max(60_000),
  thresholds: Thresholds,
  /** Outage length the backlog recommendation must survive. */
  outageSeconds: z.number().min(1).max(86_400),
  theme: z.enum(['system', 'light', 'dark']),
  /** Disk kept per deployment for its history (1 s for 24 h, 1 min for 30 days); the oldest files go past it. Default 256. */
  historyMaxMegabytes: z.number().int().min(16).max(100_000).optional(),
  /** Prometheus exposition on a loopback port; off when absent. */
  prometheus: PrometheusSettings.optional(),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  pollIntervalMs: 1000,
  thresholds: {
    lagBytesWarn: 64 * 1024,
    lagBytesCritical: 1024 * 1024,
    ackAgeWarnSeconds: 2,
    ackAgeCriticalSeconds: 10,
    backlogUseWarn: 0.5,
  },
  outageSeconds: 60,
  theme: 'system',
};
