/**
 * Set and sorted-set writes replicate between our engine and redis-server
 * 7.0 in both directions, with equal DEBUG DIGESTs afterwards. The workload
 * has every random or blocking write whose propagated form matters: SPOP
 * (as SREM), SPOP with a count (SREMs, or DEL when it takes the whole set),
 * BZPOPMIN and BZMPOP served later by a ZADD (as ZPOPMIN), ZMPOP (as
 * ZPOPMIN with the popped count), plus the *STORE commands (results
 * replacing and deleting destinations), SORT ... STORE (a set read without
 * sorting is stored ALPHA-sorted), ZADD INCR/ZINCRBY, range removals and a
 * MULTI. A verbatim SPOP would pop other members on the replica and
 * the digests would differ.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { RespConnection } from '../support/resp-connection';
import { command, waitForEqualDigests, waitForOffsets, waitForSync, type Peer } from '../support/replication';
import type { RedisProcess } from '../support/redis-server';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const FAST_SYNC: Array<[string, string]> = [['repl-diskless-sync-delay', '0']];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the workload on `master`; returns the replies of the blocked pops (served by the ZADDs). */
async function setAndZsetWorkload(master: Peer): Promise<unknown[]> {
  const c = new RespConnection(master.host ?? '127.0.0.1', master.port);
  const blocked = new RespConnection(master.host ?? '127.0.0.1', master.port);
  const blockedMpop = new RespConnection(master.host ?? '127.0.0.1', master.port);
  try {
    for (let i = 0; i < 40; i++) {
      await c.call('SADD', `s:${i}`, ...Array.from({ length: 30 }, (_, j) => `m${i}-${j}`));
      await c.call('SADD', `i:${i}`, ...Array.from({ length: 20 }, (_, j) => String(i * 7 + j)));
      await c.call('ZADD', `z:${i}`, ...Array.from({ length: 25 }, (_, j) => [String((j * 37) % 11 + j / 8), `e${j}`]).flat());
    }
    for (let i = 0; i < 40; i++) {
      await c.call('SPOP', `s:${i}`);
      await c.call('SPOP', `s:${i}`, String(1 + (i % 9)));
      await c.call('SPOP', `i:${i}`, String(i % 3 === 0 ? 25 : 4)); // every third takes the whole set: DEL
      await c.call('SMOVE', `s:${i}`, `moved:${i % 5}`, `m${i}-29`);
      await c.call('SREM', `s:${i}`, `m${i}-0`, `m${i}-1`);
      await c.call('SRANDMEMBER', `s:${i}`, '-3');
      await c.call('ZADD', `z:${i}`, 'GT', 'CH', '100', 'e1', '0', 'e2');
      await c.call('ZADD', `z:${i}`, 'INCR', '2.5', 'e3');
      await c.call('ZINCRBY', `z:${i}`, '-1.25', 'e4');
      await c.call('ZPOPMIN', `z:${i}`);
      await c.call('ZPOPMAX', `z:${i}`, '2');
      await c.call('ZMPOP', '2', 'nothing', `z:${i}`, i % 2 === 0 ? 'MIN' : 'MAX', 'COUNT', '3');
      await c.call('ZRANDMEMBER', `z:${i}`, '2', 'WITHSCORES');
    }
    await c.call('SINTERSTORE', 'inter', 's:1', 's:2');
    await c.call('SUNIONSTORE', 'union', 's:1', 's:2', 'i:1', 'moved:1');
    await c.call('SDIFFSTORE', 'diff', 'i:2', 'i:1');
    await c.call('SET', 'inter', 'replaced-then-deleted');
    await c.call('SINTERSTORE', 'inter', 's:1', 'missing');
    await c.call('ZUNIONSTORE', 'zu', '3', 'z:1', 'z:2', 'union', 'WEIGHTS', '1', '2', '0.5', 'AGGREGATE', 'MAX');
    await c.call('ZINTERSTORE', 'zi', '2', 'z:3', 'z:4', 'AGGREGATE', 'MIN');
    await c.call('ZDIFFSTORE', 'zd', '2', 'z:5', 'z:6');
    await c.call('ZRANGESTORE', 'zr', 'z:7', '(3', '+inf', 'BYSCORE', 'REV', 'LIMIT', '1', '5');
    await c.call('ZRANGESTORE', 'zr2', 'z:8', '0', '-1');
    // SORT ... STORE replicates verbatim: a set read "BY nosort" is sorted ALPHA when stored, so both sides agree.
    await c.call('SORT', 's:3', 'BY', 'nosort', 'STORE', 'sorted:nosort');
    await c.call('SORT', 'i:4', 'DESC', 'LIMIT', '1', '10', 'STORE', 'sorted:ints');
    await c.call('SORT', 'z:11', 'BY', 'nosort', 'DESC', 'STORE', 'sorted:z');
    await c.call('SORT', 'missing', 'STORE', 'sorted:z');
    await c.call('ZREMRANGEBYSCORE', 'z:9', '-inf', '5');
    await c.call('ZREMRANGEBYRANK', 'z:10', '0', '3');
    await c.call('ZADD', 'lex', '0', 'a', '0', 'b', '0', 'c', '0', 'd');
    await c.call('ZREMRANGEBYLEX', 'lex', '[b', '(d');
    await c.call('MULTI');
    await c.call('SPOP', 's:20', '3');
    await c.call('ZPOPMIN', 'z:20');
    await c.call('SADD', 's:20', 'in-multi');
    await c.call('EXEC');

    // Blocked pops served later by a ZADD from another connection.
    const bz = blocked.call('BZPOPMIN', 'wait:1', 'wait:2', '5');
    const bzm = blockedMpop.call('BZMPOP', '5', '1', 'wait:3', 'MAX', 'COUNT', '2');
    await pause(100);
    await c.call('ZADD', 'wait:2', '3', 'x', '1', 'y', '2', 'z');
    await c.call('ZADD', 'wait:3', '5', 'p', '6', 'q', '7', 'r');
    return [await bz, await bzm];
  } finally {
    c.close();
    blocked.close();
    blockedMpop.close();
  }
}

const EXPECTED_BLOCKED_REPLIES = [['wait:2', 'y', '1'], ['wait:3', [['r', '7'], ['q', '6']]]];

describe('set and sorted-set replication with redis-server', () => {
  it('our master, real replica: equal digests after random, blocking and store commands', async () => {
    const master = await startEngine(FAST_SYNC);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    expect(await setAndZsetWorkload(master)).toEqual(EXPECTED_BLOCKED_REPLIES);
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    // Spot checks beyond the digest: the served pops' effects are on the replica.
    expect(await command(replica, 'ZRANGE', 'wait:2', '0', '-1')).toEqual(['z', 'x']);
    expect(await command(replica, 'ZRANGE', 'wait:3', '0', '-1')).toEqual(['p']);
    expect(await command(replica, 'EXISTS', 'i:0', 'inter')).toBe(0);
  });

  it('real master, our replica: equal digests after the same workload', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    expect(await setAndZsetWorkload(master)).toEqual(EXPECTED_BLOCKED_REPLIES);
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    expect(await command(replica, 'ZRANGE', 'wait:2', '0', '-1')).toEqual(['z', 'x']);
    expect(await command(replica, 'SCARD', 's:20')).toBe(await command(master, 'SCARD', 's:20'));
  });

  it('a replica that syncs after the workload gets the same dataset (RDB of sets and sorted sets)', async () => {
    const master = await startEngine(FAST_SYNC);
    await setAndZsetWorkload(master);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    // One streamed write after the sync moves the offsets past 0 (waitForOffsets needs that).
    await command(master, 'SPOP', 's:3', '2');
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
  });

  it('the stream carries what 7.0 sends: SPOP as SREMs (in MULTI) or SREM, ZMPOP/BZMPOP/BZPOPMAX as ZPOPMIN/ZPOPMAX, a pop served later after its ZADD', async () => {
    /** What a real replica of `master` executes (MONITOR on it), with random SREM members masked. */
    const streamSeenBy = async (master: Peer, replica: RedisProcess): Promise<string[]> => {
      await waitForSync(replica);
      const monitor = new RespConnection('127.0.0.1', replica.port);
      const c = new RespConnection('127.0.0.1', master.port);
      const blockedClient = new RespConnection('127.0.0.1', master.port);
      try {
        expect(await monitor.call('MONITOR')).toBe('OK');
        await c.call('SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
        await c.call('SPOP', 's', '2');
        await c.call('SPOP', 's');
        await c.call('SPOP', 's', '100');
        await c.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
        await c.call('ZMPOP', '1', 'z', 'MAX', 'COUNT', '5');
        await c.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
        await c.call('BZMPOP', '1', '1', 'z', 'MIN', 'COUNT', '2');
        await c.call('BZPOPMAX', 'z', '1');
        const served = blockedClient.call('BZPOPMIN', 'later', '5');
        await pause(100);
        await c.call('ZADD', 'later', '1', 'x', '2', 'y');
        expect(await served).toEqual(['later', 'x', '1']);
        await waitForOffsets(master, replica);
        const lines: string[] = [];
        for (;;) {
          let line: string;
          try {
            line = String((await monitor.nextReply(300)).value);
          } catch {
            break;
          }
          const commandText = line.replace(/^[\d.]+ \[\d+ [^\]]*\] /, '');
          if (/^"(SELECT|PING|INFO|REPLCONF)"/i.test(commandText)) continue;
          lines.push(commandText.replace(/^("SREM" "s") "[a-j]"$/, '$1 ?'));
        }
        return lines;
      } finally {
        monitor.close();
        c.close();
        blockedClient.close();
      }
    };
    const ourMaster = await startEngine(FAST_SYNC);
    const ours = await streamSeenBy(ourMaster, await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ourMaster.port)] }));
    const realMaster = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const real = await streamSeenBy(realMaster, await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(realMaster.port)] }));
    expect(real).toContain('"ZPOPMAX" "z" "3"');
    expect(real).toContain('"SREM" "s" ?');
    expect(ours).toEqual(real);
  });
});
