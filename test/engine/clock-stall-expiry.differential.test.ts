/**
 * A command that sets an expiry reads the clock once for it (12b35ba did
 * this for EXPIRE/PEXPIRE). Inside EXEC or a script every reading of ours
 * is fresh (CommandContext.mstime), and a command that read once for the
 * base of a relative expiry and again to check whether that deadline had
 * already passed deleted the key whenever a stall of 1 ms (a GC pause, a
 * preempted thread on a loaded machine) fell between the two: GETEX k PX 1
 * and RESTORE k 1 inside MULTI/EXEC removed the key redis-server keeps.
 *
 * The stall is made real here (support/stalled-clock.ts): while a script
 * runs, every reading of our engine's request clock is followed by a 2 ms
 * busy wait, so any two readings one command takes are at least 2 ms
 * apart. redis-server runs the same script unstalled; its replies are the
 * truth.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';
import { useClockStallPerTest } from '../support/stalled-clock';

const peers = differentialPair();
const STALL_MS = 2;

const stallClock = useClockStallPerTest(STALL_MS);

let payload: Buffer;

beforeAll(async () => {
  await peers.redis.call('SET', 'dumped', 'value');
  payload = Buffer.from(String(await peers.redis.call('DUMP', 'dumped')), 'latin1');
});

const cases: Record<string, () => Step[]> = {
  // EXISTS inside EXEC judges expiry at EXEC's start, before the deadline GETEX set.
  'GETEX PX/EX inside EXEC keeps the key; PXAT/EXAT in the past delete it': () => [
    step('FLUSHALL'), step('SET', 'k', 'v'), step('SET', 'k2', 'v'), step('SET', 'past', 'v'), step('SET', 'pastex', 'v'),
    step('MULTI'), step('GETEX', 'k', 'PX', '1'), step('EXISTS', 'k'), step('GETEX', 'k2', 'EX', '1'), step('EXISTS', 'k2'),
    step('GETEX', 'past', 'PXAT', '1'), step('EXISTS', 'past'), step('GETEX', 'pastex', 'EXAT', '1'), step('EXISTS', 'pastex'), step('EXEC'),
    step('EXISTS', 'past', 'pastex'),
  ],
  'GETEX PX inside a script keeps the key for the rest of the script': () => [
    step('FLUSHALL'), step('SET', 'k', 'v'),
    step('EVAL', "local got = redis.call('GETEX', KEYS[1], 'PX', '1') return {got, redis.call('EXISTS', KEYS[1])}", '1', 'k'),
  ],
  'RESTORE with a relative TTL inside EXEC keeps the key; ABSTTL in the past does not make it': () => [
    step('FLUSHALL'),
    step('MULTI'), step('RESTORE', 'r', '1', payload), step('EXISTS', 'r'), step('RESTORE', 'abs', '1', payload, 'ABSTTL'), step('EXISTS', 'abs'), step('EXEC'),
    step('EXISTS', 'abs'),
  ],
  'SET PX and PSETEX inside EXEC keep the key (one reading, as before)': () => [
    step('FLUSHALL'),
    step('MULTI'), step('SET', 's', 'v', 'PX', '1'), step('EXISTS', 's'), step('PSETEX', 'p', '1', 'v'), step('EXISTS', 'p'), step('PEXPIRE', 'p', '1'), step('EXISTS', 'p'), step('EXEC'),
  ],
};

describe('expiry commands read the clock once, even when it stalls between readings', () => {
  it('the stall is real: two readings of our clock are at least 2 ms apart', () => {
    stallClock(peers.ours.node);
    const clock = peers.ours.node.dispatcher.clock;
    const first = clock.wallAt(performance.now());
    const second = clock.wallAt(performance.now());
    expect(second - first).toBeGreaterThanOrEqual(STALL_MS - 1);
  });

  for (const [name, script] of Object.entries(cases)) {
    it(name, async () => {
      stallClock(peers.ours.node);
      expect(await peers.compare(script())).toEqual([]);
    });
  }
});
