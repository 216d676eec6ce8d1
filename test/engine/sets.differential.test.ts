/**
 * SET commands against redis-server 7.0, byte for byte in RESP2 and RESP3:
 * membership, SMOVE, random picks (shape only), SPOP counts, algebra and
 * its *STORE forms (destination replaced, deleted for empty results),
 * SINTERCARD LIMIT, SSCAN, encodings, WRONGTYPE and every argument error.
 * Where Redis replies in hash order the step compares unordered; intset
 * results compare exactly (numeric order).
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { shape, step, unordered, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';

const peers = differentialPair();

const membership: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('SADD', 'si', '3', '1', '2', '-5', '10'), step('SMEMBERS', 'si'), step('OBJECT', 'ENCODING', 'si'), step('SADD', 'si', '2', '4'), step('SCARD', 'si'),
  step('SADD', 'si', '007'), step('OBJECT', 'ENCODING', 'si'), unordered('SMEMBERS', 'si'),
  step('SADD', 's', 'a', 'b', 'c', 'a'), unordered('SMEMBERS', 's'), step('OBJECT', 'ENCODING', 's'), step('SMEMBERS', 'nope'),
  step('SISMEMBER', 's', 'a'), step('SISMEMBER', 's', 'z'), step('SISMEMBER', 'nope', 'a'), step('SISMEMBER', 'str', 'a'),
  step('SMISMEMBER', 's', 'a', 'z', 'b'), step('SMISMEMBER', 'nope', 'a'), step('SMISMEMBER', 'str', 'a'),
  step('SREM', 's', 'a', 'z'), step('SREM', 'nope', 'a'), step('SREM', 'str', 'a'), step('SCARD', 'nope'), step('SCARD', 'str'), step('SADD', 'str', 'a'), step('SMEMBERS', 'str'),
  step('SADD', 'gone', 'x', 'y'), step('SREM', 'gone', 'x', 'y', 'z'), step('EXISTS', 'gone'),
  step('SMOVE', 's', 'd', 'b'), step('SMOVE', 's', 'd', 'zz'), step('SMOVE', 'nope', 'd', 'b'), step('SMOVE', 'nope', 'str', 'b'), step('SMOVE', 's', 'str', 'c'),
  step('SMOVE', 'str', 'd', 'c'), step('SMOVE', 's', 's', 'c'), step('SMOVE', 's', 's', 'q'), step('SMOVE', 's', 'd', 'c'), step('EXISTS', 's'), unordered('SMEMBERS', 'd'),
  step('SADD', 'd2', 'b'), step('SMOVE', 'd', 'd2', 'b'), step('SMEMBERS', 'd2'), step('SMEMBERS', 'd'),
  step('SADD', 'small', '1', '2'), step('CONFIG', 'SET', 'set-max-intset-entries', '3'), step('SADD', 'small', '3'), step('OBJECT', 'ENCODING', 'small'),
  step('SADD', 'small', '4'), step('OBJECT', 'ENCODING', 'small'), step('CONFIG', 'SET', 'set-max-intset-entries', '512'),
  step('SADD', 'k'), step('SREM', 'k'), step('SCARD'), step('SISMEMBER', 'k'), step('SMOVE', 'a', 'b'),
];

const random: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('SADD', 'one', 'only'), step('SPOP', 'one'), step('EXISTS', 'one'), step('SPOP', 'nope'), step('SPOP', 'nope', '2'), step('SPOP', 'str'), step('SPOP', 'str', '1'),
  step('SADD', 'x', 'a', 'b', 'c', 'd', 'e'), step('SPOP', 'x', '-1'), step('SPOP', 'x', '0'), step('SPOP', 'x', 'a'), step('SPOP', 'x', '1', '2'), step('SPOP', 'x', '99999999999999999999'),
  shape('SPOP', 'x', '2'), step('SCARD', 'x'), shape('SPOP', 'x'), step('SCARD', 'x'), shape('SPOP', 'x', '10'), step('EXISTS', 'x'),
  step('SADD', 'ints', '5', '3', '9'), step('SPOP', 'ints', '3'), step('EXISTS', 'ints'), step('SADD', 'ints', '5', '3', '9', '1'), shape('SPOP', 'ints', '3'), step('SCARD', 'ints'),
  step('SADD', 'rebuilt', 'x', ...Array.from({ length: 20 }, (_, i) => String(i))), step('SREM', 'rebuilt', 'x'), step('OBJECT', 'ENCODING', 'rebuilt'),
  shape('SPOP', 'rebuilt', '18'), step('OBJECT', 'ENCODING', 'rebuilt'), step('SCARD', 'rebuilt'), step('EXPIRE', 'rebuilt', '100'), shape('SPOP', 'rebuilt', '1'), step('TTL', 'rebuilt'),
  step('SADD', 'y', 'a', 'b', 'c'),
  step('SRANDMEMBER', 'nope'), step('SRANDMEMBER', 'nope', '3'), step('SRANDMEMBER', 'nope', '-3'), step('SRANDMEMBER', 'str'), step('SRANDMEMBER', 'str', '2'),
  shape('SRANDMEMBER', 'y'), step('SRANDMEMBER', 'y', 'a'), step('SRANDMEMBER', 'y', '0'), step('SRANDMEMBER', 'y', '1', '2'),
  step('SRANDMEMBER', 'y', '-9223372036854775808'), step('SRANDMEMBER', 'y', '9223372036854775808'),
  shape('SRANDMEMBER', 'y', '2'), shape('SRANDMEMBER', 'y', '1'), shape('SRANDMEMBER', 'y', '-7'), unordered('SRANDMEMBER', 'y', '3'), unordered('SRANDMEMBER', 'y', '30'),
  step('SADD', 'iy', '3', '1', '2'), step('SRANDMEMBER', 'iy', '10'), step('SCARD', 'y'),
];

const algebra: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('SADD', 'x', 'a', 'b', 'c'), step('SADD', 'y', 'b', 'c', 'd'), step('SADD', 'z', 'c', 'e'),
  step('SADD', 'i1', '1', '2', '3', '4'), step('SADD', 'i2', '3', '4', '5'), step('SADD', 'mix', '3', 'a'),
  unordered('SINTER', 'x', 'y'), step('SINTER', 'x', 'y', 'z'), step('SINTER', 'x', 'nope'), step('SINTER', 'nope', 'str'), step('SINTER', 'x', 'str'),
  step('SINTER', 'i1', 'i2'), step('SINTER', 'i1', 'mix'), unordered('SINTER', 'x', 'x'),
  unordered('SUNION', 'x', 'y'), step('SUNION', 'i1', 'i2'), step('SUNION', 'nope'), step('SUNION', 'nope', 'str'), unordered('SUNION', 'i1', 'mix'),
  unordered('SDIFF', 'x', 'y'), step('SDIFF', 'x', 'y', 'z'), step('SDIFF', 'i1', 'i2'), step('SDIFF', 'nope', 'x'), unordered('SDIFF', 'x', 'nope'), step('SDIFF', 'x', 'x'), step('SDIFF', 'x', 'str'),
  step('SINTERSTORE', 'dst', 'x', 'y'), unordered('SMEMBERS', 'dst'), step('OBJECT', 'ENCODING', 'dst'), step('SINTERSTORE', 'dst', 'i1', 'i2'), step('SMEMBERS', 'dst'), step('OBJECT', 'ENCODING', 'dst'),
  step('SET', 'dst', 'string'), step('EXPIRE', 'dst', '100'), step('SINTERSTORE', 'dst', 'x', 'y'), step('TTL', 'dst'), step('TYPE', 'dst'),
  step('SINTERSTORE', 'dst', 'x', 'nope'), step('EXISTS', 'dst'), step('SINTERSTORE', 'dst', 'x', 'nope'), step('SINTERSTORE', 'dst', 'x', 'str'),
  step('SINTERSTORE', 'x', 'x', 'y'), unordered('SMEMBERS', 'x'),
  step('SUNIONSTORE', 'u', 'x', 'y', 'z'), unordered('SMEMBERS', 'u'), step('SUNIONSTORE', 'u', 'i1', 'i2'), step('SMEMBERS', 'u'), step('SUNIONSTORE', 'u', 'nope'), step('EXISTS', 'u'),
  step('SUNIONSTORE', 'u', 'str'), step('SDIFFSTORE', 'df', 'i1', 'i2'), step('SMEMBERS', 'df'), step('SDIFFSTORE', 'df', 'i1', 'i1'), step('EXISTS', 'df'), step('SDIFFSTORE', 'df', 'y', 'x'), step('SMEMBERS', 'df'),
  step('SDIFFSTORE', 'df', 'str', 'x'),
  step('SINTERCARD', '2', 'x', 'y'), step('SINTERCARD', '2', 'i1', 'i2', 'LIMIT', '1'), step('SINTERCARD', '2', 'i1', 'i2', 'limit', '0'), step('SINTERCARD', '1', 'nope'),
  step('SINTERCARD', '0', 'x'), step('SINTERCARD', '-1', 'x'), step('SINTERCARD', 'a', 'x'), step('SINTERCARD', '3', 'x', 'y'), step('SINTERCARD', '2', 'x', 'str'),
  step('SINTERCARD', '2', 'x', 'y', 'LIMIT', '-1'), step('SINTERCARD', '2', 'x', 'y', 'LIMIT', 'x'), step('SINTERCARD', '2', 'x', 'y', 'LIMIT'), step('SINTERCARD', '2', 'x', 'y', 'FOO'),
  step('SINTERCARD', '1', 'x', 'y'), step('SINTERCARD', '9223372036854775807', 'x'), step('SINTERCARD', '9223372036854775808', 'x'), step('SINTERCARD', '2', 'x', 'y', 'LIMIT', '9223372036854775807'),
  step('SINTERSTORE', 'only'), step('SUNIONSTORE', 'only'), step('SDIFF'),
];

/**
 * SDIFFSTORE's two algorithms (sunionDiffGenericCommand): when the first set
 * is large next to the others, Redis adds all of it to the result and then
 * removes the others' members, so the result keeps the width its removed
 * members gave the intset, or the hashtable encoding once it passed
 * set-max-intset-entries (512 here).
 */
const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const diffAlgorithms: Step[] = [
  step('FLUSHALL'),
  step('SADD', 'a', ...range(1, 9), '100000'), step('SADD', 'b', '100000'), step('SADD', 'c', '100000'),
  step('SDIFFSTORE', 'd', 'a', 'b', 'c'), step('OBJECT', 'ENCODING', 'd'), step('MEMORY', 'USAGE', 'd'), step('DUMP', 'd'),
  step('SDIFFSTORE', 'd', 'a', 'b'), step('OBJECT', 'ENCODING', 'd'), step('MEMORY', 'USAGE', 'd'), step('DUMP', 'd'),
  step('SADD', 'big', ...range(1, 600)), step('SADD', 'low', ...range(1, 100)), step('SADD', 'one', '1'),
  step('SDIFFSTORE', 'd', 'big', 'low', 'one', 'one'), step('OBJECT', 'ENCODING', 'd'), step('SCARD', 'd'),
  step('SDIFFSTORE', 'd', 'big', 'low'), step('OBJECT', 'ENCODING', 'd'), step('SCARD', 'd'),
];

const scan: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('SADD', 'ints', '30', '10', '20', '11'), step('SSCAN', 'ints', '0'), step('SSCAN', 'ints', '0', 'MATCH', '1*'), step('SSCAN', 'ints', '0', 'COUNT', '1'),
  step('SSCAN', 'nope', '0'), step('SSCAN', 'nope', '0', 'COUNT', '0'), step('SSCAN', 'str', '0'), step('SSCAN', 'ints', 'x'), step('SSCAN', 'ints', '-1'), step('SSCAN', 'ints', ' 1'), step('SSCAN', 'ints', '18446744073709551616'), step('SSCAN', 'ints', '+5'),
  step('SSCAN', 'ints', '0', 'COUNT', '0'), step('SSCAN', 'ints', '0', 'COUNT', '9223372036854775807'), step('SSCAN', 'ints', '0', 'COUNT', '9223372036854775808'), step('SSCAN', 'ints', '0', 'COUNT', 'x'), step('SSCAN', 'ints', '0', 'MATCH'), step('SSCAN', 'ints', '0', 'TYPE', 'set'), step('SSCAN', 'ints', '0', 'FOO', 'bar'),
  step('SADD', 'one', 'member'), step('SSCAN', 'one', '0'), step('SSCAN', 'one', '0', 'MATCH', 'mem*', 'COUNT', '100'), step('SSCAN', 'one', '0', 'MATCH', 'x*'),
];

describe('set commands match redis-server', () => {
  for (const [name, script] of [['membership and SMOVE', membership], ['SPOP and SRANDMEMBER', random], ['algebra and stores', algebra], ['SDIFFSTORE\'s two algorithms', diffAlgorithms], ['SSCAN', scan]] as const) {
    it.each([2, 3] as const)(`${name}, RESP%i`, async (protocol) => {
      expect(await peers.compare(script, protocol)).toEqual([]);
    });
  }

  it('SSCAN of a hash-table set visits every member once, with COUNT and MATCH, like redis-server', async () => {
    const results: Array<{ all: string[]; matched: string[] }> = [];
    for (const server of [peers.redis, peers.ours]) {
      const connection = new RespConnection('127.0.0.1', server.port);
      await connection.call('DEL', 'big');
      const members = Array.from({ length: 300 }, (_, i) => `m${i}`);
      await connection.call('SADD', 'big', ...members);
      expect(await connection.call('OBJECT', 'ENCODING', 'big')).toBe('hashtable');
      const walk = async (...options: string[]): Promise<string[]> => {
        const seen: string[] = [];
        let cursor = '0';
        let rounds = 0;
        do {
          const [next, batch] = (await connection.call('SSCAN', 'big', cursor, ...options)) as [string, string[]];
          seen.push(...batch);
          cursor = next;
          rounds++;
        } while (cursor !== '0' && rounds < 1000);
        return seen;
      };
      const all = await walk('COUNT', '7');
      const matched = await walk('MATCH', 'm1*', 'COUNT', '50');
      expect(new Set(all).size).toBe(all.length);
      results.push({ all: all.sort(), matched: [...new Set(matched)].sort() });
      connection.close();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.all).toHaveLength(300);
  });

  it('COMMAND INFO (classic fields: arity, flags, key positions, ACL categories, tips) and COMMAND GETKEYS match redis-server', async () => {
    const names = 'sadd srem smembers sismember smismember scard spop srandmember smove sinter sintercard sinterstore sunion sunionstore sdiff sdiffstore sscan'.split(' ');
    const classic = async (port: number, name: string) => {
      const connection = new RespConnection('127.0.0.1', port);
      try {
        return ((await connection.call('COMMAND', 'INFO', name)) as unknown[][])[0]!.slice(0, 8);
      } finally {
        connection.close();
      }
    };
    for (const name of names) expect(await classic(peers.ours.port, name), name).toEqual(await classic(peers.redis.port, name));
    for (const args of [['sintercard', '2', 'a', 'b', 'LIMIT', '1'], ['smove', 'a', 'b', 'm'], ['sunionstore', 'd', 'a', 'b']]) {
      const [a, b] = [new RespConnection('127.0.0.1', peers.redis.port), new RespConnection('127.0.0.1', peers.ours.port)];
      expect(await b.call('COMMAND', 'GETKEYS', ...args), args[0]).toEqual(await a.call('COMMAND', 'GETKEYS', ...args));
      a.close();
      b.close();
    }
  });
});
