/**
 * `npm run bench`: every benchmark, ours and redis-server side by side in
 * one run, ratios printed. Pass section names to run only some
 * (`npm run bench -- throughput memory`); `throughput=XADD,EVAL` runs
 * only the throughput rows whose names start with those words (`scaling=connections`:
 * only that growth axis). Results also go to bench/results/latest.json and
 * bench/results/runs/<start time>.json, with the commit, the command and the
 * start time; `npx tsx bench/readme-rows.ts` prints them as README table rows.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRows, type BenchRow } from './lib/report';
import type { BenchRun } from './lib/readme-rows';
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

/** The commit measured, and whether tracked files differ from it (null when git cannot say). */
function treeMeasured(root: string): { commit: string | null; uncommitted: boolean } {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommitted: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { commit: null, uncommitted: false };
  }
}

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  const tree = treeMeasured(root);
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
  const dir = path.join(root, 'bench', 'results');
  const run: BenchRun = {
    time: new Date().toISOString(),
    started,
    ...tree,
    command: `npm run bench${wanted.length > 0 ? ` -- ${wanted.join(' ')}` : ''}`,
    rows,
  };
  const text = JSON.stringify(run, null, 2);
  mkdirSync(path.join(dir, 'runs'), { recursive: true });
  writeFileSync(path.join(dir, 'latest.json'), text);
  writeFileSync(path.join(dir, 'runs', `${started.replace(/:/g, '-')}.json`), text);
}

void main();
