/**
 * Builds a dataset with every encoding Redis 7.0 has (small and big lists,
 * hashes, sets, intsets, zsets, long compressible strings, integers at every
 * width, binary data, expiring keys, several databases), and reads any
 * server's dataset back as a plain comparable structure.
 */
import { RespConnection } from './resp-connection';

export interface Peer {
  readonly port: number;
  readonly host?: string;
}

/** Commands that create the "every encoding" dataset (run on any server). */
export function everyEncodingCommands(): Array<Array<string | Buffer>> {
  const commands: Array<Array<string | Buffer>> = [];
  commands.push(['SELECT', '0']);
  for (const n of ['0', '1', '-1', '127', '-128', '128', '32767', '-32768', '32768', '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808', '007', '1.5']) {
    commands.push(['SET', `int:${n}`, n]);
  }
  commands.push(['SET', 'str:short', 'hello']);
  commands.push(['SET', 'str:compressible', 'abcabcabcabcabcabcabcabcabcabcabcabcabcabcabc'.repeat(10)]);
  commands.push(['SET', 'str:incompressible', Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 73 + 11) % 256))]);
  commands.push(['SET', 'str:binary', Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 0])]);
  commands.push(['SET', 'str:unicode', 'héllo wörld ☃ 🐣']);
  commands.push(['SET', 'str:empty', '']);
  commands.push(['SET', 'str:big', 'x'.repeat(100_000)]);
  commands.push(['SET', 'str:expiring', 'soon', 'PX', '3600000']);
  commands.push(['RPUSH', 'list:small', 'a', 'b', 'c', '1', '2', '-3']);
  const big = Array.from({ length: 3000 }, (_, i) => `element-${i}-${'y'.repeat(i % 50)}`);
  commands.push(['RPUSH', 'list:big', ...big]);
  commands.push(['RPUSH', 'list:hugeelement', 'z'.repeat(20_000), 'small']);
  commands.push(['HSET', 'hash:small', 'f1', 'v1', 'f2', '2', 'f3', '']);
  commands.push(['HSET', 'hash:longvalue', 'f', 'v'.repeat(100)]);
  const fields: string[] = [];
  for (let i = 0; i < 600; i++) fields.push(`field${i}`, `value${i}`);
  commands.push(['HSET', 'hash:big', ...fields]);
  commands.push(['SADD', 'set:intset', '1', '2', '3', '-5', '100000', '5000000000']);
  commands.push(['SADD', 'set:strings', 'a', 'b', 'c']);
  commands.push(['SADD', 'set:bigints', ...Array.from({ length: 600 }, (_, i) => String(i * 7))]);
  commands.push(['ZADD', 'zset:small', '1', 'a', '2.5', 'b', '-3', 'c', 'inf', 'd', '-inf', 'e', '1.1', 'f']);
  const members: string[] = [];
  for (let i = 0; i < 300; i++) members.push(String(i / 3), `member${i}`);
  commands.push(['ZADD', 'zset:big', ...members]);
  commands.push(['ZADD', 'zset:longmember', '1', 'm'.repeat(100)]);
  commands.push(['XADD', 'stream:small', '1-1', 'field', 'value', 'n', '42']);
  commands.push(['XADD', 'stream:small', '1-2', 'field', 'other', 'n', '-7']);
  for (let i = 0; i < 700; i++) {
    const fields = i % 50 === 7 ? ['different', `layout-${i}`] : ['sensor', String(i % 13), 'reading', `${i * 1.25}`, 'note', 'n'.repeat(i % 90)];
    commands.push(['XADD', 'stream:big', `${1700000000000 + i * 3}-${i % 4}`, ...fields]);
  }
  commands.push(['XDEL', 'stream:big', '1700000000030-2', '1700000000003-1', '1700000001500-0']);
  commands.push(['XGROUP', 'CREATE', 'stream:big', 'readers', '0']);
  commands.push(['XGROUP', 'CREATE', 'stream:big', 'laggards', '$']);
  commands.push(['XGROUP', 'CREATE', 'stream:big', 'g2', '1700000000300-0', 'ENTRIESREAD', '100']);
  commands.push(['XREADGROUP', 'GROUP', 'readers', 'alice', 'COUNT', '120', 'STREAMS', 'stream:big', '>']);
  commands.push(['XREADGROUP', 'GROUP', 'readers', 'bob', 'COUNT', '30', 'STREAMS', 'stream:big', '>']);
  commands.push(['XREADGROUP', 'GROUP', 'readers', 'noack', 'COUNT', '5', 'NOACK', 'STREAMS', 'stream:big', '>']);
  commands.push(['XACK', 'stream:big', 'readers', '1700000000000-0', '1700000000009-3']);
  commands.push(['XGROUP', 'CREATECONSUMER', 'stream:big', 'laggards', 'idle-one']);
  commands.push(['XADD', 'stream:empty', 'MAXLEN', '0', '5-5', 'gone', 'soon']);
  commands.push(['XGROUP', 'CREATE', 'stream:groups-only', 'g', '$', 'MKSTREAM']);
  commands.push(['XADD', 'stream:edge', '18446744073709551615-18446744073709551614', 'a', '1']);
  commands.push(['XADD', 'stream:edge', '18446744073709551615-*', 'b', '2']);
  commands.push(['XADD', 'stream:expiring', '1-0', 'a', '1']);
  commands.push(['PEXPIRE', 'stream:expiring', '3600000']);
  commands.push(['SELECT', '3']);
  commands.push(['SET', 'db3:key', 'in db 3']);
  commands.push(['HSET', 'db3:hash', 'a', '1']);
  commands.push(['EXPIRE', 'db3:hash', '100000']);
  commands.push(['SELECT', '15']);
  commands.push(['SET', 'db15:key', 'in db 15']);
  commands.push(['SELECT', '0']);
  return commands;
}

export async function runCommands(peer: Peer, commands: ReadonlyArray<ReadonlyArray<string | Buffer>>): Promise<void> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  try {
    for (const command of commands) await connection.ok(...command);
  } finally {
    connection.close();
  }
}

export type DumpedValue =
  | { type: 'string'; value: string }
  | { type: 'list'; value: string[] }
  | { type: 'hash'; value: Array<[string, string]> }
  | { type: 'set'; value: string[] }
  | { type: 'zset'; value: Array<[string, string]> }
  | { type: 'stream'; value: DumpedStream };

/** A stream as XRANGE and XINFO STREAM FULL show it (clocks included: RDB keeps them). */
export interface DumpedStream {
  readonly entries: Array<[string, string[]]>;
  readonly nodes: number;
  readonly lastId: string;
  readonly firstId: string;
  readonly maxDeletedId: string;
  readonly entriesAdded: string;
  readonly groups: Array<{
    readonly name: string;
    readonly lastId: string;
    readonly entriesRead: string | null;
    readonly pending: string[][];
    readonly consumers: Array<{ readonly name: string; readonly seenTime: string; readonly pending: string[] }>;
  }>;
}

/** A flat RESP2 field/value array as a record. */
function record(flat: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const items = flat as unknown[];
  for (let i = 0; i < items.length; i += 2) out[String(items[i])] = items[i + 1];
  return out;
}

const text = (value: unknown): string => String(value);

async function dumpStream(connection: RespConnection, key: string): Promise<DumpedStream> {
  const entries = (await connection.ok('XRANGE', key, '-', '+')) as Array<[string, string[]]>;
  const info = record(await connection.ok('XINFO', 'STREAM', key, 'FULL', 'COUNT', '0'));
  return {
    entries,
    nodes: Number(info['radix-tree-keys']),
    lastId: text(info['last-generated-id']),
    firstId: text(info['recorded-first-entry-id']),
    maxDeletedId: text(info['max-deleted-entry-id']),
    entriesAdded: text(info['entries-added']),
    groups: (info.groups as unknown[]).map((raw) => {
      const group = record(raw);
      return {
        name: text(group.name),
        lastId: text(group['last-delivered-id']),
        entriesRead: group['entries-read'] === null ? null : text(group['entries-read']),
        pending: (group.pending as unknown[][]).map((row) => row.map(text)),
        consumers: (group.consumers as unknown[]).map((rawConsumer) => {
          const consumer = record(rawConsumer);
          return { name: text(consumer.name), seenTime: text(consumer['seen-time']), pending: (consumer.pending as unknown[][]).map((row) => text(row[0])) };
        }),
      };
    }),
  };
}

export interface DumpedKey {
  readonly db: number;
  readonly key: string;
  readonly value: DumpedValue;
  /** Has a TTL (its exact value drifts with time). */
  readonly expires: boolean;
}

/** Reads every key of every database (order-independent: sorted). */
export async function dumpDataset(peer: Peer, databases = 16): Promise<DumpedKey[]> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  const out: DumpedKey[] = [];
  try {
    for (let db = 0; db < databases; db++) {
      await connection.ok('SELECT', String(db));
      const keys = ((await connection.ok('KEYS', '*')) as string[]).sort();
      for (const key of keys) {
        const type = String(await connection.ok('TYPE', key));
        const ttl = Number(await connection.ok('PTTL', key));
        let value: DumpedValue;
        if (type === 'string') value = { type, value: String(await connection.ok('GET', key)) };
        else if (type === 'list') value = { type, value: (await connection.ok('LRANGE', key, '0', '-1')) as string[] };
        else if (type === 'hash') {
          const flat = (await connection.ok('HGETALL', key)) as string[];
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
          value = { type, value: pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
        } else if (type === 'set') value = { type, value: ((await connection.ok('SMEMBERS', key)) as string[]).sort() };
        else if (type === 'zset') {
          const flat = (await connection.ok('ZRANGE', key, '0', '-1', 'WITHSCORES')) as string[];
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
          value = { type, value: pairs };
        } else if (type === 'stream') value = { type, value: await dumpStream(connection, key) };
        else throw new Error(`unexpected type ${type} for ${key}`);
        out.push({ db, key, value, expires: ttl >= 0 });
      }
    }
  } finally {
    connection.close();
  }
  return out;
}
