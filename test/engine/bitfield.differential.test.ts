/**
 * BITFIELD and BITFIELD_RO against a real redis-server 7.0: every width
 * class, signed and unsigned, `#` offsets, the three OVERFLOW modes at both
 * ends of each range (with 64-bit edges), GETs after padding writes, errors
 * before anything runs, and a fixed-seed random workload whose final string
 * must equal Redis's byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { step, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';

const script: Step[] = [
  step('FLUSHALL'),
  step('BITFIELD', 'bf', 'SET', 'i8', '0', '100', 'GET', 'i8', '0', 'GET', 'u4', '0', 'GET', 'u4', '4'), step('GET', 'bf'),
  step('BITFIELD', 'bf', 'INCRBY', 'u2', '100', '1', 'OVERFLOW', 'SAT', 'INCRBY', 'u2', '102', '1'), step('GET', 'bf'),
  step('BITFIELD', 'bf', 'SET', 'u8', '#3', '255', 'GET', 'u8', '#3', 'GET', 'i8', '#3'),
  step('BITFIELD', 'w', 'OVERFLOW', 'WRAP', 'INCRBY', 'i8', '0', '127', 'INCRBY', 'i8', '0', '1', 'INCRBY', 'i8', '0', '-1', 'INCRBY', 'u8', '8', '300', 'INCRBY', 'u8', '8', '-301'),
  step('BITFIELD', 's', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '200', 'INCRBY', 'i8', '0', '-500', 'SET', 'i8', '8', '1000', 'SET', 'u8', '16', '-1', 'INCRBY', 'u8', '16', '-999'),
  step('BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '0', '200', 'SET', 'u3', '5', '8', 'INCRBY', 'u3', '5', '7', 'INCRBY', 'u3', '5', '1'), step('GET', 'f'), step('EXISTS', 'f'),
  step('BITFIELD', 'onlyfail', 'OVERFLOW', 'FAIL', 'SET', 'u1', '100', '2'), step('STRLEN', 'onlyfail'),
  step('BITFIELD', 'big', 'SET', 'i64', '3', I64_MAX, 'GET', 'i64', '3', 'INCRBY', 'i64', '3', '1', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '3', I64_MIN, 'INCRBY', 'i64', '3', I64_MIN, 'OVERFLOW', 'FAIL', 'INCRBY', 'i64', '3', '-1'),
  step('BITFIELD', 'big', 'SET', 'u63', '1', I64_MAX, 'SET', 'u63', '1', '-1', 'GET', 'u63', '1', 'OVERFLOW', 'SAT', 'SET', 'u63', '1', I64_MIN, 'INCRBY', 'u63', '1', I64_MAX, 'GET', 'u63', '1'),
  step('BITFIELD', 'big', 'OVERFLOW', 'SAT', 'SET', 'i63', '70', I64_MIN, 'SET', 'i63', '70', I64_MAX, 'OVERFLOW', 'WRAP', 'SET', 'i63', '70', I64_MIN, 'SET', 'i17', '200', '-70000'), step('GET', 'big'),
  step('BITFIELD', 'bf', 'GET', 'i1', '0', 'GET', 'u1', '0', 'GET', 'i64', '0', 'GET', 'u63', '1', 'GET', 'u8', '1000'),
  step('BITFIELD', 'missing', 'GET', 'u8', '0'), step('EXISTS', 'missing'), step('BITFIELD', 'missing'), step('BITFIELD_RO', 'bf', 'GET', 'i8', '0', 'GET', 'u16', '#1'),
  step('BITFIELD_RO', 'bf', 'SET', 'u8', '0', '1'), step('BITFIELD_RO', 'bf', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '1'),
  step('SET', 'str', 'abc'), step('EXPIRE', 'str', '100'), step('BITFIELD', 'str', 'SET', 'u8', '0', '65'), step('GET', 'str'), step('TTL', 'str'),
  step('BITFIELD', 'str', 'SET', 'u8', '100', '1'), step('STRLEN', 'str'),
  step('BITFIELD', 'bf', 'GET', 'u64', '0'), step('BITFIELD', 'bf', 'GET', 'i65', '0'), step('BITFIELD', 'bf', 'GET', 'x8', '0'), step('BITFIELD', 'bf', 'GET', 'i0', '0'), step('BITFIELD', 'bf', 'GET', 'u', '0'),
  step('BITFIELD', 'bf', 'GET', 'u8', '-1'), step('BITFIELD', 'bf', 'GET', 'u8', 'x'), step('BITFIELD', 'bf', 'GET', 'u8', '#-1'), step('BITFIELD', 'bf', 'GET', 'u8', '4294967296'),
  step('BITFIELD', 'bf', 'SET', 'u8', '0', 'x'), step('BITFIELD', 'bf', 'SET', 'u8', '0'), step('BITFIELD', 'bf', 'FOO', 'u8', '0'), step('BITFIELD', 'bf', 'OVERFLOW', 'NOPE'), step('BITFIELD', 'bf', 'OVERFLOW'),
  step('BITFIELD', 'bf', 'SET', 'u8', '0', '1', 'GET', 'bad', '0'), step('GET', 'bf'),
  step('RPUSH', 'list', 'x'), step('BITFIELD', 'list', 'GET', 'u8', '0'), step('BITFIELD', 'list', 'SET', 'u8', '0', '1'),
];

describe('BITFIELD', () => {
  it('answers like redis-server (RESP2 and RESP3)', async () => {
    expect(await peers.compare(script)).toEqual([]);
    expect(await peers.compare(script, 3)).toEqual([]);
  });

  it('a random workload leaves the same replies and the same bytes (fixed seed)', async () => {
    const op = fc.oneof(
      fc.tuple(fc.constantFrom('GET'), fc.constantFrom('i', 'u'), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 200 })),
      fc.tuple(fc.constantFrom('SET', 'INCRBY'), fc.constantFrom('i', 'u'), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 200 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
      fc.tuple(fc.constantFrom('OVERFLOW'), fc.constantFrom('WRAP', 'SAT', 'FAIL')),
    );
    const commands = fc.sample(fc.array(op, { minLength: 1, maxLength: 6 }), { seed: 5, numRuns: 200 });
    const steps: Step[] = [step('DEL', 'r')];
    for (const ops of commands) {
      const args: string[] = [];
      for (const o of ops) {
        if (o[0] === 'OVERFLOW') args.push('OVERFLOW', o[1]);
        else {
          const bits = o[1] === 'u' ? Math.min(o[2], 63) : o[2];
          args.push(o[0], `${o[1]}${bits}`, String(o[3]));
          if (o.length === 5) args.push(String(o[4]));
        }
      }
      steps.push(step('BITFIELD', 'r', ...args));
    }
    steps.push(step('GET', 'r'));
    expect(await peers.compare(steps)).toEqual([]);
  });
});
