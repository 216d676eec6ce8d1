import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { shape, step, unordered, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';

const peers = differentialPair();

const binary = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a]);

const script: Step[] = [
  step('FLUSHALL'),
  step('SET', 'a', '1'), step('SET', 'b', '2'), step('SET', binary, 'bin'), step('SET', 'ünï', 'code'),
  step('EXISTS', 'a', 'b', 'c', 'a'), step('EXISTS'),
  step('TYPE', 'a'), step('TYPE', 'nope'),
  unordered('KEYS', '*'), unordered('KEYS', '[ab]'), unordered('KEYS', '*n*'), step('KEYS', 'zzz*'),
  step('DEL', 'a', 'nope'), step('DEL'), step('UNLINK', 'b'),
  step('SET', 'x', 'v'),
  step('EXPIRE', 'x', '100'), step('TTL', 'x'), step('EXPIRETIME', 'nope'), step('PTTL', 'nope'), step('TTL', 'nope'),
  step('EXPIRE', 'x', '100', 'NX'), step('EXPIRE', 'x', '200', 'XX'), step('EXPIRE', 'x', '50', 'GT'), step('EXPIRE', 'x', '500', 'GT'),
  step('EXPIRE', 'x', '500', 'LT'), step('EXPIRE', 'x', '10', 'LT'), step('TTL', 'x'),
  step('EXPIRE', 'x', '10', 'NX', 'XX'), step('EXPIRE', 'x', '10', 'GT', 'LT'), step('EXPIRE', 'x', '10', 'FOO'),
  step('EXPIRE', 'x', 'abc'), step('EXPIRE', 'x', '9223372036854775807'), step('PEXPIRE', 'x', '9223372036854775807'),
  step('EXPIRE', 'nope', '10'), step('PERSIST', 'x'), step('PERSIST', 'x'), step('TTL', 'x'),
  step('PEXPIREAT', 'x', '99999999999999'), step('PEXPIRETIME', 'x'), step('EXPIRETIME', 'x'),
  step('EXPIREAT', 'x', '1'), step('EXISTS', 'x'),
  step('SET', 'r1', 'v1'), step('RENAME', 'r1', 'r2'), step('GET', 'r2'), step('RENAME', 'r1', 'r3'),
  step('SET', 'r4', 'v4'), step('RENAMENX', 'r2', 'r4'), step('RENAMENX', 'r2', 'r5'), step('RENAME', 'r5', 'r5'), step('RENAMENX', 'r5', 'r5'),
  step('EXPIRE', 'r5', '100'), step('RENAME', 'r5', 'r6'), step('TTL', 'r6'),
  step('MOVE', 'r6', '1'), step('MOVE', 'r6', '1'), step('MOVE', 'r4', '0'), step('MOVE', 'r4', '16'), step('MOVE', 'r4', 'x'),
  step('SELECT', '1'), step('GET', 'r6'), step('TTL', 'r6'), step('SELECT', '0'),
  step('COPY', 'r4', 'c1'), step('COPY', 'r4', 'c1'), step('COPY', 'r4', 'c1', 'REPLACE'), step('COPY', 'r4', 'r4'), step('COPY', 'r4', 'c2', 'DB', '2'),
  step('COPY', 'r4', 'c2', 'DB', '99'), step('COPY', 'r4', 'c2', 'FOO'), step('COPY', 'nope', 'c3'),
  step('TOUCH', 'r4', 'c1', 'nope'),
  step('OBJECT', 'ENCODING', 'r4'), step('SET', 'n', '12345'), step('OBJECT', 'ENCODING', 'n'), step('SET', 'long', 'x'.repeat(45)), step('OBJECT', 'ENCODING', 'long'),
  step('OBJECT', 'ENCODING', 'nope'), step('OBJECT', 'REFCOUNT', 'n'), step('OBJECT', 'FREQ', 'n'), step('OBJECT', 'FOO'),
  shape('RANDOMKEY'), step('FLUSHDB'), step('RANDOMKEY'), step('DBSIZE'),
  step('SCAN', 'abc'), step('SCAN', '0', 'COUNT', '0'), step('SCAN', '0', 'FOO', 'bar'), step('SCAN', '0', 'COUNT'),
  // The cursor is read with strtoul: a sign, leading zeros, the empty string and all of 0..2^64-1 are cursors.
  ...['', '+0', '-0', '00', '-1', '18446744073709551615', '-18446744073709551615', '-', '+', ' 1', '1 ', '18446744073709551616', '-18446744073709551616', '0x10']
    .map((cursor) => step('SCAN', cursor)),
  step('SSCAN', 'nope', ''), step('HSCAN', 'nope', '-1'), step('ZSCAN', 'nope', '-'),
];

describe('generic key commands match redis-server', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    expect(await peers.compare(script, protocol)).toEqual([]);
  });

  it('SCAN returns every key exactly once under MATCH, COUNT and TYPE', async () => {
    const connection = new RespConnection('127.0.0.1', peers.ours.port);
    await connection.call('FLUSHALL');
    for (let i = 0; i < 1000; i++) await connection.call('SET', `key:${i}`, 'v');
    await connection.call('RPUSH', 'a:list', 'x').catch(() => undefined);
    const seen: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = (await connection.call('SCAN', cursor, 'MATCH', 'key:*', 'COUNT', '37')) as [string, string[]];
      seen.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    expect(seen.length).toBe(1000);
    expect(new Set(seen).size).toBe(1000);
    const [, strings] = (await connection.call('SCAN', '0', 'TYPE', 'string', 'COUNT', '5000')) as [string, string[]];
    expect(strings.length).toBe(1000);
    connection.close();
  });
});
