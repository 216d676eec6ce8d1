/**
 * Per-key object metadata against redis-server 7.0: string encodings that
 * depend on how a value was made (APPEND, SETRANGE, SETBIT, BITFIELD, BITOP
 * write raw strings; INCRBYFLOAT an embstr), shared integers (OBJECT
 * REFCOUNT), OBJECT IDLETIME from the LRU clock (touched by reads and
 * writes, not by TYPE/EXISTS/TTL/OBJECT; set by RESTORE IDLETIME), OBJECT FREQ from the LFU counter (RESTORE FREQ), and
 * the errors when the policy does not track the one asked for.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';
import { sleep } from '../support/wait';

const peers = differentialPair();

/** DUMP of the string "v" (RDB type 0, version 10, CRC64). */
const PAYLOAD = Buffer.from('0001760a00' + '9108ceb219388ace', 'hex');

// RENAME, MOVE and COPY carrying a value's meta along show in the encodings ('rename-raw', 'copy-raw').
describe('object metadata against redis-server', () => {
  it('reports the encodings and reference counts of values made in different ways', async () => {
    const steps: Step[] = [step('FLUSHALL')];
    const made: Array<[string, Step[]]> = [
      ['int', [step('SET', 'k', '1234')]],
      ['setrange-int', [step('SET', 'k', '1234'), step('SETRANGE', 'k', '0', '2')]],
      ['setrange-new', [step('SETRANGE', 'k', '0', '12')]],
      ['setrange-empty', [step('SET', 'k', '77'), step('SETRANGE', 'k', '0', '')]],
      ['append-new', [step('APPEND', 'k', '12')]],
      ['append-old', [step('SET', 'k', '12'), step('APPEND', 'k', '3')]],
      ['setbit-same', [step('SET', 'k', '1'), step('SETBIT', 'k', '0', '0')]],
      ['setbit-new', [step('SETBIT', 'k', '7', '1')]],
      ['bitfield-get', [step('SET', 'k', '1'), step('BITFIELD', 'k', 'GET', 'u8', '0')]],
      ['bitfield-set-same', [step('SET', 'k', '1'), step('BITFIELD', 'k', 'SET', 'u8', '0', '49')]],
      ['bitop', [step('SET', 'a', '1'), step('BITOP', 'NOT', 'k', 'a')]],
      ['incrbyfloat', [step('SET', 'k', '1'), step('INCRBYFLOAT', 'k', '2')]],
      ['incrbyfloat-long', [step('SET', 'k', '1'), step('INCRBYFLOAT', 'k', '1e40')]],
      ['incr-after-raw', [step('SETRANGE', 'k', '0', '5'), step('INCR', 'k')]],
      ['copy-raw', [step('APPEND', 'a', 'x'), step('APPEND', 'a', 'y'), step('COPY', 'a', 'k')]],
      ['rename-raw', [step('SET', 'a', '10'), step('SETRANGE', 'a', '0', '2'), step('RENAME', 'a', 'k')]],
      ['shared-0', [step('SET', 'k', '0')]],
      ['shared-9999', [step('SET', 'k', '9998'), step('INCR', 'k')]],
      ['not-shared-10000', [step('SET', 'k', '9999'), step('INCR', 'k')]],
      ['negative', [step('SET', 'k', '-1')]],
      ['padded', [step('SET', 'k', '01')]],
    ];
    for (const [, setup] of made) {
      steps.push(step('DEL', 'k', 'a'), ...setup, step('OBJECT', 'ENCODING', 'k'), step('OBJECT', 'REFCOUNT', 'k'), step('GET', 'k'));
    }
    // An LRU policy with a limit turns shared integers off.
    steps.push(step('CONFIG', 'SET', 'maxmemory', '1gb'), step('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'), step('SET', 'k', '5'), step('OBJECT', 'REFCOUNT', 'k'));
    steps.push(step('CONFIG', 'SET', 'maxmemory-policy', 'noeviction'), step('CONFIG', 'SET', 'maxmemory', '0'), step('OBJECT', 'REFCOUNT', 'k'));
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(steps, protocol)).toEqual([]);
    }
  });

  it('tracks idle time: reads and writes reset it, TYPE/EXISTS/TTL/OBJECT do not, RENAME/MOVE keep it, RESTORE IDLETIME sets it', async () => {
    const setup: Step[] = [
      step('FLUSHALL'), step('CONFIG', 'SET', 'maxmemory-policy', 'noeviction'),
      step('SET', 'read', 'v'), step('SET', 'written', 'v'), step('SET', 'peeked', 'v'), step('SET', 'renamed', 'v'), step('SET', 'moved', 'v'),
      step('SET', 'dumped', 'v'), step('RPUSH', 'list', 'a'),
    ];
    expect(await peers.compare(setup)).toEqual([]);
    await sleep(2200);
    const after: Step[] = [
      step('GET', 'read'), step('APPEND', 'written', 'x'), step('TYPE', 'peeked'), step('EXISTS', 'peeked'), step('TTL', 'peeked'),
      step('OBJECT', 'ENCODING', 'peeked'), step('RENAME', 'renamed', 'renamed2'), step('MOVE', 'moved', '1'), step('LINDEX', 'list', '0'),
    ];
    expect(await peers.compare(after)).toEqual([]);
    for (const peer of [peers.redis, peers.ours]) {
      const idle = async (key: string, db = 0): Promise<number> => {
        if (db !== 0) await peer.call('SELECT', String(db));
        const seconds = Number(await peer.call('OBJECT', 'IDLETIME', key));
        if (db !== 0) await peer.call('SELECT', '0');
        return seconds;
      };
      expect(await idle('read')).toBeLessThanOrEqual(1);
      expect(await idle('written')).toBeLessThanOrEqual(1);
      expect(await idle('list')).toBeLessThanOrEqual(1);
      expect(await idle('peeked')).toBeGreaterThanOrEqual(2);
      // RENAME and MOVE look the key up for writing first, which touches it (lookupKeyWrite).
      expect(await idle('renamed2')).toBeLessThanOrEqual(1);
      expect(await idle('moved', 1)).toBeLessThanOrEqual(1);
      const payload = Buffer.from(String(await peer.call('DUMP', 'dumped')), 'latin1');
      await peer.call('RESTORE', 'restored', '0', payload, 'IDLETIME', '1000');
      const restored = await idle('restored');
      expect(restored).toBeGreaterThanOrEqual(1000);
      expect(restored).toBeLessThanOrEqual(1003);
    }
  });

  it('tracks LFU counters under an LFU policy, and refuses the metric a policy does not track (of existing keys only)', async () => {
    const steps: Step[] = [
      step('FLUSHALL'), step('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'), step('SET', 'k', 'v'), step('OBJECT', 'FREQ', 'k'),
      // A missing key is a null reply before the policy is looked at (object.c looks the key up first).
      step('OBJECT', 'FREQ', 'nosuch'),
      step('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'), step('SET', 'f', 'v'), step('OBJECT', 'FREQ', 'f'), step('OBJECT', 'IDLETIME', 'f'),
      step('OBJECT', 'IDLETIME', 'nosuch'),
      // From LFU_INIT_VAL (5) the first increment is certain (p = 1).
      step('GET', 'f'), step('OBJECT', 'FREQ', 'f'), step('OBJECT', 'FREQ', 'nosuch'),
      step('RESTORE', 'r', '0', PAYLOAD, 'FREQ', '100'), step('OBJECT', 'FREQ', 'r'),
      step('RESTORE', 'r2', '0', PAYLOAD, 'FREQ', '256'),
      step('RESTORE', 'r3', '0', PAYLOAD, 'IDLETIME', '5', 'FREQ', '5'),
      step('CONFIG', 'SET', 'maxmemory-policy', 'noeviction'),
    ];
    expect(await peers.compare(steps)).toEqual([]);
  });
});
