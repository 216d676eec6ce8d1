/**
 * In-process cost benchmarks (command-cost.ts, data-type-cost.ts) measure
 * the engine as the bench and the app run it: bundled by esbuild into plain
 * JS. Under tsx every imported binding is a getter call through the module
 * wrapper, which moves a command's cost by tens of nanoseconds (more where
 * the path calls imported helpers) and would make such a figure report the
 * loader, not the engine.
 *
 * bundleSelf(import.meta.url, name) writes the calling script, bundled the
 * way the engine CLI is (build-engine.ts), to bench/results/build/<name>-<hash>.mjs
 * and returns that path; the script then runs the bundle in a child process
 * (`node <path> ...`) to measure.
 */
import { fileURLToPath } from 'node:url';
import { bundledScript } from './build-engine';

export function bundleSelf(scriptUrl: string, name: string): Promise<string> {
  return bundledScript(fileURLToPath(scriptUrl), name);
}
