import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';

const peers = differentialPair();

const transactions: Step[] = [
  step('FLUSHALL'),
  step('EXEC'), step('DISCARD'),
  step('MULTI'), step('MULTI'), step('SET', 'a', '1'), step('GET', 'a'), step('EXEC'),
  step('MULTI'), step('SET', 'a'), step('NOSUCH'), step('EXEC'),
  step('MULTI'), step('SET', 'b', '2'), step('DISCARD'), step('GET', 'b'),
  step('WATCH', 'a'), step('MULTI'), step('WATCH', 'b'), step('GET', 'a'), step('EXEC'),
  step('MULTI'), step('EXEC'),
  step('UNWATCH'), step('WATCH'),
  step('MULTI'), step('SET', 'c', 'x'), step('EXPIRE', 'c', 'abc'), step('GET', 'c'), step('EXEC'),
  // EXEC refused before it runs aborts with the refusal's text, without the ERR a plain reply carries.
  step('EXEC', 'x'),
  step('MULTI'), step('SET', 'd', '1'), step('EXEC', 'x'), step('GET', 'd'),
];

const pubsub: Step[] = [
  step('PUBLISH', 'ch', 'msg'),
  step('PUBSUB', 'NUMPAT'), step('PUBSUB', 'NUMSUB', 'ch'), step('PUBSUB', 'CHANNELS'), step('PUBSUB', 'FOO'),
  step('SUBSCRIBE', 'ch'),
  step('PING'), step('PING', 'x'), step('GET', 'a'),
  step('UNSUBSCRIBE', 'ch'),
  step('UNSUBSCRIBE'), step('PUNSUBSCRIBE'),
  step('PSUBSCRIBE', 'c*'),
  step('EXEC'),
  step('PUNSUBSCRIBE', 'c*'),
];

describe('transactions and pub/sub match redis-server', () => {
  it.each([2, 3] as const)('transactions RESP%i', async (protocol) => {
    expect(await peers.compare(transactions, protocol)).toEqual([]);
  });

  it.each([2, 3] as const)('pub/sub replies RESP%i', async (protocol) => {
    expect(await peers.compare(pubsub, protocol)).toEqual([]);
  });

  it('a WATCHed key touched by another client makes EXEC fail with a null reply', async () => {
    for (const port of [peers.redis.port, peers.ours.port]) {
      const a = new RespConnection('127.0.0.1', port);
      const b = new RespConnection('127.0.0.1', port);
      await a.call('SET', 'w', '1');
      await a.call('WATCH', 'w');
      await b.call('SET', 'w', '2');
      await a.call('MULTI');
      await a.call('SET', 'w', '3');
      expect(await a.call('EXEC')).toBeNull();
      expect(await b.call('GET', 'w')).toBe('2');
      a.close();
      b.close();
    }
  });

  it('delivers published messages to channel and pattern subscribers', async () => {
    for (const port of [peers.redis.port, peers.ours.port]) {
      const subscriber = new RespConnection('127.0.0.1', port);
      const publisher = new RespConnection('127.0.0.1', port);
      await subscriber.call('SUBSCRIBE', 'news');
      await subscriber.call('PSUBSCRIBE', 'n*');
      expect(await publisher.call('PUBLISH', 'news', 'hello')).toBe(2);
      const first = await subscriber.nextReply();
      const second = await subscriber.nextReply();
      expect(first.value).toEqual(['message', 'news', 'hello']);
      expect(second.value).toEqual(['pmessage', 'n*', 'news', 'hello']);
      subscriber.close();
      publisher.close();
    }
  });
});
