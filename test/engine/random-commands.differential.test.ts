/**
 * Seeded random command scripts (test/support/fuzz/) against redis-server
 * 7.0 and our engine: every data type, keyspace commands, expiries,
 * MULTI/EXEC, EVAL, wrong types, wrong arity and odd arguments; replies
 * compared byte for byte in RESP2 and RESP3 (hash-table orders as sets,
 * random picks by shape, TTLs by sign), DEBUG DIGEST at checkpoints, DUMP
 * payloads restored across. A fixed set of seeds, so a run is the same
 * every time; scripts/fuzz-differential.ts runs as many as you like and
 * shrinks a failure to a minimal reproduction.
 */
import { differentialPair } from '../support/differential-pair';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { startEngine, stopAllEngines } from '../support/engine';
import { generateScript } from '../support/fuzz/fuzz-generator';
import { runScript, type FuzzMismatch } from '../support/fuzz/fuzz-runner';
import { replicationDifference, runReplicated } from '../support/fuzz/fuzz-replication';
import { waitForSync } from '../support/replication';

const SEEDS = [1, 2, 3, 4, 5, 6];
const LENGTH = 500;

function describeMismatch(seed: number, mismatch: FuzzMismatch): string {
  return `seed ${seed}, operation ${mismatch.index}: ${mismatch.what}\n  redis-server: ${mismatch.redis}\n  ours:         ${mismatch.ours}`;
}

describe('random command scripts answer like redis-server', () => {
  const peers = differentialPair();

  it.each([2, 3] as const)(`seeds ${SEEDS.join(', ')} of ${LENGTH} operations, RESP%i`, async (protocol) => {
    for (const seed of SEEDS) {
      const mismatch = await runScript(peers.redis, peers.ours, generateScript(seed, LENGTH), protocol);
      // Reproduce and shrink with: npx tsx scripts/fuzz-differential.ts --seeds <seed>-<seed> --length 500 --protocol <2|3>
      expect(mismatch && describeMismatch(seed, mismatch)).toBeNull();
    }
  });
});

describe('random writes replicate both ways between our engine and redis-server', () => {
  afterAll(async () => {
    await stopAllRedisServers();
    await stopAllEngines();
  });

  it('a redis-server replica of ours and ours of a redis-server master reach their masters\' offsets with the digests of a redis-server replica of redis-server', async () => {
    const [redisMaster, oursMaster] = await Promise.all([
      startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] }),
      startEngine([['repl-diskless-sync-delay', '0']]),
    ]);
    const [redisReplica, oursReplica, truthReplica] = await Promise.all([
      startRedisServer({ args: ['--replicaof', '127.0.0.1', String(oursMaster.port)] }),
      startEngine([['replicaof', `127.0.0.1 ${redisMaster.port}`]]),
      startRedisServer({ args: ['--replicaof', '127.0.0.1', String(redisMaster.port)] }),
    ]);
    await Promise.all([waitForSync(redisReplica), waitForSync(oursReplica), waitForSync(truthReplica)]);
    for (const seed of [101, 102]) {
      const outcome = await runReplicated({ master: redisMaster, replica: oursReplica, truth: truthReplica }, { master: oursMaster, replica: redisReplica }, generateScript(seed, LENGTH));
      expect(outcome.mismatch && describeMismatch(seed, outcome.mismatch)).toBeNull();
      expect(outcome.offsets.ours[1]).toBe(outcome.offsets.ours[0]);
      expect(outcome.offsets.redis[1]).toBe(outcome.offsets.redis[0]);
      expect(outcome.offsets.truth[1]).toBe(outcome.offsets.truth[0]);
      expect(replicationDifference(outcome)).toBeNull();
    }
    // Seed 660 (1000 operations) ends with redis-server's own replica short of its master (a
    // BITFIELD whose every write fails under OVERFLOW FAIL creates its key and propagates
    // nothing): ours must drift the same way, master and replica.
    const drifting = await runReplicated({ master: redisMaster, replica: oursReplica, truth: truthReplica }, { master: oursMaster, replica: redisReplica }, generateScript(660, 1000));
    expect(drifting.mismatch && describeMismatch(660, drifting.mismatch)).toBeNull();
    const [, , redisMasterDigest, , truthDigest] = drifting.digests;
    expect(truthDigest, 'redis-server replica of redis-server ends like its master').not.toBe(redisMasterDigest);
    expect(replicationDifference(drifting)).toBeNull();
  });
});
