/**
 * Seeded random multi-client scripts (test/support/fuzz/fuzz-clients.ts)
 * against redis-server 7.0 and our engine: three actors with blocking
 * commands, WATCH/MULTI/EXEC and CLIENT UNBLOCK across them, a keyspace
 * notification subscriber, and client-side tracking in default, redirect
 * and BCAST modes; everything each connection receives is compared step by
 * step. Then the differences those runs found, as their shrunk scripts.
 * scripts/fuzz-differential.ts --clients runs as many seeds as you like.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { generateClientScript, type ClientOp, type ClientScript } from '../support/fuzz/fuzz-clients';
import { runClientScript, type ClientMismatch } from '../support/fuzz/fuzz-clients-runner';
import type { Arg } from '../support/fuzz/fuzz-values';

const peers = differentialPair();

const SEEDS = [1, 2, 3, 4];
const LENGTH = 300;

function describeMismatch(label: string, mismatch: ClientMismatch): string {
  return `${label}, step ${mismatch.index}: ${mismatch.what}\n  redis-server: ${mismatch.redis}\n  ours:         ${mismatch.ours}`;
}

/** A hand-written script: actors 0-2 RESP2, the observers as the generator sets them. */
function fixed(ops: ReadonlyArray<[number, ...Arg[]]>, tracking: Partial<ClientScript['tracking']> = {}, config: ReadonlyArray<readonly [string, string]> = []): ClientScript {
  return {
    protocols: [2, 2, 2, 2, 3, 2, 2, 3],
    config: [['notify-keyspace-events', 'KEA'], ...config],
    tracking: { default: [], redirected: [], bcast: [], ...tracking },
    ops: ops.map(([client, ...cmd]): ClientOp => ({ kind: 'send', client, cmd })),
  };
}

describe('random multi-client scripts answer like redis-server', () => {
  it(`seeds ${SEEDS.join(', ')} of ${LENGTH} steps`, async () => {
    for (const seed of SEEDS) {
      const mismatch = await runClientScript(peers.redis, peers.ours, generateClientScript(seed, LENGTH));
      // Reproduce and shrink with: npx tsx scripts/fuzz-differential.ts --clients --seeds <seed>-<seed> --length 300
      expect(mismatch && describeMismatch(`seed ${seed}`, mismatch)).toBeNull();
    }
  });
});

describe('differences the multi-client runs found', () => {
  const cases: Record<string, ClientScript> = {
    // serveClientsBlockedOnListKey: "We don't call signalModifiedKey() as it was already called when an element was pushed".
    'a pop served to a blocked client invalidates nothing: a BCAST NOLOOP client pushing to a waited-on list hears nothing': fixed(
      [[0, 'BLPOP', 'l1', '0'], [7, 'RPUSH', 'l1', 'own'], [1, 'BLMOVE', 'l2', 'l3', 'LEFT', 'RIGHT', '0'], [7, 'RPUSH', 'l2', 'a', 'b'], [2, 'BLMPOP', '0', '1', 'l1', 'LEFT'], [7, 'LPUSH', 'l1', 'x', 'y']],
      { bcast: ['PREFIX', 'l', 'NOLOOP'] },
    ),
    'a list served to a blocked client by SWAPDB is not invalidated by the pop': fixed(
      [[1, 'SELECT', '1'], [0, 'BRPOP', 'l3', '0'], [1, 'RPUSH', 'l3', 'a', 'c'], [1, 'SWAPDB', '0', '1'], [4, 'GET', 'l3'], [2, 'RPUSH', 'l3', 'z']],
    ),
    // handleClientsBlockedOnKeys looks the ready key up with LOOKUP_NONOTIFY.
    'a key made ready and flushed in one transaction raises no keymiss when the blocked clients are served': fixed(
      [[1, 'BLPOP', 'l1', '0'], [2, 'MULTI'], [2, 'LPUSH', 'l1', '2', 'c'], [2, 'FLUSHDB'], [2, 'EXEC'], [0, 'ZADD', 'z1', '1', 'a'], [2, 'BZPOPMIN', 'z2', '0'], [0, 'MULTI'], [0, 'ZADD', 'z2', '1', 'a'], [0, 'DEL', 'z2'], [0, 'EXEC']],
      {}, [['notify-keyspace-events', 'KEAm']],
    ),
    // The same LOOKUP_NONOTIFY for a stream deleted under a blocked XREADGROUP (seed 800 of --clients at length 300).
    'an XREADGROUP blocked on a stream FLUSHALL removes is answered with no keymiss': fixed(
      [[1, 'XGROUP', 'CREATE', 'x2', 'g2', '0', 'MKSTREAM'], [1, 'XREADGROUP', 'GROUP', 'g2', 'c2', 'COUNT', '0', 'BLOCK', '0', 'STREAMS', 'x2', '>'], [0, 'FLUSHALL', 'ASYNC'],
        [2, 'XGROUP', 'CREATE', 'x3', 'g3', '0', 'MKSTREAM'], [2, 'XREADGROUP', 'GROUP', 'g3', 'c3', 'BLOCK', '0', 'STREAMS', 'x3', '>'], [0, 'DEL', 'x3']],
      {}, [['notify-keyspace-events', 'KEAm']],
    ),
    // xautoclaimCommand's lookupKeyRead comes before its arguments are parsed.
    'XAUTOCLAIM of a missing key raises keymiss even when an argument is refused': fixed(
      [[0, 'XAUTOCLAIM', 'x1', 'g', 'c', '0', '0-0', 'COUNT', '-1', 'JUSTID'], [0, 'XAUTOCLAIM', 'x1', 'g', 'c', 'abc', '0'], [0, 'XAUTOCLAIM', 'x1', 'g', 'c', '0', '0-0']],
      {}, [['notify-keyspace-events', 'KEAm']],
    ),
    // renameGenericCommand: dbDelete signals nothing, then signalModifiedKey(source), signalModifiedKey(destination) (seed 1002 of --clients at length 300).
    'RENAME over an existing key invalidates the source before the destination': fixed(
      [[2, 'DECR', 's3'], [0, 'INCRBY', 's1', '1'], [4, 'MGET', 's1', 's3'], [0, 'RENAME', 's1', 's3'],
        [0, 'SET', 's2', 'x'], [4, 'MGET', 's2', 's3'], [0, 'RENAMENX', 's2', 's3'], [0, 'RENAME', 's2', 's3'], [4, 'MGET', 's3', 's4'], [0, 'RENAME', 's3', 's4']],
    ),
    // setKey's lookupKeyWrite expires a destination whose time has passed ("expired" before the command's own event; seed 1783 of --clients at length 300).
    'a store command over an expired destination raises "expired" first': {
      ...fixed([]),
      config: [['notify-keyspace-events', 'KEA']],
      ops: [
        ...(['z3', 's3', 'l3', 'b3', 'g3', 'm3', 'k3'].flatMap((key): ClientOp[] => [{ kind: 'send', client: 0, cmd: ['SET', key, 'old', 'PX', '1'] }])),
        { kind: 'send', client: 0, cmd: ['ZADD', 'z1', '3.5', 'b'] }, { kind: 'send', client: 0, cmd: ['SADD', 's1', 'a'] }, { kind: 'send', client: 0, cmd: ['RPUSH', 'l1', '2', '1'] },
        { kind: 'send', client: 0, cmd: ['SET', 'b1', 'x'] }, { kind: 'send', client: 0, cmd: ['GEOADD', 'g1', '13.361389', '38.115556', 'p'] },
        { kind: 'sleep', ms: 20 },
        ...([['ZDIFFSTORE', 'z3', '1', 'z1'], ['SINTERSTORE', 's3', 's1'], ['SORT', 'l1', 'STORE', 'l3'], ['BITOP', 'NOT', 'b3', 'b1'],
          ['GEOSEARCHSTORE', 'g3', 'g1', 'FROMLONLAT', '13.361389', '38.115556', 'BYRADIUS', '10', 'km'], ['MSET', 'm3', 'v'], ['SET', 'k3', 'v']] as Arg[][]).map((cmd): ClientOp => ({ kind: 'send', client: 0, cmd })),
      ],
    },
    // getexCommand calls signalModifiedKey when it sets or removes the TTL.
    'GETEX with EX or PERSIST invalidates trackers and fails a WATCHer\'s EXEC': fixed(
      [[0, 'SET', 's1', 'v', 'EX', '1000'], [4, 'GET', 's1'], [1, 'WATCH', 's1'], [0, 'GETEX', 's1', 'PERSIST'], [1, 'MULTI'], [1, 'GET', 's1'], [1, 'EXEC'],
        [4, 'GET', 's1'], [1, 'WATCH', 's1'], [0, 'GETEX', 's1', 'EX', '500'], [1, 'MULTI'], [1, 'PING'], [1, 'EXEC'], [0, 'GETEX', 's1', 'PERSIST'], [0, 'GETEX', 's1', 'PERSIST']],
      { bcast: ['PREFIX', 's'] },
    ),
  };
  for (const [name, script] of Object.entries(cases)) {
    it(name, async () => {
      const mismatch = await runClientScript(peers.redis, peers.ours, script);
      expect(mismatch && describeMismatch(name, mismatch)).toBeNull();
    });
  }
});
