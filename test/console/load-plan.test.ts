/**
 * The demo load generator's commands, run against our engine as a master
 * with a real redis-server replica: every type of the mix, scripts (EVAL
 * writing two hash fields) and streams (XADD MAXLEN ~, consumer-group reads
 * acknowledged or NOACK) included, gets no error and one reply per command,
 * and the replicas end equal (DEBUG DIGEST; XINFO STREAM FULL, for the
 * groups the digest leaves out, of our replica against the real one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commandsFor, makeValue, pickType, Xorshift, type LoadType } from '../../main/console/demo/load-plan';
import { LoadMix } from '../../shared/contract/demo';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { streamsState } from '../support/mixed-workload';
import { waitForEqualDigests, waitForOffsets, waitForSync } from '../support/replication';
import { RespConnection, RespError } from '../support/resp-connection';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

describe('demo load plan', () => {
  it('a mix without the script and stream weights (older settings) reads as neither', () => {
    const mix = LoadMix.parse({ string: 1, list: 0, hash: 0, set: 0, zset: 0 });
    expect(mix.script).toBe(0);
    expect(mix.stream).toBe(0);
    const random = new Xorshift(7);
    for (let i = 0; i < 1000; i++) expect(pickType(mix, random)).toBe('string');
  });

  it('every type, scripts and streams included, gets its replies without error and replicates to redis-server', async () => {
    const master = await startEngine([['repl-diskless-sync-delay', '0']]);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const ours = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await Promise.all([waitForSync(replica), waitForSync(ours)]);
    const random = new Xorshift(42);
    const value = makeValue(32, random);
    const mix = LoadMix.parse({ string: 10, list: 10, hash: 10, set: 10, zset: 10, script: 20, stream: 40 });
    const seen = new Set<LoadType>();
    const connection = new RespConnection('127.0.0.1', master.port);
    try {
      for (let i = 0; i < 600; i++) {
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
    expect(seen.has('stream')).toBe(true);
    await Promise.all([waitForOffsets(master, replica), waitForOffsets(master, ours)]);
    await waitForEqualDigests([master, replica, ours]);
    // Groups as a real replica has them (a master's own differ: 7.0's XCLAIM carries no entries-read).
    const streams = await streamsState(replica);
    expect(Object.keys(streams).length).toBeGreaterThan(5);
    expect(Object.values(streams).join()).toMatch(/"last-delivered-id","[1-9]/);
    expect(await streamsState(ours)).toEqual(streams);
  });
});
