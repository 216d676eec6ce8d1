/**
 * Resolves how to start one of the demo's worker threads: the compiled .js
 * next to this module when the app is bundled (electron-vite emits the
 * workers as separate entries), otherwise the TypeScript source through a
 * tiny bootstrap that registers tsx in the worker (tests, `npm run web`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { ENGINE_WORKER_RESOURCE_LIMITS } from '../../engine/memory/young-generation';

export function startWorker(name: 'engine-worker' | 'load-worker', workerData: object): Worker {
  // An engine's young generation is sized for a server's heap (young-generation.ts).
  const resourceLimits: ResourceLimits = name === 'engine-worker' ? ENGINE_WORKER_RESOURCE_LIMITS : {};
  const compiled = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData, resourceLimits });
  const source = new URL(`./${name}.ts`, import.meta.url);
  const bootstrap = new URL('./ts-worker-bootstrap.mjs', import.meta.url);
  return new Worker(bootstrap, { workerData: { ...workerData, __workerEntry: source.href }, resourceLimits });
}
