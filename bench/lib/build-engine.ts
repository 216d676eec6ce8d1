/**
 * Benchmarks run our engine the way the desktop app does: bundled JS in a
 * plain Node process, not through the tsx loader (which adds its own memory
 * and startup work to the process being measured, and turns every imported
 * binding into a getter call).
 */
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentNamedBundle } from '../../main/console/demo/source-bundle';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const bundles = new Map<string, Promise<string>>();

/**
 * `entry` (a path relative to the repository, or absolute) bundled into
 * bench/results/build/<name>-<hash of the bundle>.mjs (source-bundle.ts:
 * the same sources give the same file; a run on other sources never
 * overwrites the file a running bench started from), once per process;
 * resolves to that file. Dependencies stay in node_modules, as electron-vite
 * leaves them for the app: wasmoon (the Lua VM) loads its .wasm beside its
 * own file and cannot be bundled.
 */
export function bundledScript(entry: string, name: string): Promise<string> {
  let bundle = bundles.get(name);
  if (!bundle) {
    bundle = Promise.resolve().then(() => contentNamedBundle(esbuild, path.resolve(root, entry), path.join(root, 'bench/results/build'), name, { target: 'node20', logLevel: 'warning' }));
    bundles.set(name, bundle);
  }
  return bundle;
}

export function builtEngineCli(): Promise<string> {
  return bundledScript('main/engine/cli.ts', 'engine-cli');
}
