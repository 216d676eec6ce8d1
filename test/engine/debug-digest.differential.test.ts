/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE against redis-server 7.0, on the same
 * datasets: every type in each of its encodings, with and without TTLs, in
 * several databases, with values whose lengths sit on SHA-1's padding and
 * block boundaries (55/56 bytes: the length field stops fitting the last
 * block; 63/64, 119/120, 127/128 likewise one block on) and past the size
 * at which the engine hands hashing to node:crypto.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

/** Lengths around SHA-1's boundaries (a message of n bytes needs a second block from n = 56 on). */
const BOUNDARY_LENGTHS = [0, 1, 3, 4, 5, 19, 20, 21, 54, 55, 56, 57, 63, 64, 65, 118, 119, 120, 121, 127, 128, 129, 255, 256, 257, 300, 1000, 70_000];

/** `length` bytes covering every byte value (a Buffer: the connection would send a string's chars as UTF-8). */
function bytesOfLength(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 151 + seed * 31 + 7) & 0xff;
  return bytes;
}

const digestValues = (keys: ReadonlyArray<string | Buffer>): Step => step('DEBUG', 'DIGEST-VALUE', ...keys);

describe('DEBUG DIGEST against redis-server', () => {
  it('an empty dataset is forty zeros, and a missing key digests to zeros', async () => {
    expect(await peers.compare([step('FLUSHALL'), step('DEBUG', 'DIGEST'), digestValues(['nosuch', 'other'])])).toEqual([]);
    expect(await peers.ours.call('DEBUG', 'DIGEST')).toBe('0'.repeat(40));
  });

  it('strings of every length around the SHA-1 block boundaries, as keys and as values, binary and int-encoded', async () => {
    const setup: Step[] = [step('FLUSHALL')];
    const keys: Array<string | Buffer> = [];
    for (const [i, length] of BOUNDARY_LENGTHS.entries()) {
      const value = bytesOfLength(length, i);
      keys.push(`v:${length}`);
      setup.push(step('SET', `v:${length}`, value));
      // The same bytes as a key (a key's digest is mixed first), up to a size a key reasonably has.
      if (length <= 1000) {
        const key = bytesOfLength(length, i + 100);
        keys.push(key);
        setup.push(step('SET', key, String(length)));
      }
    }
    // Integer encodings: small shared integers, longs, negative, INCR results, and strings that look numeric but are not.
    const integers = ['0', '1', '9999', '10000', '-1', '-9223372036854775808', '9223372036854775807', '123456789012', '007', '1.5', ' 1', '+1'];
    for (const [i, text] of integers.entries()) {
      keys.push(`int:${i}`);
      setup.push(step('SET', `int:${i}`, text));
    }
    setup.push(step('SET', 'counter', '41'), step('INCR', 'counter'), step('INCRBY', 'counter', '-100'), step('APPEND', 'counter', '5'));
    keys.push('counter');
    const steps = [...setup, step('DBSIZE'), digestValues(keys), step('DEBUG', 'DIGEST')];
    expect(await peers.compare(steps)).toEqual([]);
  });

  it('lists, sets, sorted sets and hashes in each encoding, with elements on the block boundaries', async () => {
    const elements = BOUNDARY_LENGTHS.filter((length) => length <= 300).map((length, i) => bytesOfLength(length, i + 7));
    const many = Array.from({ length: 300 }, (_, i) => `e${i}`);
    const numbers = Array.from({ length: 600 }, (_, i) => String(i * 37 - 500));
    const steps: Step[] = [
      step('FLUSHALL'),
      // Lists: listpack, quicklist with several nodes, integers.
      step('RPUSH', 'list:small', 'a', 'b', '1', '-2', ''), step('RPUSH', 'list:bounds', ...elements),
      step('RPUSH', 'list:big', ...many), step('LPUSH', 'list:big', ...numbers), step('RPUSH', 'list:order', 'x', 'y'), step('RPUSH', 'list:order2', 'y', 'x'),
      // Sets: intset, hashtable (small and large).
      step('SADD', 'set:int', '1', '2', '3', '-7', '1000000'), step('SADD', 'set:int:big', ...numbers), step('SADD', 'set:str', 'a', 'bb', '', ...elements), step('SADD', 'set:big', ...many),
      // Sorted sets: listpack and skiplist; integer-like members; scores that format with %.17g.
      step('ZADD', 'z:small', '1', 'a', '2.5', 'b', '-0.1', 'c', '0', 'd', '1e300', '12', 'inf', 'top', '-inf', 'bottom', '3.0000000000000004', 'e'),
      step('ZADD', 'z:bounds', ...elements.flatMap((member, i) => [String(i / 7), member])),
      step('ZADD', 'z:big', ...many.flatMap((member, i) => [String(i * 1.25 - 100), member])),
      step('ZADD', 'z:neg0', '-0', 'm'),
      // Hashes: listpack, hashtable, integer fields and values.
      step('HSET', 'h:small', 'f', 'v', '1', '2', 'empty', ''), step('HSET', 'h:bounds', ...elements.flatMap((field, i) => [field, elements[elements.length - 1 - i]!])),
      step('HSET', 'h:big', ...many.flatMap((field, i) => [field, numbers[i]!])),
      step('DBSIZE'),
    ];
    const keys = ['list:small', 'list:bounds', 'list:big', 'list:order', 'list:order2', 'set:int', 'set:int:big', 'set:str', 'set:big', 'z:small', 'z:bounds', 'z:big', 'z:neg0', 'h:small', 'h:bounds', 'h:big'];
    for (const key of keys) steps.push(step('OBJECT', 'ENCODING', key));
    steps.push(digestValues(keys), step('DEBUG', 'DIGEST'));
    expect(await peers.compare(steps)).toEqual([]);
  });

  it('streams: entries in ID order with their fields, deletions, consumer groups left out', async () => {
    const steps: Step[] = [
      step('FLUSHALL'),
      step('XADD', 's', '1-1', 'f', 'v'), step('XADD', 's', '1-2', 'f', 'v2', 'g', bytesOfLength(56, 3)),
      step('XADD', 's', '5-0', bytesOfLength(64, 4), bytesOfLength(119, 5)), step('XADD', 's', '18446744073709551615-0', 'last', '1'),
      step('XADD', 'del', '1-1', 'a', '1'), step('XADD', 'del', '2-1', 'b', '2'), step('XADD', 'del', '3-1', 'c', '3'), step('XDEL', 'del', '2-1'),
      step('XADD', 'grouped', '1-1', 'a', '1'), step('XGROUP', 'CREATE', 'grouped', 'g', '0'), step('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'grouped', '>'),
      step('XADD', 'empty', '1-1', 'a', '1'), step('XDEL', 'empty', '1-1'),
      digestValues(['s', 'del', 'grouped', 'empty']), step('DEBUG', 'DIGEST'),
    ];
    // Several listpack nodes (stream-node-max-entries is 100).
    for (let i = 0; i < 250; i++) steps.splice(steps.length - 2, 0, step('XADD', 'long', `${1000 + i}-${i % 3}`, 'n', String(i), 'pad', 'p'.repeat(i % 70)));
    steps.push(step('XLEN', 'long'), digestValues(['long']));
    expect(await peers.compare(steps)).toEqual([]);
  });

  it('TTLs and databases: a key with an expire digests differently, the same data in another db too', async () => {
    const steps: Step[] = [
      step('FLUSHALL'), step('SET', 'plain', 'v'), step('SET', 'timed', 'v', 'EX', '1000'), step('RPUSH', 'tl', 'a', 'b'), step('PEXPIRE', 'tl', '500000'),
      step('HSET', 'th', 'f', 'v'), step('EXPIREAT', 'th', '4102444800'), step('ZADD', 'tz', '1', 'm'), step('EXPIRE', 'tz', '999'),
      step('SADD', 'ts', 'm'), step('EXPIRE', 'ts', '999'), step('XADD', 'tx', '1-1', 'f', 'v'), step('EXPIRE', 'tx', '999'),
      digestValues(['plain', 'timed', 'tl', 'th', 'tz', 'ts', 'tx']), step('DEBUG', 'DIGEST'),
      step('PERSIST', 'timed'), digestValues(['timed']), step('DEBUG', 'DIGEST'),
      step('SELECT', '1'), step('SET', 'plain', 'v'), step('DEBUG', 'DIGEST'), step('SELECT', '9'), step('SET', 'plain', 'v'), step('DEBUG', 'DIGEST'),
      step('SELECT', '15'), step('HSET', 'h', 'a', '1'), step('DEBUG', 'DIGEST'), step('SELECT', '0'), step('FLUSHDB'), step('DEBUG', 'DIGEST'),
      step('SELECT', '1'), step('MOVE', 'plain', '0'), step('DEBUG', 'DIGEST'),
    ];
    expect(await peers.compare(steps)).toEqual([]);
  });

  it('DEBUG POPULATE datasets, with and without a value size, in RDB-loaded form after DEBUG RELOAD', async () => {
    const steps: Step[] = [
      step('FLUSHALL'), step('DEBUG', 'POPULATE', '20000'), step('DEBUG', 'POPULATE', '3000', 'sized', '120'), step('DEBUG', 'POPULATE', '2000', 'wide', '56'),
      step('DEBUG', 'DIGEST'), digestValues(['key:0', 'key:19999', 'sized:0', 'sized:2999', 'wide:7']),
      step('DEBUG', 'RELOAD'), step('DEBUG', 'DIGEST'), digestValues(['key:0', 'key:19999', 'sized:0', 'wide:7']),
      step('SET', 'key:5', 'changed'), step('DEBUG', 'DIGEST'),
    ];
    expect(await peers.compare(steps)).toEqual([]);
  });
});
