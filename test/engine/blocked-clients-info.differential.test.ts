/**
 * INFO clients' blocked_clients and clients_in_timeout_table against
 * redis-server 7.0.15:
 *  - the caller of a script that runs past busy-reply-threshold is not a
 *    blocked client there (the script is still inside its call(), other
 *    clients are served by processEventsWhileBlocked), at top level or
 *    inside EXEC; the script itself can read INFO and see it;
 *  - clients_in_timeout_table holds only clients blocked with a timeout
 *    (BLPOP 0, XREAD BLOCK 0, WAIT 0 and a CLIENT PAUSE postponed write
 *    are blocked but never added), and each leaves it when served.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

const peers = differentialPair();

/** Spins past a 50 ms busy-reply-threshold by the server's own clock, then returns what INFO clients says. */
const SPIN_THEN_INFO = `
local t = redis.call('TIME')
local start = tonumber(t[1]) * 1000000 + tonumber(t[2])
repeat
  local n = redis.call('TIME')
until tonumber(n[1]) * 1000000 + tonumber(n[2]) - start > 300000
return redis.call('INFO', 'clients')`;

function blockingFields(info: string): string[] {
  return info.split('\r\n').filter((line) => /^(blocked_clients|clients_in_timeout_table):/.test(line));
}

async function onBoth(scenario: (open: () => RespConnection, admin: RespConnection) => Promise<unknown[]>): Promise<[unknown[], unknown[]]> {
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

describe('INFO blocked_clients and clients_in_timeout_table against redis-server', () => {
  it("a busy script's caller is not blocked, at top level and inside EXEC; a BLPOP with a timeout is", async () => {
    const [redis, ours] = await onBoth(async (open, admin) => {
      const out: unknown[] = [];
      await admin.ok('CONFIG', 'SET', 'busy-reply-threshold', '50');
      try {
        const runner = open();
        out.push(blockingFields(String(await runner.call('EVAL', SPIN_THEN_INFO, '0'))));
        const transaction = (await runner.pipeline([['MULTI'], ['EVAL', SPIN_THEN_INFO, '0'], ['EXEC']])) as [string, string, string[]];
        out.push(blockingFields(String(transaction[2][0])));
        // With a client blocked (BLPOP with a timeout) while the script runs.
        const blocker = open();
        const popped = blocker.call('BLPOP', 'list', '30');
        await waitFor(async () => /blocked_clients:1\r\n/.test(String(await admin.call('INFO', 'clients'))), { what: 'the BLPOP to block' });
        out.push(blockingFields(String(await runner.call('EVAL', SPIN_THEN_INFO, '0'))));
        out.push(await admin.call('LPUSH', 'list', 'x'), await popped);
        out.push(blockingFields(String(await admin.call('INFO', 'clients'))));
      } finally {
        await admin.ok('CONFIG', 'SET', 'busy-reply-threshold', '5000');
      }
      return out;
    });
    expect(redis).toEqual([
      ['blocked_clients:0', 'clients_in_timeout_table:0'],
      ['blocked_clients:0', 'clients_in_timeout_table:0'],
      ['blocked_clients:1', 'clients_in_timeout_table:1'],
      1, ['list', 'x'],
      ['blocked_clients:0', 'clients_in_timeout_table:0'],
    ]);
    expect(ours).toEqual(redis);
  }, 30_000);

  it('clients_in_timeout_table counts the blocked clients with a timeout only', async () => {
    const [redis, ours] = await onBoth(async (open, admin) => {
      const out: unknown[] = [];
      const fields = async (): Promise<string[]> => blockingFields(String(await admin.call('INFO', 'clients')));
      const blocked = (n: number) => waitFor(async () => (await fields())[0] === `blocked_clients:${n}`, { what: `${n} blocked clients` });
      const pending: Array<Promise<unknown>> = [];
      const block = async (n: number, ...command: string[]): Promise<void> => {
        const reply = open().call(...command);
        reply.catch(() => undefined);
        pending.push(reply);
        await blocked(n);
        out.push(command.join(' '), await fields());
      };
      await block(1, 'BLPOP', 'forever', '0');
      await block(2, 'BLPOP', 'timed', '30');
      await block(3, 'XREAD', 'BLOCK', '0', 'STREAMS', 'stream', '$');
      await block(4, 'XREAD', 'BLOCK', '30000', 'STREAMS', 'stream2', '$');
      await block(5, 'WAIT', '1', '0');
      await block(6, 'WAIT', '1', '30000');
      await admin.ok('CLIENT', 'PAUSE', '30000', 'WRITE');
      await block(7, 'SET', 'paused', '1');
      await admin.ok('CLIENT', 'UNPAUSE');
      await blocked(6);
      out.push('UNPAUSE', await fields());
      await admin.call('LPUSH', 'timed', 'x');
      await blocked(5);
      out.push('LPUSH timed', await fields());
      await admin.call('LPUSH', 'forever', 'x');
      await blocked(4);
      out.push('LPUSH forever', await fields());
      await admin.call('XADD', 'stream2', '*', 'f', 'v');
      await blocked(3);
      out.push('XADD stream2', await fields());
      await admin.call('XADD', 'stream', '*', 'f', 'v');
      await blocked(2);
      out.push('XADD stream', await fields());
      // The WAITs end with their connections (closed by onBoth).
      return out;
    });
    expect(redis).toEqual([
      'BLPOP forever 0', ['blocked_clients:1', 'clients_in_timeout_table:0'],
      'BLPOP timed 30', ['blocked_clients:2', 'clients_in_timeout_table:1'],
      'XREAD BLOCK 0 STREAMS stream $', ['blocked_clients:3', 'clients_in_timeout_table:1'],
      'XREAD BLOCK 30000 STREAMS stream2 $', ['blocked_clients:4', 'clients_in_timeout_table:2'],
      'WAIT 1 0', ['blocked_clients:5', 'clients_in_timeout_table:2'],
      'WAIT 1 30000', ['blocked_clients:6', 'clients_in_timeout_table:3'],
      'SET paused 1', ['blocked_clients:7', 'clients_in_timeout_table:3'],
      'UNPAUSE', ['blocked_clients:6', 'clients_in_timeout_table:3'],
      'LPUSH timed', ['blocked_clients:5', 'clients_in_timeout_table:2'],
      'LPUSH forever', ['blocked_clients:4', 'clients_in_timeout_table:2'],
      'XADD stream2', ['blocked_clients:3', 'clients_in_timeout_table:1'],
      'XADD stream', ['blocked_clients:2', 'clients_in_timeout_table:1'],
    ]);
    expect(ours).toEqual(redis);
  }, 30_000);
});
