/**
 * In-process cost benchmarks (command-cost.ts, data-type-cost.ts) measure
 * the engine as the bench and the app run it: bundled by esbuild into plain
 * JS. Under tsx every imported binding is a getter call through the module
 * wrapper, which moves a command's cost by tens of nanoseconds (more where
 * the path calls imported helpers) and would make such a figure report the
 * loader, not the engine.
 *
 * bundleSelf(import.meta.url, name) writes the calling script, bundled, to
 * bench/results/build/<name>.mjs and returns that path; the script then runs
 * the bundle in a child process (`node <path> ...`) to measure.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function bundleSelf(scriptUrl: string, name: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = path.join(root, 'bench/results/build', `${name}.mjs`);
  await build({
    entryPoints: [fileURLToPath(scriptUrl)], bundle: true, platform: 'node', format: 'esm', target: 'node20',
    // Dependencies stay in node_modules (wasmoon loads its .wasm beside its own file).
    packages: 'external', outfile, logLevel: 'warning',
  });
  return outfile;
}
