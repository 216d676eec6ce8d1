/**
 * Keyspace notifications against real redis-server: the same scripts run
 * on both with every event class on (AKE plus keymiss m and new-key n), and
 * each command must cause the same notifications, with the same names, on
 * the same channels, in the same order, and get the same reply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { redisAndOurs } from '../support/peers';
import { keyspaceEventRecorder, transcriptDifferences, type Command, type Recorder } from '../support/keyspace-events';

const peers = redisAndOurs();
const ALL_CLASSES = 'AKEmn';

const recorders: Recorder[] = [];
afterEach(() => {
  while (recorders.length > 0) recorders.pop()!.close();
});

async function compare(script: ReadonlyArray<Command>, classes = ALL_CLASSES): Promise<void> {
  const setup: Command[] = [['FLUSHALL'], ['SELECT', '0'], ['CONFIG', 'SET', 'notify-keyspace-events', classes]];
  const transcripts = [];
  for (const port of [peers.redis.port, peers.ours.port]) {
    const recorder = await keyspaceEventRecorder(port);
    recorders.push(recorder);
    await recorder.run(setup);
    transcripts.push(await recorder.run(script));
    await recorder.run([['CONFIG', 'SET', 'notify-keyspace-events', '']]);
  }
  const [redis, ours] = transcripts;
  expect(transcriptDifferences(redis!, ours!)).toEqual([]);
  // The scripts are meant to cause events: an empty transcript would prove nothing.
  expect(redis!.some((entry) => entry.events.length > 0)).toBe(true);
}

const strings: Command[] = [
  ['SET', 's', 'v'], ['SET', 's', 'w'], ['SET', 's', 'x', 'NX'], ['SET', 's2', 'x', 'XX'],
  ['SET', 's', 'y', 'EX', 100], ['SET', 's', 'z', 'KEEPTTL'], ['SET', 'missing', 'a', 'GET'], ['SET', 'missing', 'b', 'GET'],
  ['SETNX', 's3', 1], ['SETNX', 's3', 2], ['SETEX', 's4', 100, 'v'], ['PSETEX', 's5', 100000, 'v'],
  ['GETSET', 's6', 'a'], ['GETSET', 's6', 'b'], ['GETDEL', 's6'], ['GETDEL', 's6'],
  ['GETEX', 's', 'PERSIST'], ['GETEX', 's', 'PERSIST'], ['GETEX', 's', 'EX', 100], ['GETEX', 's', 'PXAT', 1], ['GETEX', 'nokey'],
  ['MSET', 'm1', 'a', 'm2', 'b'], ['MSETNX', 'm3', 'a', 'm1', 'b'], ['MSETNX', 'm3', 'a', 'm4', 'b'],
  ['GET', 'nokey'], ['MGET', 'm1', 'nokey', 'm2'], ['STRLEN', 'nokey'],
];

const keys: Command[] = [
  ['SET', 'a', 1], ['SET', 'b', 2], ['DEL', 'a', 'b', 'c'], ['UNLINK', 'nokey'],
  ['SET', 'a', 1], ['EXPIRE', 'a', 100], ['PEXPIRE', 'a', 200000, 'GT'], ['PEXPIRE', 'a', 100000, 'GT'], ['EXPIRE', 'a', 10, 'NX'], ['PERSIST', 'a'], ['PERSIST', 'a'],
  ['EXPIREAT', 'a', 1], ['EXPIRE', 'nokey', 10],
  ['SET', 'a', 1], ['RENAME', 'a', 'b'], ['RENAME', 'nokey', 'x'], ['SET', 'c', 3], ['RENAME', 'b', 'c'], ['RENAMENX', 'c', 'd'], ['SET', 'e', 1], ['RENAMENX', 'd', 'e'],
  ['PEXPIRE', 'd', 100000], ['RENAME', 'd', 'f'],
  ['MOVE', 'f', 1], ['MOVE', 'nokey', 1], ['SET', 'g', 1], ['MOVE', 'g', 1], ['SELECT', 1], ['MOVE', 'g', 0], ['SELECT', 0],
  ['COPY', 'e', 'h'], ['COPY', 'e', 'h'], ['COPY', 'e', 'h', 'REPLACE'], ['COPY', 'e', 'h', 'DB', 2], ['COPY', 'nokey', 'x'],
  ['EXISTS', 'nokey', 'e'], ['TYPE', 'nokey'], ['TTL', 'nokey'], ['PTTL', 'e'], ['OBJECT', 'ENCODING', 'nokey'], ['TOUCH', 'nokey'],
];

const lists: Command[] = [
  ['LPUSH', 'l', 'a', 'b'], ['RPUSH', 'l', 'c'], ['LPUSHX', 'nol', 'a'], ['RPUSHX', 'l', 'd'],
  ['LPOP', 'l'], ['RPOP', 'l'], ['LPOP', 'l', 0], ['LPOP', 'l', 5], ['RPOP', 'l'], ['LPOP', 'nol', 2],
  ['RPUSH', 'l', 'a', 'b', 'c', 'a'], ['LSET', 'l', 0, 'x'], ['LSET', 'l', 99, 'x'], ['LINSERT', 'l', 'BEFORE', 'b', 'y'], ['LINSERT', 'l', 'AFTER', 'zz', 'y'],
  ['LREM', 'l', 0, 'nope'], ['LREM', 'l', 1, 'a'], ['LTRIM', 'l', 0, -1], ['LTRIM', 'l', 1, 2], ['LTRIM', 'l', 5, 1], ['LTRIM', 'nol', 0, 1],
  ['RPUSH', 'l', 'a', 'b'], ['RPOPLPUSH', 'l', 'l2'], ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'], ['LMOVE', 'l2', 'l2', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'nol', 'l2'],
  ['LMPOP', 2, 'nol', 'l2', 'LEFT', 'COUNT', 1], ['LMPOP', 1, 'l2', 'RIGHT', 'COUNT', 10],
  ['RPUSH', 'l', 'a'], ['BLPOP', 'nol', 'l', 1], ['RPUSH', 'l', 'a', 'b'], ['BRPOPLPUSH', 'l', 'l3', 1], ['BLMOVE', 'l', 'l3', 'RIGHT', 'LEFT', 1], ['BLMPOP', 1, 1, 'l3', 'LEFT', 'COUNT', 5],
  ['LRANGE', 'nol', 0, -1], ['LLEN', 'nol'], ['LINDEX', 'nol', 0], ['LPOS', 'nol', 'a'],
];

describe('keyspace notifications match redis-server', () => {
  it('strings', async () => compare(strings));
  it('generic key commands', async () => compare(keys));
  it('lists', async () => compare(lists));

  it('only the enabled classes and channel kinds are published', async () => {
    const script: Command[] = [['SET', 'a', 1], ['LPUSH', 'l', 'x'], ['DEL', 'a'], ['GET', 'nokey']];
    for (const classes of ['K$', 'El', 'Kg', 'KEA', 'Em', 'En', 'KElg']) await compare([...script, ['SET', 'a', 2]], classes);
  });

  it('CONFIG SET accepts the class letters and CONFIG GET prints the canonical string', async () => {
    for (const value of ['gKE', '$lshzxeKE', 'KA', 'EA', 'AKEmn', 'nm', 'Ad', 'tdn', 'x', '', 'K']) {
      const redisReply = await peers.redis.call('CONFIG', 'SET', 'notify-keyspace-events', value);
      const ourReply = await peers.ours.call('CONFIG', 'SET', 'notify-keyspace-events', value);
      expect(ourReply).toEqual(redisReply);
      expect(await peers.ours.call('CONFIG', 'GET', 'notify-keyspace-events')).toEqual(await peers.redis.call('CONFIG', 'GET', 'notify-keyspace-events'));
    }
    const redisError = await peers.redis.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEq');
    expect(String(await peers.ours.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEq'))).toBe(String(redisError));
    expect(await peers.ours.call('CONFIG', 'GET', 'notify-keyspace-events')).toEqual(['notify-keyspace-events', 'K']);
    await peers.redis.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    await peers.ours.call('CONFIG', 'SET', 'notify-keyspace-events', '');
  });
});
