/**
 * `npx tsx bench/readme-rows.ts [run.json ...]`: the README Benchmarks table's
 * rows for one or more saved bench runs, in the order given (default: the
 * last run, bench/results/latest.json). Every run is also kept as
 * bench/results/runs/<start time>.json, so three consecutive runs print as
 * one row per figure: `npx tsx bench/readme-rows.ts bench/results/runs/2026-12-08T0*.json`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeRows, type BenchRun } from './lib/readme-rows';

const files = process.argv.slice(2);
const inputs = files.length > 0 ? files : [path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json')];
const runs = inputs.map((file) => JSON.parse(readFileSync(file, 'utf8')) as BenchRun);
process.stdout.write(`${readmeRows(runs)}\n`);
