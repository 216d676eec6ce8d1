/**
 * WATCH/EXEC and blocking semantics against redis-server 7.0, scenario by
 * scenario on several connections, every reply compared:
 *  - keys already expired when WATCHed: FLUSHDB, FLUSHALL and SWAPDB only
 *    fail EXEC when something logically changed;
 *  - EXEC checks the server's state as it is at EXEC time, for the queued
 *    commands together (NOREPLICAS, MASTERDOWN, OOM), and aborts;
 *  - a push made by a blocked BRPOPLPUSH when it is served, or by LPUSH
 *    creating a list, fails a WATCHer's EXEC;
 *  - a BLPOP/BLMPOP client whose key becomes another type inside a MULTI
 *    stays blocked; clients are served from the key that became ready.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { RespConnection } from '../support/resp-connection';
import { sleep, waitFor } from '../support/wait';

const peers = differentialPair();

type Scenario = (open: () => RespConnection, admin: RespConnection) => Promise<unknown[]>;

/** Runs the scenario on both servers (fresh connections each) and returns both transcripts. */
async function onBoth(scenario: Scenario): Promise<[unknown[], unknown[]]> {
  const results: unknown[][] = [];
  for (const port of [peers.redis.port, peers.ours.port]) {
    const opened: RespConnection[] = [];
    const open = (): RespConnection => {
      const connection = new RespConnection('127.0.0.1', port);
      opened.push(connection);
      return connection;
    };
    const admin = open();
    try {
      await admin.call('FLUSHALL');
      results.push(await scenario(open, admin));
    } finally {
      for (const connection of opened) connection.close();
    }
  }
  return [results[0]!, results[1]!];
}

/** A reply or the error text, so transcripts compare errors too. */
async function reply(connection: RespConnection, ...args: string[]): Promise<unknown> {
  try {
    return await connection.call(...args);
  } catch (failure) {
    return `error: ${(failure as Error).message}`;
  }
}

async function blockedClients(admin: RespConnection): Promise<number> {
  const info = String(await admin.call('INFO', 'clients'));
  return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? -1);
}

describe('WATCH, EXEC and blocking against redis-server', () => {
  it('stale watched keys: FLUSHDB, FLUSHALL and SWAPDB fail EXEC only on a logical change', async () => {
    const [redis, ours] = await onBoth(async (_open, r) => {
      const out: unknown[] = [];
      const transaction = async (before: () => Promise<unknown>): Promise<void> => {
        await before();
        await r.call('MULTI');
        await r.call('PING');
        out.push(await reply(r, 'EXEC'));
      };
      await r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      // A stale key flushed: no change.
      await r.call('SET', 'x', 'foo', 'PX', '1');
      await sleep(3);
      await transaction(async () => { await r.call('WATCH', 'x'); await r.call('FLUSHDB'); });
      // A missing key flushed (FLUSHALL, FLUSHDB): no change; a live key: change.
      await transaction(async () => { await r.call('DEL', 'x'); await r.call('WATCH', 'x'); await r.call('FLUSHALL'); });
      await transaction(async () => { await r.call('WATCH', 'x'); await r.call('FLUSHDB'); });
      await transaction(async () => { await r.call('SET', 'x', '1'); await r.call('WATCH', 'x'); await r.call('FLUSHALL'); });
      // SWAPDB: stale -> nothing, nothing -> stale, stale -> stale: no change; live -> nothing: change.
      await transaction(async () => {
        await r.call('FLUSHALL'); await r.call('SELECT', '1'); await r.call('SET', 'x', 'foo', 'PX', '1'); await sleep(3);
        await r.call('WATCH', 'x'); await r.call('SWAPDB', '0', '1');
      });
      await transaction(async () => {
        await r.call('FLUSHALL'); await r.call('SELECT', '0'); await r.call('SET', 'x', 'foo', 'PX', '1'); await sleep(3);
        await r.call('SELECT', '1'); await r.call('WATCH', 'x'); await r.call('SWAPDB', '0', '1');
      });
      await transaction(async () => {
        await r.call('FLUSHALL'); await r.call('SELECT', '1'); await r.call('SET', 'x', 'a', 'PX', '1'); await r.call('SELECT', '0');
        await r.call('SET', 'x', 'b', 'PX', '1'); await sleep(3); await r.call('SELECT', '1'); await r.call('WATCH', 'x'); await r.call('SWAPDB', '0', '1');
      });
      await transaction(async () => {
        await r.call('FLUSHALL'); await r.call('SELECT', '0'); await r.call('SET', 'x', '30'); await r.call('WATCH', 'x'); await r.call('SWAPDB', '0', '1');
      });
      // A key watched alive that expires before EXEC fails it. It must still be alive at WATCH: 5 ms between
      // the SET and the WATCH was too short under load (the key was stale when watched, and EXEC ran).
      await transaction(async () => { await r.call('SELECT', '0'); await r.call('SET', 'y', 'v', 'PX', '1000'); await r.call('WATCH', 'y'); await sleep(1100); });
      await r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      return out;
    });
    expect(ours).toEqual(redis);
    expect(redis).toEqual(['PONG', 'PONG', 'PONG', null, 'PONG', 'PONG', 'PONG', null, null].map((v) => (v === 'PONG' ? ['PONG'] : v)));
  });

  it('EXEC re-checks the server state for the queued commands: NOREPLICAS, MASTERDOWN, OOM', async () => {
    const [redis, ours] = await onBoth(async (open, r) => {
      const other = open();
      const out: unknown[] = [];
      await other.call('CONFIG', 'RESETSTAT');
      await r.call('SET', 'xx', '1');
      await r.call('MULTI');
      await r.call('INCR', 'xx');
      await other.call('CONFIG', 'SET', 'min-replicas-to-write', '2');
      out.push(await reply(r, 'EXEC'), await r.call('GET', 'xx'));
      await other.call('CONFIG', 'SET', 'min-replicas-to-write', '0');
      // Read-only queue on a replica that turned stale after queuing.
      await r.call('CONFIG', 'SET', 'replica-serve-stale-data', 'no');
      for (const queued of [['GET', 'xx'], ['PING']]) {
        await r.call('MULTI');
        await r.call(...queued);
        await other.call('REPLICAOF', 'localhsot', '0');
        out.push(await reply(r, 'EXEC'));
        await other.call('REPLICAOF', 'NO', 'ONE');
      }
      await r.call('MULTI');
      await other.call('REPLICAOF', 'NO', 'ONE');
      await r.call('GET', 'xx');
      out.push(await reply(r, 'EXEC'));
      await r.call('CONFIG', 'SET', 'replica-serve-stale-data', 'yes');
      // OOM: only a queue with a denyoom command is refused.
      await r.call('SET', 'x', 'value');
      await r.call('MULTI');
      await r.call('GET', 'x');
      await r.call('PING');
      await other.call('CONFIG', 'SET', 'maxmemory', '1');
      out.push(await reply(r, 'EXEC'));
      await other.call('CONFIG', 'SET', 'maxmemory', '0');
      await r.call('MULTI');
      await r.call('SET', 'x', '1');
      await r.call('GET', 'x');
      await other.call('CONFIG', 'SET', 'maxmemory', '1');
      out.push(await reply(r, 'EXEC'));
      await other.call('CONFIG', 'SET', 'maxmemory', '0');
      out.push(await r.call('GET', 'x'));
      // Each refused EXEC is one error reply, EXECABORT (execCommandAbort), not the refusal's own code.
      out.push(String(await other.call('INFO', 'errorstats')).split('\r\n').filter((line) => line.startsWith('errorstat_')));
      return out;
    });
    expect(ours).toEqual(redis);
    expect(redis.at(-1)).toEqual(['errorstat_EXECABORT:count=4']);
    expect(String(redis[0])).toMatch(/EXECABORT.*NOREPLICAS/);
    expect(String(redis[2])).toMatch(/EXECABORT.*MASTERDOWN/);
  });

  it('pushes made by a served BRPOPLPUSH and by LPUSH creating a list fail a WATCHer\'s EXEC', async () => {
    const [redis, ours] = await onBoth(async (open, r) => {
      const blocked = open();
      const watcher = open();
      const out: unknown[] = [];
      await r.call('SET', 'somekey', 'somevalue');
      const served = blocked.call('BRPOPLPUSH', 'src', 'dst', '0');
      await waitFor(async () => (await blockedClients(r)) === 1);
      await watcher.call('WATCH', 'dst');
      await watcher.call('MULTI');
      await watcher.call('GET', 'somekey');
      await r.call('LPUSH', 'src', 'element');
      out.push(await served, await reply(watcher, 'EXEC'));
      // A blocked client not yet served does not touch the watched key.
      const waiting = blocked.call('BRPOPLPUSH', 'src2', 'dst2', '0');
      await waitFor(async () => (await blockedClients(r)) === 1);
      await watcher.call('WATCH', 'dst2');
      await watcher.call('MULTI');
      await watcher.call('PING');
      out.push(await reply(watcher, 'EXEC'));
      await r.call('LPUSH', 'src2', 'e');
      out.push(await waiting);
      // LPUSH creating the watched list.
      await watcher.call('WATCH', 'fresh');
      await r.call('LPUSH', 'fresh', 'a');
      await watcher.call('MULTI');
      await watcher.call('PING');
      out.push(await reply(watcher, 'EXEC'));
      return out;
    });
    expect(ours).toEqual(redis);
    expect(redis).toEqual(['element', null, ['PONG'], 'e', null]);
  });

  it('a client blocked on a list stays blocked when its key turns into a string inside MULTI, and is served from the key that woke it', async () => {
    const [redis, ours] = await onBoth(async (open, r) => {
      const out: unknown[] = [];
      for (const command of [['BLPOP', 'list', '0'], ['BLMPOP', '0', '1', 'list', 'LEFT']]) {
        const client = open();
        const pending = client.call(...command);
        await waitFor(async () => (await blockedClients(r)) === 1);
        await r.call('MULTI');
        await r.call('LPUSH', 'list', 'a');
        await r.call('DEL', 'list');
        await r.call('SET', 'list', 'foo');
        out.push(await r.call('EXEC'));
        out.push(await blockedClients(r));
        await r.call('DEL', 'list');
        await r.call('LPUSH', 'list', 'b');
        out.push(await pending);
      }
      // Both keys get elements in one transaction: served from the first to become ready.
      const client = open();
      const pending = client.call('BLPOP', 'k1', 'k2', '0');
      await waitFor(async () => (await blockedClients(r)) === 1);
      await r.call('MULTI');
      await r.call('RPUSH', 'k2', 'from-k2');
      await r.call('RPUSH', 'k1', 'from-k1');
      await r.call('EXEC');
      out.push(await pending, await r.call('LRANGE', 'k1', '0', '-1'));
      // A sorted-set client is not woken by a list.
      const zclient = open();
      const zpending = zclient.call('BZPOPMIN', 'z', '0');
      await waitFor(async () => (await blockedClients(r)) === 1);
      await r.call('RPUSH', 'z', 'x');
      out.push(await blockedClients(r));
      await r.call('DEL', 'z');
      await r.call('ZADD', 'z', '1', 'm');
      out.push(await zpending);
      return out;
    });
    expect(ours).toEqual(redis);
  });
});
