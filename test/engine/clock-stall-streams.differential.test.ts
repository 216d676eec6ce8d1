/**
 * XAUTOCLAIM, XPENDING and XINFO CONSUMERS each read the clock once
 * (t_stream.c: one `now` before the loop) for every entry or consumer they
 * go through. Inside EXEC or a script every mstime() of ours is a fresh
 * reading, and ours read it per entry, twice for XAUTOCLAIM (the idle test
 * and the new delivery time) and for XPENDING (the IDLE filter and the idle
 * it prints): with a stall between readings the entries one XAUTOCLAIM
 * claimed got different delivery times and one XPENDING printed different
 * idle times for entries delivered at the same moment.
 *
 * Idle times are not compared byte for byte (they depend on when each side
 * runs); each side must satisfy what one reading implies: the entries one
 * XAUTOCLAIM claimed have one idle time in the XPENDING that follows it,
 * and XINFO CONSUMERS's idle times differ by exactly the difference of the
 * seen-times XINFO STREAM FULL prints. redis-server runs unstalled; ours
 * with every clock reading followed by a 2 ms stall (support/stalled-clock.ts).
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { useClockStallPerTest } from '../support/stalled-clock';

const peers = differentialPair();
const STALL_MS = 2;

const stallClock = useClockStallPerTest(STALL_MS);

type Peer = { call(...args: Array<string | number | Buffer>): Promise<unknown> };

/** A RESP2 field list ([name, value, name, value ...]) read as a map. */
function fieldsOf(reply: unknown): Map<string, unknown> {
  const list = reply as unknown[];
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < list.length; i += 2) map.set(String(list[i]), list[i + 1]);
  return map;
}

/** Three entries delivered to consumer a, then claimed by b and inspected in one transaction. */
async function claimAndInspect(peer: Peer): Promise<{ pendingIdle: number[]; consumerIdle: Map<string, number>; seenTime: Map<string, number> }> {
  await peer.call('DEL', 's');
  for (const id of ['1-1', '1-2', '1-3']) await peer.call('XADD', 's', id, 'f', 'v');
  await peer.call('XGROUP', 'CREATE', 's', 'g', '0');
  await peer.call('XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '>');
  await peer.call('MULTI');
  await peer.call('XAUTOCLAIM', 's', 'g', 'b', '0', '0-0');
  await peer.call('XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '10');
  await peer.call('XINFO', 'CONSUMERS', 's', 'g');
  await peer.call('XINFO', 'STREAM', 's', 'FULL');
  const [, pending, consumers, full] = (await peer.call('EXEC')) as unknown[];
  const pendingIdle = (pending as unknown[][]).map((row) => Number(row[2]));
  const consumerIdle = new Map((consumers as unknown[]).map((consumer) => {
    const fields = fieldsOf(consumer);
    return [String(fields.get('name')), Number(fields.get('idle'))] as const;
  }));
  const group = fieldsOf((fieldsOf(full).get('groups') as unknown[])[0]);
  const seenTime = new Map((group.get('consumers') as unknown[]).map((consumer) => {
    const fields = fieldsOf(consumer);
    return [String(fields.get('name')), Number(fields.get('seen-time'))] as const;
  }));
  return { pendingIdle, consumerIdle, seenTime };
}

describe('stream commands read the clock once for all their entries, even when it stalls between readings', () => {
  for (const side of ['redis', 'ours'] as const) {
    it(`the entries one XAUTOCLAIM claimed have one idle time; consumers' idle times follow their seen-times (${side})`, async () => {
      if (side === 'ours') stallClock(peers.ours.node);
      const { pendingIdle, consumerIdle, seenTime } = await claimAndInspect(side === 'redis' ? peers.redis : peers.ours);
      expect(pendingIdle).toHaveLength(3);
      expect(new Set(pendingIdle).size).toBe(1);
      const [a, b] = ['a', 'b'].map((name) => ({ idle: consumerIdle.get(name)!, seen: seenTime.get(name)! }));
      expect(a!.idle - b!.idle).toBe(b!.seen - a!.seen);
    });
  }
});
