/**
 * A demoted master's full resync is put down to its demotion though the
 * demoted master's own answer comes late, Sentinel's CLIENT KILL having
 * broken the console's request to it.
 *
 * Sentinel converts the old master with MULTI; SLAVEOF; CONFIG REWRITE;
 * CLIENT KILL TYPE normal; EXEC. The kill cuts the console's connection:
 * a request in flight on it is asked again on a new connection, and until
 * that answer comes the old master is shown with its answer from before,
 * as a master (stale, `reconnecting`). Its answer as a replica is what
 * records the demotion. Meanwhile the new master's sync_full moves (the old
 * master's PSYNC, refused: it took Sentinel's hellos past the promotion
 * point). Seen once in a loaded CI run of
 * sentinel-hello-not-writes-lost.test.ts: the re-ask answered more than
 * SETTLE_MS after the counters moved, the resync was attributed without the
 * demotion, and its cause read offset-past-promotion.
 *
 * Here the timing is made certain: the console's request to the old master
 * is held in flight on its connection (BLPOP on a key nobody writes, with a
 * short timeout, asked again until the connection breaks) so Sentinel's kill
 * lands on it, and the re-ask on the new connection is delayed: 5 s, longer
 * than a full resync's patience for a replica that does not answer (3 s);
 * 15 s, past the 12 s patience for a replica refusing connections too. In
 * both the resync is settled without that answer: the new master listing
 * the old one as its replica while the old one's last answer said master
 * is the evidence (resync-cause.ts demotedUnanswered), and the console
 * does not hold the counter move (and other replicas' resyncs in it) for
 * the answer. The nodes are real: redis-server 7.0 and three redis-sentinel.
 */
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NodeSampler } from '../../main/console/monitor/node-sampler';
import { sleep } from '../support/wait';
import { scenarioNodeKinds, sentinelFailoverWatched, useScenarioCleanup } from './harness';

useScenarioCleanup();

/** The NodeSampler internals the seam wraps (private in TypeScript, plain methods at run time). */
interface SamplerInternals {
  readonly id: string;
  readonly client: Redis;
  ask(before: Promise<void> | null): Promise<unknown>;
  askAgain(deadline: number): Promise<unknown>;
}

/** The old master's full resync, with the console's re-ask of it after Sentinel's kill delayed `reAskDelayMs`. */
async function demotedResync(reAskDelayMs: number): Promise<void> {
  const sampler = NodeSampler.prototype as unknown as SamplerInternals;
  const originalAsk = sampler.ask;
  const originalAskAgain = sampler.askAgain;
  /** The node whose requests are held in flight until its connection breaks (null: none). */
  let held: string | null = null;
  let broke: string | null = null;
  let reAsked = 0;
  vi.spyOn(sampler, 'ask').mockImplementation(async function (this: SamplerInternals, before) {
    while (held !== null && this.id === held) {
      try {
        // A key nobody writes: BLPOP times out (nil) and is asked again, so a request is on the wire at the kill.
        await this.client.call('BLPOP', 'replscope-test:never-written', '0.3');
      } catch (failure) {
        before?.catch(() => undefined);
        held = null;
        broke = failure instanceof Error ? failure.message : String(failure);
        throw failure;
      }
    }
    return originalAsk.call(this, before);
  });
  vi.spyOn(sampler, 'askAgain').mockImplementation(async function (this: SamplerInternals, deadline) {
    if (broke !== null && reAsked++ === 0) await sleep(reAskDelayMs);
    return originalAskAgain.call(this, deadline);
  });

  const { oldMaster, newMaster, replscope } = await sentinelFailoverWatched();
  held = oldMaster.id;
  // Sentinel converts the old master after 8 s; the new master then refuses its PSYNC for the hellos past the promotion.
  const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === oldMaster.id, `the full resync of the demoted ${oldMaster.id}`, 40_000 + reAskDelayMs);
  // The seam did its part: Sentinel's kill broke the held request, and the re-ask was delayed.
  expect(broke, 'the console\'s request to the old master was not broken by Sentinel\'s CLIENT KILL').not.toBeNull();
  expect(reAsked).toBeGreaterThan(0);
  // The old master's own truth: it is a replica of the new master now.
  const role = (await oldMaster.call('ROLE')) as [string, string, number];
  expect(role[0]).toBe('slave');
  expect(`${role[1]}:${role[2]}`).toBe(newMaster.id);
  expect(resync, replscope.describeEvents()).toMatchObject({ cause: 'demoted-master', peerId: newMaster.id });
}

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0 with three Sentinels', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('the old master\'s full resync is put down to its demotion though its answer as a replica comes late', async () => {
    // Longer than a full resync's patience for a replica that does not answer (3 s).
    await demotedResync(5_000);
  }, 90_000);

  it('the old master\'s full resync is put down to its demotion though its answer as a replica comes past every wait', async () => {
    // Past the 12 s patience for a replica refusing connections.
    await demotedResync(15_000);
  }, 120_000);
});
