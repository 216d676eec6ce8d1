/**
 * Issue 15, point 7: one hung node must not slow the others.
 *
 * `DEBUG SLEEP 8` on the intermediate replica of a chain (master ->
 * replica-1 -> sub-replica, and replica-2 beside it) while the master takes
 * writes. The console polls every second, as its header says ("live · every
 * 1 s"). During the sleep:
 *
 *  - the master's figures keep arriving every poll interval, each read less
 *    than a poll interval before the snapshot that carries it, and its
 *    offset keeps moving (its own INFO answers at once: it is the truth);
 *  - the hung replica keeps its last known role and its figures are marked
 *    stale (with how long it has not answered), not silently reused;
 *  - its sub-replica's link is not shown as a healthy "online" link: the
 *    sub-replica still says master_link_status:up (its TCP link is fine),
 *    but nothing upstream of it is flowing, so its figures are stale.
 *
 * After the sleep everything is fresh again.
 */
import { expect, it } from 'vitest';
import { assessLink, assessNode } from '../../renderer/src/utils/thresholds';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('DEBUG SLEEP on an intermediate replica: the master stays live every second, the hung node and its sub-replica are shown stale', async () => {
    const group = await startGroup(kind, { shape: 'full' });
    const { master } = group;
    const hung = group.node('replica-1');
    const sub = group.node('sub-replica');
    const load = WriteLoad.start(master, { opsPerSec: 1000 });
    try {
      const replscope = await ConsoleUnderTest.attach(master);
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      expect(replscope.snapshot().pollIntervalMs).toBe(1000);

      const sleepStarted = Date.now();
      const sleeping = hung.call('DEBUG', 'SLEEP', '8');
      await sleep(3500); // the first polls after the sleep began may still have been answered
      const windowStart = Date.now();
      await sleep(4000);
      const windowEnd = Date.now();
      const during = replscope.snapshotsSince(windowStart).filter((received) => received.receivedAt <= windowEnd);

      // The master: a snapshot every poll interval, each with master figures read within it.
      expect(during.length).toBeGreaterThanOrEqual(3);
      const gaps = during.slice(1).map((received, index) => received.receivedAt - during[index]!.receivedAt);
      const ages = during.map((received) => received.receivedAt - replscope.node(master.id, received.snapshot).sampledAt);
      console.info(`${kind}: during the sleep, snapshot gaps ${gaps.join(', ')} ms; master figures ${ages.join(', ')} ms old`);
      for (const gap of gaps) expect(gap).toBeLessThan(1500);
      for (const age of ages) expect(age).toBeLessThan(1000);
      const offsets = during.map((received) => replscope.node(master.id, received.snapshot).masterReplOffset!);
      for (let index = 1; index < offsets.length; index++) expect(offsets[index]).toBeGreaterThan(offsets[index - 1]!);
      // ... and the master's own INFO agrees with the last one shown (within a second of writes).
      const truth = await replicationTruth(master);
      expect(truth.masterReplOffset - offsets.at(-1)!).toBeLessThan(300_000);

      for (const { snapshot } of during) {
        const hungNode = replscope.node(hung.id, snapshot);
        expect(hungNode.role).toBe('replica');
        expect(hungNode.stale).toBe(true);
        expect(hungNode.staleReason).toMatch(/no answer/);
        const subNode = replscope.node(sub.id, snapshot);
        expect(subNode.stale).toBe(true);
        expect(subNode.staleReason).toContain(hung.id);
        const subLink = replscope.link(sub.id, snapshot);
        expect(subLink.stale).toBe(true);
        // What the page draws from it (the renderer's own assessment): not a green "up"/"online".
        expect(assessNode(subNode).level).toBe('warn');
        expect(assessLink(subLink, DEFAULT_SETTINGS.thresholds, null).level).not.toBe('ok');
        expect(replscope.link(hung.id, snapshot).stale).toBe(true);
        // The healthy branch is untouched.
        expect(replscope.node(group.node('replica-2').id, snapshot).stale).toBe(false);
        expect(replscope.link(group.node('replica-2').id, snapshot)).toMatchObject({ state: 'online', stale: false });
      }

      await sleeping;
      expect(Date.now() - sleepStarted).toBeGreaterThanOrEqual(7500);
      await waitFor(() => {
        const snapshot = replscope.snapshot();
        return snapshot.nodes.every((node) => !node.stale && node.health === 'up') && snapshot.links.every((link) => !link.stale && link.state === 'online');
      }, { timeoutMs: 15_000, what: 'every node fresh again' });
    } finally {
      await load.stop();
    }
  });
});
