/**
 * Strings' sds against a real redis-server 7.0: MEMORY USAGE and DEBUG
 * SDSLEN of strings written in place. APPEND, SETRANGE, SETBIT and
 * BITFIELD unshare the value (an embstr or int copied whole by sdsnewlen,
 * sdshdr5 below 32 bytes) and grow it with sdsMakeRoomFor's greedy spare
 * room (twice the new length below 1 MB, the allocator's usable size
 * recorded), which later in-place writes use before growing again.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

type Peer = { call(...args: string[]): Promise<unknown> };

const x = (n: number): string => 'x'.repeat(n);

/** Each case: its commands, then MEMORY USAGE and DEBUG SDSLEN of its key after every command. */
const cases: Record<string, string[][]> = {
  'append-embstr': [['SET', 'k', 'hello'], ['APPEND', 'k', 'world'], ['APPEND', 'k', 'x'], ['APPEND', 'k', x(20)], ['APPEND', 'k', x(100)]],
  'append-new': [['APPEND', 'k', 'hello'], ['APPEND', 'k', 'x'], ['APPEND', 'k', x(6)], ['APPEND', 'k', x(7)]],
  'append-int': [['SET', 'k', '12345'], ['APPEND', 'k', '6'], ['INCR', 'k'], ['APPEND', 'k', '7']],
  'append-set-raw': [['SET', 'k', x(45)], ['APPEND', 'k', x(3)], ['APPEND', 'k', x(10)]],
  'append-set-raw-100': [['SET', 'k', x(100)], ['APPEND', 'k', x(5)], ['APPEND', 'k', x(100)]],
  // Across sdshdr8 / sdshdr16 (255 bytes and more; the alloc capped at 255 for sdshdr8) and sdshdr32.
  'append-header-types': [['SET', 'k', x(120)], ['APPEND', 'k', x(7)], ['APPEND', 'k', x(1)], ['APPEND', 'k', x(127)], ['APPEND', 'k', x(40000)], ['APPEND', 'k', x(30000)]],
  'append-over-1mb': [['SET', 'k', x(600_000)], ['APPEND', 'k', x(500_000)], ['APPEND', 'k', x(10)]],
  'setbit-new': [['SETBIT', 'k', '7', '1']],
  'setbit-new-13': [['SETBIT', 'k', '100', '1'], ['SETBIT', 'k', '101', '1'], ['SETBIT', 'k', '300', '1'], ['SETBIT', 'k', '2000', '0']],
  'setbit-new-hdr8': [['SETBIT', 'k', '400', '1']],
  'setbit-embstr-no-change': [['SET', 'k', 'hello'], ['SETBIT', 'k', '0', '0'], ['APPEND', 'k', 'y']],
  'setbit-set-raw-no-change': [['SET', 'k', x(60)], ['SETBIT', 'k', '0', '0'], ['APPEND', 'k', 'y'], ['SETBIT', 'k', '0', '0']],
  'setrange-new': [['SETRANGE', 'k', '10', 'x'], ['SETRANGE', 'k', '0', 'abc'], ['SETRANGE', 'k', '20', 'y'], ['APPEND', 'k', x(5)]],
  'setrange-embstr': [['SET', 'k', 'hello'], ['SETRANGE', 'k', '1', 'a'], ['SETRANGE', 'k', '40', 'z']],
  'bitfield': [['BITFIELD', 'k', 'SET', 'u8', '0', '1'], ['BITFIELD', 'k', 'SET', 'u8', '#20', '1'], ['BITFIELD', 'k', 'SET', 'u8', '#0', '2'], ['APPEND', 'k', x(2)]],
  // COPY makes the copy whole (dupStringObject); RENAME and MOVE keep the object, spare room and all.
  'copy-rename-move': [['SET', 'k', 'hello'], ['APPEND', 'k', 'world'], ['COPY', 'k', 'c'], ['RENAME', 'k', 'r'], ['RENAME', 'r', 'k'], ['MOVE', 'k', '1'], ['SELECT', '1'], ['MOVE', 'k', '0'], ['SELECT', '0']],
  'set-after-append': [['SET', 'k', 'hello'], ['APPEND', 'k', 'world'], ['SET', 'k', 'hello world'], ['APPEND', 'k', 'x']],
};

async function observe(peer: Peer): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, commands] of Object.entries(cases)) {
    await peer.call('FLUSHALL');
    const seen: unknown[] = [];
    for (const command of commands) {
      seen.push(await peer.call(...command));
      for (const key of ['k', 'c']) {
        seen.push(await peer.call('MEMORY', 'USAGE', key));
        seen.push(await peer.call('DEBUG', 'SDSLEN', key).catch((error: Error) => error.message));
      }
    }
    out[name] = seen;
  }
  return out;
}

describe('strings\' sds', () => {
  it('MEMORY USAGE and DEBUG SDSLEN are redis-server\'s after APPEND, SETRANGE, SETBIT and BITFIELD grow a string in place', async () => {
    const theirs = await observe(peers.redis);
    const ours = await observe(peers.ours);
    expect(ours).toEqual(theirs);
  });
});
