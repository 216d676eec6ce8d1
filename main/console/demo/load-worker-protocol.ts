/** Messages between the console and the load-generator worker. */
import type { LoadSpec } from '../../../shared/contract/demo';

export type LoadToWorker =
  | { readonly type: 'configure'; readonly spec: LoadSpec; readonly port: number }
  | { readonly type: 'stop' };

export type LoadFromWorker = { readonly type: 'stats'; readonly opsPerSec: number; readonly errors: number; readonly lastError: string | null };
