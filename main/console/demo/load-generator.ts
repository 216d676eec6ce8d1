/** The console-side handle of the load-generator worker. */
import type { Worker } from 'node:worker_threads';
import type { LoadSpec } from '../../../shared/contract/demo';
import type { LoadFromWorker, LoadToWorker } from './load-worker-protocol';
import { startWorker } from './worker-entry';

export const DEFAULT_LOAD: LoadSpec = {
  running: false,
  opsPerSec: 1000,
  valueBytes: 100,
  keySpace: 10_000,
  mix: { string: 60, list: 10, hash: 10, set: 10, zset: 10, script: 0, stream: 0 },
};

export class LoadGenerator {
  private worker: Worker | null = null;
  spec: LoadSpec = DEFAULT_LOAD;
  opsPerSec = 0;
  refusedPerSec = 0;
  errors = 0;
  lastError: string | null = null;

  /** `masterPort` null holds the writes (no single master to write to) without forgetting the spec. */
  configure(spec: LoadSpec, masterPort: number | null): void {
    this.spec = spec;
    if (!this.worker) {
      const worker = startWorker('load-worker', {});
      worker.on('message', (message: LoadFromWorker) => {
        // A stopped generator's last report would bring back the figures stop() cleared.
        if (this.worker !== worker) return;
        this.opsPerSec = message.opsPerSec;
        this.refusedPerSec = message.refusedPerSec;
        this.errors = message.errors;
        this.lastError = message.lastError;
      });
      worker.on('error', (failure) => {
        this.lastError = failure.message;
      });
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = null;
      });
      this.worker = worker;
    }
    const message: LoadToWorker = { type: 'configure', spec, port: masterPort };
    this.worker.postMessage(message);
  }

  /**
   * Stops the worker and clears its figures: the refused writes and the last
   * answer were the stopped run's (a next worker counts from zero), and a
   * stopped demo must not warn about nodes that are gone.
   */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.opsPerSec = 0;
    this.refusedPerSec = 0;
    this.errors = 0;
    this.lastError = null;
    if (!worker) return;
    const message: LoadToWorker = { type: 'stop' };
    worker.postMessage(message);
    await Promise.race([new Promise((resolve) => worker.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    await worker.terminate();
  }
}
