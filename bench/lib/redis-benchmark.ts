/**
 * Runs redis-benchmark and parses its CSV output into requests/s per test:
 * its built-in tests (`tests`, as -t takes them), or one arbitrary command
 * (`command`: redis-benchmark then reports it under its command line).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function redisBenchmark(port: number, options: ({ tests: string } | { command: ReadonlyArray<string> }) & { requests: number; clients?: number; pipeline?: number; dataSize?: number; keySpace?: number }): Promise<Map<string, number>> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(options.clients ?? 50), '-n', String(options.requests), '--csv'];
  if ('tests' in options) args.push('-t', options.tests);
  if (options.pipeline) args.push('-P', String(options.pipeline));
  if (options.dataSize) args.push('-d', String(options.dataSize));
  if (options.keySpace) args.push('-r', String(options.keySpace));
  if ('command' in options) args.push(...options.command);
  const { stdout } = await run('redis-benchmark', args, { maxBuffer: 16 * 1024 * 1024 });
  const results = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    // Every cell is quoted; a command line may hold commas ("EVAL return redis.call('incr',KEYS[1]) 1 k").
    const cells = [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1]!.replace(/""/g, '"'));
    if (cells.length < 2 || cells[0] === 'test') continue;
    const rps = Number(cells[1]);
    if (Number.isFinite(rps)) results.set(cells[0]!, rps);
  }
  return results;
}
