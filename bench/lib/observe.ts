/**
 * Watching a bench server from the outside, as an operator would: its INFO
 * fields, waiting until one says what we wait for, and the round trips a
 * client sees while something else (a sync, a BGSAVE) goes on.
 */
import { RespConnection } from '../../test/support/resp-connection';
import { parseInfo } from '../../test/support/replication';
import type { BenchServer } from './servers';

export async function info(server: BenchServer, section: string): Promise<Map<string, string>> {
  return parseInfo(String(await server.call('INFO', section)));
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error('timed out');
}

/** SET and GET in turn on one connection (1,000 probe keys) until `until` settles; each round trip in ms. */
export async function probeLatency(port: number, until: Promise<unknown>): Promise<number[]> {
  const connection = new RespConnection('127.0.0.1', port);
  const latencies: number[] = [];
  let running = true;
  const stop = (): void => {
    running = false;
  };
  until.then(stop, stop);
  try {
    for (let i = 0; running; i++) {
      const started = performance.now();
      await connection.call(i % 2 ? 'GET' : 'SET', `probe:${i % 1000}`, 'v');
      latencies.push(performance.now() - started);
    }
  } finally {
    connection.close();
  }
  return latencies;
}
