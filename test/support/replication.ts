/**
 * Replication test helpers in the spirit of Redis's own test suite
 * (wait_for_sync, wait_for_ofs_sync, DEBUG DIGEST comparisons): they work
 * on anything that answers RESP commands, real redis-server or our engine.
 */
import { RespConnection, RespError } from './resp-connection';
import { waitFor } from './wait';

export interface Peer {
  readonly port: number;
  readonly host?: string;
}

/** Runs one command on a fresh connection. */
export async function command(peer: Peer, ...args: Array<string | number | Buffer>): Promise<unknown> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  try {
    return await connection.call(...args);
  } finally {
    connection.close();
  }
}

/** Parses an INFO reply into field -> value. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

export async function info(peer: Peer, section = 'everything'): Promise<Map<string, string>> {
  const reply = await command(peer, 'INFO', section);
  if (reply instanceof RespError) throw reply;
  return parseInfo(String(reply));
}

export async function infoNumber(peer: Peer, field: string, section = 'everything'): Promise<number> {
  const value = (await info(peer, section)).get(field);
  if (value === undefined) throw new Error(`INFO has no field ${field}`);
  return Number(value);
}

/** wait_for_sync: the replica's link to its master is up. */
export async function waitForSync(replica: Peer, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await info(replica, 'replication')).get('master_link_status') === 'up', { timeoutMs, what: `replica ${replica.port} to sync` });
}

/** wait_for_ofs_sync: master and replica report the same master_repl_offset. */
export async function waitForOffsets(master: Peer, replica: Peer, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => {
    const [a, b] = await Promise.all([infoNumber(master, 'master_repl_offset', 'replication'), infoNumber(replica, 'master_repl_offset', 'replication')]);
    return a === b && a > 0;
  }, { timeoutMs, what: `offsets of ${master.port} and ${replica.port} to match` });
}

export async function digest(peer: Peer): Promise<string> {
  const reply = await command(peer, 'DEBUG', 'DIGEST');
  if (reply instanceof RespError) throw reply;
  return String(reply);
}

/** Waits until every peer has the same DEBUG DIGEST (and it is not the empty one unless allowed). */
export async function waitForEqualDigests(peers: ReadonlyArray<Peer>, { timeoutMs = 30_000, allowEmpty = false } = {}): Promise<string> {
  let last: string[] = [];
  try {
    await waitFor(async () => {
      last = await Promise.all(peers.map((peer) => digest(peer)));
      const first = last[0]!;
      return last.every((d) => d === first) && (allowEmpty || first !== '0'.repeat(40));
    }, { timeoutMs, what: 'equal digests' });
  } catch (failure) {
    throw new Error(`${(failure as Error).message}; last digests: ${last.join(', ')}`);
  }
  return last[0]!;
}

/**
 * FUNCTION LIST WITHCODE in a comparable form: libraries sorted by name and
 * each library's functions by name (redis-server lists them in its hash
 * tables' order).
 */
export async function functionLibraries(peer: Peer): Promise<unknown[]> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  try {
    const reply = await connection.call('FUNCTION', 'LIST', 'WITHCODE');
    if (!Array.isArray(reply)) throw new Error(`FUNCTION LIST answered ${String(reply)}`);
    const byName = (a: unknown, b: unknown): number => String((a as unknown[])[1]).localeCompare(String((b as unknown[])[1]));
    return reply.map((library) => {
      const fields = [...(library as unknown[])];
      const at = fields.indexOf('functions');
      if (at >= 0) fields[at + 1] = [...(fields[at + 1] as unknown[])].sort(byName);
      return fields;
    }).sort(byName);
  } finally {
    connection.close();
  }
}
