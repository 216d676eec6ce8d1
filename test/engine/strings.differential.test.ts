/**
 * String commands against redis-server, byte for byte in RESP2 and RESP3:
 * every option of SET and GETEX with their syntax and expire-time errors,
 * counters at the int64 limits, INCRBYFLOAT digits, ranges and bits with
 * negative and huge offsets, binary values, WRONGTYPE. TTLs are compared
 * with shape steps (they depend on the clock) or as -1/-2 where exact.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { shape, step, type Step } from '../support/differential';

const peers = differentialPair();

const binary = Buffer.from([0, 255, 13, 10, 1]);

const script: Step[] = [
  step('FLUSHALL'),
  step('SET', 'k', 'v'), step('GET', 'k'), step('GET', 'missing'), step('SET', binary, binary), step('GET', binary),
  step('SET', 'k', 'v2', 'NX'), step('SET', 'k', 'v2', 'XX'), step('SET', 'new', 'x', 'XX'), step('SET', 'new', 'x', 'NX'),
  step('SET', 'k', 'v3', 'GET'), step('SET', 'k', 'v4', 'NX', 'GET'), step('SET', 'nokey', 'v', 'XX', 'GET'), step('SET', 'k', 'v5', 'GET', 'GET'),
  step('SET', 'k', 'v', 'NX', 'XX'), step('SET', 'k', 'v', 'EX'), step('SET', 'k', 'v', 'EX', '10', 'PX', '100'), step('SET', 'k', 'v', 'EX', '10', 'KEEPTTL'),
  step('SET', 'k', 'v', 'KEEPTTL', 'EX', '10'), step('SET', 'k', 'v', 'EX', '0'), step('SET', 'k', 'v', 'EX', '-5'), step('SET', 'k', 'v', 'PX', 'abc'),
  step('SET', 'k', 'v', 'EX', '9223372036854775807'), step('SET', 'k', 'v', 'PX', '9223372036854775807'), step('SET', 'k', 'v', 'FOO'),
  step('SET', 'k', 'v', 'EX', '100'), shape('TTL', 'k'), step('SET', 'k', 'v', 'KEEPTTL'), shape('TTL', 'k'), step('SET', 'k', 'v'), step('TTL', 'k'),
  step('SET', 'k', 'v', 'PXAT', '99999999999999'), step('PEXPIRETIME', 'k'), step('SET', 'k', 'v', 'EXAT', '99999999999'), step('EXPIRETIME', 'k'),
  step('SET', 'k', 'v', 'EX', '10', 'EX', '20'), shape('TTL', 'k'),
  // The largest expire time: kept as a double it reads 2^63, one past int64; replies and the RDB say 2^63-1.
  step('SET', 'far', 'v', 'PXAT', '9223372036854775807'), step('PEXPIRETIME', 'far'), step('SAVE'), step('DEBUG', 'RELOAD'), step('PEXPIRETIME', 'far'),
  step('GETEX', 'far', 'PXAT', '9223372036854775807'), step('PEXPIRETIME', 'far'), step('EXPIRETIME', 'far'),
  step('LPUSH', 'list', 'a'), step('GET', 'list'), step('SET', 'list', 'x', 'GET'), step('SET', 'list', 'x'), step('TYPE', 'list'),
  step('SETNX', 'k', 'z'), step('SETNX', 'fresh', 'z'), step('SETEX', 'se', '100', 'v'), shape('TTL', 'se'), step('SETEX', 'se', '0', 'v'), step('SETEX', 'se', 'x', 'v'),
  step('PSETEX', 'pse', '100000', 'v'), shape('PTTL', 'pse'), step('PSETEX', 'pse', '-1', 'v'),
  step('GETSET', 'k', 'gs'), step('GETSET', 'gsnew', 'x'), step('GET', 'k'),
  step('GETDEL', 'k'), step('GETDEL', 'k'), step('EXISTS', 'k'),
  step('SET', 'ge', 'v'), step('GETEX', 'ge'), step('GETEX', 'ge', 'EX', '100'), shape('TTL', 'ge'), step('GETEX', 'ge', 'PERSIST'), step('TTL', 'ge'),
  step('GETEX', 'ge', 'PX', '0'), step('GETEX', 'ge', 'EX', '10', 'PERSIST'), step('GETEX', 'ge', 'KEEPTTL'), step('GETEX', 'ge', 'FOO'), step('GETEX', 'missing', 'EX', '10'),
  step('GETEX', 'ge', 'PXAT', '1'), step('EXISTS', 'ge'),
  step('MSET', 'a', '1', 'b', '2'), step('MGET', 'a', 'b', 'missing', 'list'), step('MSET', 'a'), step('MSET', 'a', '1', 'b'),
  step('MSETNX', 'a', '1', 'c', '3'), step('MSETNX', 'c', '3', 'd', '4'), step('MGET', 'c', 'd'),
  step('STRLEN', 'a'), step('STRLEN', 'missing'), step('STRLEN', binary), step('STRLEN', 'list'),
  step('SET', 'n', '10'), step('INCR', 'n'), step('DECR', 'n'), step('INCRBY', 'n', '100'), step('DECRBY', 'n', '50'), step('INCRBY', 'n', '-70'),
  step('INCR', 'fresh-counter'), step('DECR', 'fresh-counter2'), step('INCRBY', 'n', 'abc'), step('INCRBY', 'n', '1.5'),
  step('SET', 'n', '9223372036854775806'), step('INCR', 'n'), step('INCR', 'n'), step('SET', 'n', '-9223372036854775807'), step('DECR', 'n'), step('DECR', 'n'),
  step('DECRBY', 'n', '-9223372036854775808'), step('SET', 'n', ' 1'), step('INCR', 'n'), step('SET', 'n', '01'), step('INCR', 'n'), step('SET', 'n', '+1'), step('INCR', 'n'),
  step('SET', 'n', 'abc'), step('INCR', 'n'), step('INCR', 'list'),
  // Around 2^53, where the counter leaves exact double arithmetic for bigints.
  step('SET', 'n', '9007199254740990'), step('INCR', 'n'), step('INCR', 'n'), step('INCR', 'n'), step('DECRBY', 'n', '3'), step('INCRBY', 'n', '-9007199254740993'),
  step('INCRBY', 'n', '-9007199254740991'), step('DECR', 'n'), step('DECRBY', 'n', '9223372036854775807'), step('SET', 'n', '0'), step('DECRBY', 'n', '0'), step('GET', 'n'),
  step('SET', 'ttl-counter', '5', 'EX', '100'), step('INCR', 'ttl-counter'), shape('TTL', 'ttl-counter'),
  step('SET', 'f', '10.50'), step('INCRBYFLOAT', 'f', '0.1'), step('INCRBYFLOAT', 'f', '-5'), step('INCRBYFLOAT', 'f', '5.0e3'), step('INCRBYFLOAT', 'f', 'abc'),
  step('INCRBYFLOAT', 'f', 'inf'), step('INCRBYFLOAT', 'fnew', '3'), step('INCRBYFLOAT', 'list', '1'), step('SET', 'f', 'xyz'), step('INCRBYFLOAT', 'f', '1'),
  step('APPEND', 'ap', 'hello'), step('APPEND', 'ap', ' world'), step('GET', 'ap'), step('APPEND', 'list', 'x'), step('APPEND', 'n2', ''),
  step('SET', 'r', 'Hello World'), step('GETRANGE', 'r', '0', '4'), step('GETRANGE', 'r', '-5', '-1'), step('GETRANGE', 'r', '-1', '-5'), step('GETRANGE', 'r', '5', '1'),
  step('GETRANGE', 'r', '0', '100'), step('GETRANGE', 'r', '-100', '3'), step('GETRANGE', 'missing', '0', '1'), step('GETRANGE', 'r', 'a', '1'), step('SUBSTR', 'r', '0', '2'),
  step('SET', 'int', '12345'), step('GETRANGE', 'int', '1', '2'),
  step('SETRANGE', 'r', '6', 'Redis'), step('GET', 'r'), step('SETRANGE', 'sr', '5', 'x'), step('GET', 'sr'), step('SETRANGE', 'sr2', '3', ''), step('EXISTS', 'sr2'),
  step('SETRANGE', 'r', '-1', 'x'), step('SETRANGE', 'r', 'abc', 'x'), step('SETRANGE', 'r', '536870912', 'x'), step('SETRANGE', 'r', '0', ''), step('SETRANGE', 'list', '0', 'x'),
  step('SETBIT', 'bits', '7', '1'), step('SETBIT', 'bits', '7', '0'), step('SETBIT', 'bits', '100', '1'), step('GET', 'bits'), step('GETBIT', 'bits', '100'), step('GETBIT', 'bits', '9999'),
  step('GETBIT', 'missing', '1'), step('SETBIT', 'bits', '-1', '1'), step('SETBIT', 'bits', '1', '2'), step('SETBIT', 'bits', 'x', '1'), step('SETBIT', 'bits', '4294967296', '1'), step('GETBIT', 'list', '0'),
  step('SET', 'bc', 'foobar'), step('BITCOUNT', 'bc'), step('BITCOUNT', 'bc', '0', '0'), step('BITCOUNT', 'bc', '1', '1'), step('BITCOUNT', 'bc', '-2', '-1'), step('BITCOUNT', 'bc', '5', '30', 'BIT'),
  step('BITCOUNT', 'bc', '0', '-1', 'BYTE'), step('BITCOUNT', 'bc', '0'), step('BITCOUNT', 'bc', '0', '1', 'FOO'), step('BITCOUNT', 'missing'), step('BITCOUNT', 'bc', 'a', '1'), step('BITCOUNT', 'list'),
  step('SET', 'bp', '\xff\xf0\x00'), step('BITPOS', 'bp', '0'), step('BITPOS', 'bp', '1'), step('BITPOS', 'bp', '0', '2'), step('BITPOS', 'bp', '1', '2'), step('BITPOS', 'bp', '0', '0', '1'),
  step('BITPOS', 'bp', '1', '2', '-1'), step('BITPOS', 'bp', '0', '5', '20', 'BIT'), step('BITPOS', 'bp', '1', '-8', '-1', 'BIT'), step('SET', 'ones', '\xff\xff'), step('BITPOS', 'ones', '0'),
  step('BITPOS', 'ones', '0', '0', '-1'), step('BITPOS', 'missing', '0'), step('BITPOS', 'missing', '1'), step('BITPOS', 'bp', '2'), step('BITPOS', 'bp', '1', 'x'), step('BITPOS', 'bp', '1', '0', '1', 'FOO'),
  step('BITPOS', 'bp', '1', '3', '1'), step('BITPOS', 'list', '1'),
];

describe('string commands match redis-server', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    expect(await peers.compare(script, protocol)).toEqual([]);
  });
});
