/**
 * Benchmarks run our engine the way the desktop app does: bundled JS in a
 * plain Node process, not through the tsx loader (which adds its own memory
 * and startup work to the process being measured).
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let built: Promise<string> | null = null;

export function builtEngineCli(): Promise<string> {
  built ??= (async () => {
    const outDir = path.join(root, 'bench/results/build');
    mkdirSync(outDir, { recursive: true });
    const outfile = path.join(outDir, 'engine-cli.mjs');
    await build({
      entryPoints: [path.join(root, 'main/engine/cli.ts')],
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
  return built;
}
