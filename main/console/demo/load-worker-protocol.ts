/** Messages between the console and the load-generator worker. */
import type { LoadSpec } from '../../../shared/contract/demo';

export type LoadToWorker =
  /** port null holds the writes: no node answers ROLE as master (or several do), so none is the one to write to. */
  | { readonly type: 'configure'; readonly spec: LoadSpec; readonly port: number | null }
  | { readonly type: 'stop' };

export type LoadFromWorker = {
  readonly type: 'stats';
  /** Replies that were not errors, over the last second. */
  readonly opsPerSec: number;
  /** Error replies over the last second: writes the server refused. */
  readonly refusedPerSec: number;
  /** Error replies since the worker started. */
  readonly errors: number;
  readonly lastError: string | null;
};
