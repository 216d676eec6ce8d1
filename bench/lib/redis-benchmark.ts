/**
 * Runs redis-benchmark and parses its CSV output per test: its built-in
 * tests (`tests`, as -t takes them), or one arbitrary command (`command`:
 * redis-benchmark then reports it under its command line).
 *
 * redis-benchmark holds one socket per client (-c). When the open-files
 * limit this process passes on is below what -c needs, the child raises its
 * own soft limit up to the hard one first (`ulimit -n` in a shell that then
 * execs redis-benchmark); when even the hard limit is too low it throws
 * OpenFilesLimitError, which says so, instead of a run with missing clients.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Descriptors redis-benchmark uses besides its clients (stdio, epoll, its own event loop's). */
const SPARE_DESCRIPTORS = 32;

export interface BenchmarkOptions {
  readonly requests: number;
  readonly clients?: number;
  readonly pipeline?: number;
  readonly dataSize?: number;
  readonly keySpace?: number;
}

/** One test's figures: requests per second and the latency percentiles redis-benchmark reports (ms, over all requests). */
export interface BenchmarkResult {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export class OpenFilesLimitError extends Error {}

export async function redisBenchmark(port: number, options: ({ tests: string } | { command: ReadonlyArray<string> }) & BenchmarkOptions): Promise<Map<string, number>> {
  const results = await redisBenchmarkResults(port, options);
  return new Map([...results].map(([test, result]) => [test, result.rps]));
}

export async function redisBenchmarkResults(port: number, options: ({ tests: string } | { command: ReadonlyArray<string> }) & BenchmarkOptions): Promise<Map<string, BenchmarkResult>> {
  const clients = options.clients ?? 50;
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(clients), '-n', String(options.requests), '--csv'];
  if ('tests' in options) args.push('-t', options.tests);
  if (options.pipeline) args.push('-P', String(options.pipeline));
  if (options.dataSize) args.push('-d', String(options.dataSize));
  if (options.keySpace) args.push('-r', String(options.keySpace));
  if ('command' in options) args.push(...options.command);
  const { stdout } = await run(...commandLine(args, clients + SPARE_DESCRIPTORS), { maxBuffer: 16 * 1024 * 1024 });
  const results = new Map<string, BenchmarkResult>();
  let columns: string[] = [];
  for (const line of stdout.split('\n')) {
    // Every cell is quoted; a command line may hold commas ("EVAL return redis.call('incr',KEYS[1]) 1 k").
    const cells = [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1]!.replace(/""/g, '"'));
    if (cells.length < 2) continue;
    if (cells[0] === 'test') {
      columns = cells;
      continue;
    }
    const column = (name: string): number => Number(cells[columns.indexOf(name)]);
    const rps = Number(cells[1]);
    if (Number.isFinite(rps)) results.set(cells[0]!, { rps, p50Ms: column('p50_latency_ms'), p99Ms: column('p99_latency_ms') });
  }
  return results;
}

/** redis-benchmark's command line, through `sh -c 'ulimit -n N && exec ...'` when the inherited soft limit is below `descriptors`. */
function commandLine(args: string[], descriptors: number): [string, string[]] {
  const limit = openFilesLimit();
  if (!limit || limit.soft >= descriptors) return ['redis-benchmark', args];
  if (limit.hard < descriptors) {
    throw new OpenFilesLimitError(`redis-benchmark with ${descriptors - SPARE_DESCRIPTORS} clients needs ${descriptors} open files, and the hard limit is ${limit.hard} (raise it with ulimit -Hn or limits.conf)`);
  }
  return ['sh', ['-c', 'ulimit -n "$1" && shift && exec redis-benchmark "$@"', 'sh', String(descriptors), ...args]];
}

/** This process's RLIMIT_NOFILE (children inherit it), from /proc; null where there is no /proc. */
function openFilesLimit(): { soft: number; hard: number } | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null;
  }
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!match) return null;
  const value = (cell: string): number => (cell === 'unlimited' ? Infinity : Number(cell));
  return { soft: value(match[1]!), hard: value(match[2]!) };
}
