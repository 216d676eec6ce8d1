/**
 * The state of the Prometheus exposition (metrics.status): whether it is
 * switched on in the settings, where it listens, and why it does not when
 * it could not bind its port.
 */
import { z } from 'zod';

export const MetricsStatus = z.object({
  enabled: z.boolean(),
  port: z.number().int(),
  /** True while the loopback listener is bound. */
  listening: z.boolean(),
  /** http://127.0.0.1:<port>/metrics while listening, else null. */
  url: z.string().nullable(),
  /** Why it is enabled but not listening (the bind error), else null. */
  error: z.string().nullable(),
});
export type MetricsStatus = z.infer<typeof MetricsStatus>;
