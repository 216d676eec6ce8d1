/**
 * Resolves how to start one of the demo's worker threads: the compiled .js
 * next to this module when the app is bundled (electron-vite emits the
 * workers as separate entries), otherwise (tests, `npm run web`) the
 * TypeScript source bundled once per process with esbuild, or, where esbuild
 * cannot be loaded or fails, the source through a tiny bootstrap that
 * registers tsx in the worker.
 *
 * Why a bundle first: through the tsx loader, every worker resolves and
 * transpiles the whole engine again as it starts (three to four seconds of
 * CPU each, as for the engine CLI in test/support/engine.ts). A two-replica
 * demo starts four workers; on a loaded machine its start took 43 s of a
 * scenario's 45 s. The bundle is built once (about a second) and every
 * worker after that only parses one file.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { ENGINE_WORKER_RESOURCE_LIMITS } from '../../engine/memory/young-generation';
import { contentNamedBundle, type EsbuildSync } from './source-bundle';

type WorkerName = 'engine-worker' | 'load-worker';

export function startWorker(name: WorkerName, workerData: object): Worker {
  // An engine's young generation is sized for a server's heap (young-generation.ts).
  const resourceLimits: ResourceLimits = name === 'engine-worker' ? ENGINE_WORKER_RESOURCE_LIMITS : {};
  const compiled = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData, resourceLimits });
  const bundle = sourceBundle(name);
  if (bundle !== null) return new Worker(bundle, { workerData, resourceLimits });
  const source = new URL(`./${name}.ts`, import.meta.url);
  const bootstrap = new URL('./ts-worker-bootstrap.mjs', import.meta.url);
  return new Worker(bootstrap, { workerData: { ...workerData, __workerEntry: source.href }, resourceLimits });
}

/** Per worker name: the bundle's path, or null once building it failed (the tsx bootstrap is used then). */
const bundles = new Map<WorkerName, string | null>();

/**
 * The worker's TypeScript source bundled with esbuild into
 * node_modules/.cache/replscope-workers (packages stay external and resolve
 * from there, as wasmoon's glue.wasm does through createRequire), once per
 * process, under a name that is a hash of its bytes (source-bundle.ts: one
 * copy per version of the sources, shared by every process, and a path of
 * this process's own that stays while it lives, however long `npm run web`
 * runs). Synchronous
 * (buildSync) because starting a worker is: it blocks once per process, for
 * about a second.
 */
function sourceBundle(name: WorkerName): string | null {
  const cached = bundles.get(name);
  if (cached !== undefined) return cached;
  let outfile: string | null;
  try {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const esbuild = createRequire(import.meta.url)('esbuild') as EsbuildSync;
    outfile = contentNamedBundle(esbuild, path.join(here, `${name}.ts`), path.resolve(here, '../../../node_modules/.cache/replscope-workers'), name);
  } catch {
    outfile = null;
  }
  bundles.set(name, outfile);
  return outfile;
}
