/**
 * Fills a bench server with string keys the way a client would: pipelined
 * SETs over one connection, `key:<i>` → a 16-byte value of its own, in batches whose
 * replies are all awaited before the next batch is written (so neither side
 * buffers more than one batch). `from`/`to` let a caller grow the same
 * server in steps (0 → 100k, then 100k → 1M, ...); the key names are the
 * same whichever steps are taken.
 */
import { encodeRequest } from '../../test/support/resp-reply-parser';
import { RespConnection } from '../../test/support/resp-connection';
import type { BenchServer } from './servers';

const BATCH = 10_000;
export const VALUE_BYTES = 16;

/**
 * Each key gets a value of its own (`vvvv…<i>`, 16 bytes): with one value for
 * every key the engine's request decoder hands out the same string each time
 * and the dataset measures one shared value, which no application stores,
 * while redis-server keeps a copy per key.
 */
function stringValueOf(i: number): string {
  return String(i).padStart(VALUE_BYTES, 'v');
}

export async function loadStringKeys(server: BenchServer, range: { from?: number; to: number }): Promise<void> {
  await loadCommands(server, range, (i) => ['SET', `key:${i}`, stringValueOf(i)]);
}

/** The same pipelined load for any dataset: `command(i)` for each i of the range. */
export async function loadCommands(server: BenchServer, range: { from?: number; to: number }, command: (i: number) => ReadonlyArray<string>): Promise<void> {
  const connection = new RespConnection('127.0.0.1', server.port);
  try {
    for (let start = range.from ?? 0; start < range.to; start += BATCH) {
      const end = Math.min(range.to, start + BATCH);
      const parts: Buffer[] = [];
      for (let i = start; i < end; i++) parts.push(encodeRequest(command(i)));
      const replies = Array.from({ length: end - start }, () => connection.nextReply(60_000));
      await connection.writeRaw(Buffer.concat(parts));
      await Promise.all(replies);
    }
  } finally {
    connection.close();
  }
}

/** Throws unless the server holds exactly `expected` keys (a load that lost writes must not be measured). */
export async function expectKeyCount(server: BenchServer, expected: number): Promise<void> {
  const dbsize = Number(await server.call('DBSIZE'));
  if (dbsize !== expected) throw new Error(`${server.kind}: expected ${expected} keys, found ${dbsize}`);
}
