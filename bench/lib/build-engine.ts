/**
 * Benchmarks run our engine the way the desktop app does: bundled JS in a
 * plain Node process, not through the tsx loader (which adds its own memory
 * and startup work to the process being measured, and turns every imported
 * binding into a getter call).
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const bundles = new Map<string, Promise<string>>();

/**
 * `entry` (a path relative to the repository, or absolute) bundled into
 * bench/results/build/<name>.mjs, once per process; resolves to that file.
 */
export function bundledScript(entry: string, name: string): Promise<string> {
  let bundle = bundles.get(name);
  if (!bundle) {
    bundle = (async () => {
      const outDir = path.join(root, 'bench/results/build');
      mkdirSync(outDir, { recursive: true });
      const outfile = path.join(outDir, `${name}.mjs`);
      await build({
        entryPoints: [path.resolve(root, entry)],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        // Dependencies stay in node_modules, as electron-vite leaves them for the app:
        // wasmoon (the Lua VM) loads its .wasm beside its own file and cannot be bundled.
        packages: 'external',
        outfile,
        logLevel: 'warning',
      });
      return outfile;
    })();
    bundles.set(name, bundle);
  }
  return bundle;
}

export function builtEngineCli(): Promise<string> {
  return bundledScript('main/engine/cli.ts', 'engine-cli');
}
