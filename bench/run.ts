/**
 * `npm run bench`: every benchmark, ours and redis-server side by side in
 * one run, ratios printed. Pass section names to run only some
 * (`npm run bench -- throughput memory`); `throughput=XADD,EVAL` runs
 * only the throughput rows whose names start with those words (`scaling=connections`:
 * only that growth axis). Results also go to bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRows, type BenchRow } from './lib/report';
import { runThroughput } from './engine-throughput';
import { runMemory } from './memory';
import { runReplication } from './replication';
import { runRdb } from './rdb';
import { runConsole } from './console';
import { runTap } from './tap';
import { runStreams } from './streams';
import { runScaling } from './scaling';

/** A section, given the words after `=` in its argument (none: everything). */
type Section = (only: ReadonlyArray<string> | undefined) => Promise<BenchRow[]>;

const SECTIONS: Record<string, Section> = {
  throughput: (only) => runThroughput(only ? { only } : {}),
  memory: () => runMemory(),
  replication: () => runReplication(),
  rdb: () => runRdb(),
  console: () => runConsole(),
  tap: () => runTap(),
  streams: () => runStreams(),
  scaling: (only) => runScaling(only ? { only } : {}),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
  const rows: BenchRow[] = [];
  for (const argument of names) {
    const [name = '', filter] = argument.split('=');
    const section = SECTIONS[name];
    if (!section) {
      process.stderr.write(`unknown benchmark section '${name}' (known: ${Object.keys(SECTIONS).join(', ')})\n`);
      process.exit(2);
    }
    process.stdout.write(`running ${name}...\n`);
    try {
      rows.push(...(await section(filter ? filter.split(',') : undefined)));
    } catch (failure) {
      process.stderr.write(`section ${name} failed: ${failure instanceof Error ? failure.stack : String(failure)}\n`);
    }
  }
  process.stdout.write(`\n${formatRows(rows)}\n`);
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'latest.json'), JSON.stringify({ time: new Date().toISOString(), rows }, null, 2));
}

void main();
