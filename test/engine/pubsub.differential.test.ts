/**
 * Pub/sub against real redis-server beyond the basic replies: shard
 * channels as their own namespace (counts, UNSUBSCRIBE without arguments,
 * PUBSUB SHARD*), messages and confirmations that CLIENT REPLY OFF/SKIP must
 * not swallow (RESP2 and RESP3), and SPUBLISH reaching a replica's
 * subscribers through the replication stream.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, unordered } from '../support/differential';
import { RespConnection } from '../support/resp-connection';
import { command, waitForSync } from '../support/replication';
import { startRedisServer } from '../support/redis-server';
import { startEngine } from '../support/engine';

const peers = differentialPair();

const shardScript = [
  step('SUBSCRIBE', 'a'), step('SSUBSCRIBE', 'b', 'c'), step('PSUBSCRIBE', 'p*'), step('SSUBSCRIBE', 'b'), step('SUBSCRIBE', 'b'),
  // UNSUBSCRIBE without arguments walks a hash table in Redis: leave one channel for it.
  step('SUNSUBSCRIBE', 'b'), step('UNSUBSCRIBE', 'b'), step('UNSUBSCRIBE'), step('UNSUBSCRIBE'), step('SUNSUBSCRIBE'), step('SUNSUBSCRIBE'), step('PUNSUBSCRIBE'), step('PUNSUBSCRIBE'),
  step('SUNSUBSCRIBE'), step('SSUBSCRIBE', 'x'), step('PING'), step('SUNSUBSCRIBE', 'x'), step('PING'),
];

/** The raw bytes one connection receives while another publishes, in order. */
async function transcript(port: number, protocol: 2 | 3): Promise<string[]> {
  const me = new RespConnection('127.0.0.1', port);
  const other = new RespConnection('127.0.0.1', port);
  const seen: string[] = [];
  const read = async (): Promise<void> => {
    seen.push((await me.nextReply(5000)).raw.toString('latin1'));
  };
  try {
    if (protocol === 3) await me.call('HELLO', '3');
    await me.writeRaw('CLIENT REPLY OFF\r\nSUBSCRIBE ch\r\n');
    await read();
    await me.writeRaw('SSUBSCRIBE sh\r\nPSUBSCRIBE c*\r\n');
    await read();
    await read();
    seen.push(`publish ${String(await other.call('PUBLISH', 'ch', 'one'))}`);
    await read();
    await read();
    seen.push(`spublish ${String(await other.call('SPUBLISH', 'sh', 'two'))}`);
    await read();
    if (protocol === 3) {
      // Only RESP3 may run other commands while subscribed: SKIP drops the next reply, not the pushes.
      await me.writeRaw('CLIENT REPLY ON\r\nCLIENT REPLY SKIP\r\nPING skipped\r\nPING shown\r\n');
      await read();
      await read();
    }
    await me.writeRaw('CLIENT REPLY OFF\r\nUNSUBSCRIBE\r\nSUNSUBSCRIBE\r\nPUNSUBSCRIBE\r\n');
    for (let i = 0; i < 3; i++) await read();
    seen.push(`publish after ${String(await other.call('PUBLISH', 'ch', 'three'))}`);
  } finally {
    me.close();
    other.close();
  }
  return seen;
}

describe('pub/sub matches redis-server', () => {
  it.each([2, 3] as const)('shard channels are their own namespace, counted apart (RESP%i)', async (protocol) => {
    expect(await peers.compare(shardScript, protocol)).toEqual([]);
  });

  it('PUBSUB SHARDCHANNELS / SHARDNUMSUB / CHANNELS and INFO count shard channels apart', async () => {
    const subscribers = await Promise.all([peers.redis.port, peers.ours.port].map(async (port) => {
      const subscriber = new RespConnection('127.0.0.1', port);
      await subscriber.call('SSUBSCRIBE', 'chan1', 'chan2');
      await subscriber.nextReply();
      await subscriber.call('SUBSCRIBE', 'chan1');
      return subscriber;
    }));
    try {
      const mismatches = await peers.compare([
        unordered('PUBSUB', 'SHARDCHANNELS'), step('PUBSUB', 'SHARDCHANNELS', 'chan2'), step('PUBSUB', 'CHANNELS'), step('PUBSUB', 'CHANNELS', 'a', 'b'), step('PUBSUB', 'shardchannels', 'a', 'b'),
        step('PUBSUB', 'SHARDNUMSUB', 'chan1', 'chan3'), step('PUBSUB', 'NUMSUB', 'chan1', 'chan2'), step('SPUBLISH', 'chan2', 'x'), step('PUBLISH', 'chan2', 'x'),
      ]);
      expect(mismatches).toEqual([]);
      for (const port of [peers.redis.port, peers.ours.port]) {
        const info = String(await command({ port }, 'INFO', 'stats'));
        expect(info).toContain('pubsubshard_channels:2\r\n');
        expect(info).toContain('pubsub_channels:1\r\n');
      }
    } finally {
      for (const subscriber of subscribers) subscriber.close();
    }
  });

  it.each([2, 3] as const)('CLIENT REPLY OFF/SKIP silence replies, never messages or (un)subscribe confirmations (RESP%i)', async (protocol) => {
    const redis = await transcript(peers.redis.port, protocol);
    const ours = await transcript(peers.ours.port, protocol);
    expect(ours).toEqual(redis);
    expect(redis.filter((line) => line.includes('message'))).toHaveLength(3);
  });

  it('SPUBLISH and PUBLISH on a master reach subscribers of its replica', async () => {
    const results = [];
    for (const master of [peers.redis, peers.ours]) {
      await command(master, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
      const replica = master === peers.redis ? await startRedisServer() : await startEngine();
      await command(replica, 'REPLICAOF', '127.0.0.1', master.port);
      await waitForSync(replica);
      const subscriber = new RespConnection('127.0.0.1', replica.port);
      try {
        await subscriber.call('SSUBSCRIBE', 'chan1');
        await subscriber.call('SUBSCRIBE', 'chan1');
        await command(master, 'SPUBLISH', 'chan1', 'hello');
        await command(master, 'PUBLISH', 'chan1', 'world');
        results.push([(await subscriber.nextReply()).raw.toString('latin1'), (await subscriber.nextReply()).raw.toString('latin1')]);
      } finally {
        subscriber.close();
        await command(replica, 'REPLICAOF', 'NO', 'ONE');
      }
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]![0]).toContain('smessage');
  });
});
