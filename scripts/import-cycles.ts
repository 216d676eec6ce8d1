/**
 * Prints the import circles (strongly connected components) of a folder:
 *
 *   npx tsx scripts/import-cycles.ts [FOLDER=main/engine] [--list]
 *
 * Type imports count (see scripts/import-graph/import-graph.ts). For each
 * circle: its size, how many of its files sit in each top-level sub-folder,
 * and with --list the files themselves.
 */
import { buildImportGraph, importCycles } from './import-graph/import-graph';

const args = process.argv.slice(2);
const list = args.includes('--list');
const folder = args.find((arg) => !arg.startsWith('--')) ?? 'main/engine';

const graph = buildImportGraph(folder);
const cycles = importCycles(graph);
const inCycles = cycles.reduce((sum, cycle) => sum + cycle.length, 0);
console.log(`${folder}: ${graph.edges.size} files, ${cycles.length} import circle(s), ${inCycles} file(s) in circles`);
for (const cycle of cycles) {
  const byFolder = new Map<string, number>();
  for (const file of cycle) {
    const top = file.includes('/') ? file.slice(0, file.indexOf('/') + 1) : file;
    byFolder.set(top, (byFolder.get(top) ?? 0) + 1);
  }
  const parts = [...byFolder].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} ${count}`);
  console.log(`  circle of ${cycle.length}: ${parts.join(', ')}`);
  if (list) for (const file of cycle) console.log(`    ${file}`);
}
