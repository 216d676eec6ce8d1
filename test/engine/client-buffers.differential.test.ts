/**
 * CLIENT LIST / CLIENT INFO buffer figures (qbuf, qbuf-free, argv-mem,
 * multi-mem, rbs, rbp, obl, oll, omem, tot-mem) next to a real
 * redis-server 7.0's, field for field. The clients cron resizes buffers at
 * its own pace, so both servers run with DEBUG PAUSE-CRON 1 while the
 * figures are taken: every state below is then reached the same way on
 * both and must read the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import type { RespConnection } from '../support/resp-connection';
import { TestConnections } from '../support/test-connections';
import { waitFor } from '../support/wait';

const peers = differentialPair();
const connections = new TestConnections();

const FIELDS = ['qbuf', 'qbuf-free', 'argv-mem', 'multi', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'sub', 'psub', 'events', 'cmd'];

beforeAll(async () => {
  await Promise.all([peers.redis.call('DEBUG', 'PAUSE-CRON', '1'), peers.ours.call('DEBUG', 'PAUSE-CRON', '1')]);
});
afterAll(() => {
  connections.closeAll();
});

/** The buffer fields of one CLIENT LIST / INFO line, plus the names of every field in order. */
function figures(line: string): Record<string, string> {
  const pairs = line.trim().split(' ').map((pair) => pair.split('='));
  const out: Record<string, string> = { fields: pairs.map(([name]) => name).join(',') };
  for (const [name, value] of pairs) if (name !== undefined && FIELDS.includes(name)) out[name] = value ?? '';
  return out;
}

async function lineOf(observer: RespConnection, name: string): Promise<Record<string, string>> {
  const list = String(await observer.call('CLIENT', 'LIST'));
  const line = list.split('\n').find((entry) => entry.includes(` name=${name} `));
  if (line === undefined) throw new Error(`no client named ${name} in ${list}`);
  return figures(line);
}

/** Runs the same scenario on both servers; returns [redis, ours]. */
async function onBoth<T>(scenario: (port: number) => Promise<T>): Promise<[T, T]> {
  return [await scenario(peers.redis.port), await scenario(peers.ours.port)];
}

describe('client buffer figures match redis-server 7.0', () => {
  it('own CLIENT INFO: the request being run is in the query buffer', async () => {
    const [theirs, mine] = await onBoth(async (port) => {
      const client = await connections.open(port);
      return figures(String(await client.call('CLIENT', 'INFO')));
    });
    expect(mine).toEqual(theirs);
    expect(mine['qbuf']).toBe('26');
  });

  it('an idle client after a small request, and in MULTI with queued commands', async () => {
    const [theirs, mine] = await onBoth(async (port) => {
      const observer = await connections.open(port);
      const probe = await connections.open(port);
      await probe.call('CLIENT', 'SETNAME', 'idle-probe');
      const idle = await lineOf(observer, 'idle-probe');
      await probe.call('MULTI');
      await probe.call('SET', 'key', 'value');
      await probe.call('LPUSH', 'list', 'a', 'b', 'c');
      const queued = await lineOf(observer, 'idle-probe');
      await probe.call('DISCARD');
      return { idle, queued };
    });
    expect(mine).toEqual(theirs);
  });

  it('a request arriving in parts: the parsed arguments and the unparsed tail', async () => {
    const [theirs, mine] = await onBoth(async (port) => {
      const observer = await connections.open(port);
      const probe = await connections.open(port);
      await probe.call('CLIENT', 'SETNAME', 'partial-probe');
      await probe.writeRaw('*3\r\n$3\r\nSET\r\n$7\r\npartial\r\n$10\r\nabc');
      await waitFor(async () => (await lineOf(observer, 'partial-probe'))['argv-mem'] === '10');
      const partial = await lineOf(observer, 'partial-probe');
      await probe.writeRaw('defghij\r\n');
      await probe.nextReply();
      const done = await lineOf(observer, 'partial-probe');
      return { partial, done };
    });
    expect(mine).toEqual(theirs);
    expect(mine.partial['qbuf']).toBe('3');
  });

  it('a big argument (>= 32 KB) gets a buffer of its own size, and the next one is made as big', async () => {
    const [theirs, mine] = await onBoth(async (port) => {
      const observer = await connections.open(port);
      const probe = await connections.open(port);
      await probe.call('CLIENT', 'SETNAME', 'big-probe');
      await probe.writeRaw(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$100000\r\n${'x'.repeat(10)}`);
      await waitFor(async () => (await lineOf(observer, 'big-probe'))['qbuf'] === '10');
      const header = await lineOf(observer, 'big-probe');
      await probe.writeRaw(`${'x'.repeat(99_990)}\r\n`);
      await probe.nextReply();
      const after = await lineOf(observer, 'big-probe');
      await probe.call('SET', 'small', 'value');
      const small = await lineOf(observer, 'big-probe');
      return { header, after, small };
    });
    expect(mine).toEqual(theirs);
    expect(Number(mine.after['qbuf-free'])).toBeGreaterThan(100_000);
  });

  it('pipelined replies queued before CLIENT INFO are in obl, not a pending write (events=r)', async () => {
    const [theirs, mine] = await onBoth(async (port) => {
      const probe = await connections.open(port);
      await probe.writeRaw('PING\r\nCLIENT INFO\r\n');
      await probe.nextReply();
      return figures(String((await probe.nextReply()).value));
    });
    expect(mine).toEqual(theirs);
    expect(mine['obl']).toBe('7');
    expect(mine['events']).toBe('r');
  });

  it('after an unknown command or subcommand the last command is none (cmd=NULL)', async () => {
    const [theirs, mine] = await onBoth(async (port) => {
      const observer = await connections.open(port);
      const probe = await connections.open(port);
      await probe.call('CLIENT', 'SETNAME', 'unknown-probe');
      await probe.call('NOSUCHCOMMAND').catch((failure: Error) => failure.message);
      const unknown = (await lineOf(observer, 'unknown-probe'))['cmd'];
      await probe.call('GET', 'k');
      await probe.call('CONFIG', 'NOSUCHSUB').catch((failure: Error) => failure.message);
      return { unknown, unknownSub: (await lineOf(observer, 'unknown-probe'))['cmd'] };
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual({ unknown: 'NULL', unknownSub: 'NULL' });
  });

  it('a subscribed client: channels and patterns in tot-mem', async () => {
    const [theirs, mine] = await onBoth(async (port) => {
      const observer = await connections.open(port);
      const probe = await connections.open(port);
      await probe.call('CLIENT', 'SETNAME', 'pubsub-probe');
      // Four channels: a fifth would grow the dict, which Redis counts twice while it rehashes.
      await probe.call('SUBSCRIBE', 'one', 'two', 'three', 'four');
      for (let i = 0; i < 3; i++) await probe.nextReply();
      await probe.call('PSUBSCRIBE', 'p*');
      return lineOf(observer, 'pubsub-probe');
    });
    expect(mine).toEqual(theirs);
  });
});
