/**
 * The demo load generator's commands, run against our engine as a master
 * with a real redis-server replica: every type of the mix, scripts included
 * (EVAL writing two hash fields), gets the simple replies the worker counts,
 * and the replica ends equal (DEBUG DIGEST).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commandsFor, makeValue, pickType, Xorshift, type LoadType } from '../../main/console/demo/load-plan';
import { LoadMix } from '../../shared/contract/demo';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { waitForEqualDigests, waitForOffsets, waitForSync } from '../support/replication';
import { RespConnection, RespError } from '../support/resp-connection';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

describe('demo load plan', () => {
  it('a mix without the script weight (older settings) reads as no scripts', () => {
    const mix = LoadMix.parse({ string: 1, list: 0, hash: 0, set: 0, zset: 0 });
    expect(mix.script).toBe(0);
    const random = new Xorshift(7);
    for (let i = 0; i < 1000; i++) expect(pickType(mix, random)).toBe('string');
  });

  it('every type, scripts included, gets simple replies and replicates to redis-server', async () => {
    const master = await startEngine([['repl-diskless-sync-delay', '0']]);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    const random = new Xorshift(42);
    const value = makeValue(32, random);
    const mix = LoadMix.parse({ string: 10, list: 10, hash: 10, set: 10, zset: 10, script: 50 });
    const seen = new Set<LoadType>();
    const connection = new RespConnection('127.0.0.1', master.port);
    try {
      for (let i = 0; i < 400; i++) {
        const type = pickType(mix, random);
        seen.add(type);
        for (const argv of commandsFor(type, 50, value, random)) {
          const reply = await connection.call(...argv);
          expect(reply, argv.join(' ')).not.toBeInstanceOf(RespError);
          expect(['string', 'number']).toContain(typeof reply);
        }
      }
    } finally {
      connection.close();
    }
    expect(seen.has('script')).toBe(true);
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
  });
});
