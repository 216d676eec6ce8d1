/**
 * A client blocked on a key that meanwhile became another type (SET over
 * it) stays blocked when a *STORE command overwrites that key with a value
 * it could pop, against redis-server 7.0.15: setKey signals a key ready
 * only when it adds it (dbAdd), and an overwrite (dbOverwrite) signals
 * nothing (--clients seed 4258: BZPOPMAX z3, SET z3, ZUNIONSTORE z3). The
 * client is served once the key is added again (DEL, then a push).
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

const peers = differentialPair();

interface Store {
  /** The blocking pop that waits on `dst`. */
  readonly pop: string[];
  /** Fills the sources. */
  readonly setup: string[][];
  readonly store: string[];
  /** Adds `dst` anew after the DEL. */
  readonly add: string[];
}

const zset = (store: string[]): Store => ({ pop: ['BZPOPMAX', 'dst', '0'], setup: [['ZADD', 'src', '1', 'a', '2', 'b'], ['GEOADD', 'geo', '13.4', '52.5', 'berlin']], store, add: ['ZADD', 'dst', '5', 'last'] });

const STORES: Record<string, Store> = {
  ZUNIONSTORE: zset(['ZUNIONSTORE', 'dst', '1', 'src']),
  ZINTERSTORE: zset(['ZINTERSTORE', 'dst', '1', 'src']),
  ZDIFFSTORE: zset(['ZDIFFSTORE', 'dst', '1', 'src']),
  ZRANGESTORE: zset(['ZRANGESTORE', 'dst', 'src', '0', '-1']),
  GEOSEARCHSTORE: zset(['GEOSEARCHSTORE', 'dst', 'geo', 'FROMLONLAT', '13.4', '52.5', 'BYRADIUS', '10', 'km']),
  'GEORADIUS STORE': zset(['GEORADIUS', 'geo', '13.4', '52.5', '10', 'km', 'STORE', 'dst']),
  'SORT STORE': { pop: ['BLPOP', 'dst', '0'], setup: [['RPUSH', 'src', '3', '1', '2']], store: ['SORT', 'src', 'STORE', 'dst'], add: ['RPUSH', 'dst', 'last'] },
};

async function blockedClients(admin: RespConnection): Promise<number> {
  return Number(/blocked_clients:(\d+)/.exec(String(await admin.call('INFO', 'clients')))![1]);
}

async function scenario(port: number, store: Store): Promise<unknown[]> {
  const admin = new RespConnection('127.0.0.1', port);
  const blocker = new RespConnection('127.0.0.1', port);
  try {
    await admin.call('FLUSHALL');
    for (const command of store.setup) await admin.call(...command);
    const popped = blocker.call(...store.pop);
    await waitFor(async () => (await blockedClients(admin)) === 1, { what: 'the pop to block' });
    const out: unknown[] = [await admin.call('SET', 'dst', 'retyped'), await admin.call(...store.store)];
    // A PING round trip on the blocker's side is not possible while it waits: read the count instead.
    out.push(await blockedClients(admin), await admin.call('TYPE', 'dst'));
    out.push(await admin.call('DEL', 'dst'), await admin.call(...store.add), await popped);
    return out;
  } finally {
    admin.close();
    blocker.close();
  }
}

describe('a *STORE overwriting a key a client waits on does not serve it', () => {
  for (const [name, store] of Object.entries(STORES)) {
    it(name, async () => {
      const redis = await scenario(peers.redis.port, store);
      expect(redis[2]).toBe(1);
      expect(await scenario(peers.ours.port, store)).toEqual(redis);
    });
  }
});
