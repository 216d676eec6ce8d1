/**
 * The Catch-up figure of a replica that falls behind. Found in a new user's
 * trial of the demo in web mode: at 300 ops/s (~37 KiB/s of stream) with
 * Chaos → Cap bandwidth 8 KiB/s on the replica link, the replica panel said
 * "Byte lag 473 KiB, Catch-up 59 s", then 15 s later "905 KiB, Catch-up
 * 1 min 53 s", while INFO showed the replica's offset falling further behind
 * master_repl_offset: byte lag ÷ apply rate ignored the write rate, and the
 * replica never catches up at those rates.
 *
 *  - capped below the write rate, the link reads falling behind (no catch-up
 *    figure) while the nodes' INFO shows the gap growing between two reads;
 *  - once the cap is lifted, the catch-up is a finite number again, and the
 *    gap in INFO closes.
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { startLoadedDemoPair, useScenarioCleanup } from './harness';

useScenarioCleanup();

const KiB = 1024;

it('a replica capped below the write rate reads "falling behind" while INFO shows it losing ground; lifting the cap gives a finite catch-up and the gap closes', async () => {
  const { replscope, master, replica } = await startLoadedDemoPair();
  // The healthy link under load: never "falling behind".
  const healthySince = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const healthy = replscope.snapshotsSince(healthySince).map((received) => replscope.link(replica.id, received.snapshot)).filter((link) => link.state === 'online');
  expect(healthy.length).toBeGreaterThan(3);
  expect(healthy.filter((link) => link.fallingBehind).map((link) => `lag ${link.lagBytes} apply ${link.applyRateBytesPerSec}`)).toEqual([]);

  /** The gap in the nodes' own words: master_repl_offset minus the replica's slave_repl_offset. */
  const gapInInfo = async (): Promise<{ masterOffset: number; replicaOffset: number; gap: number }> => {
    const masterOffset = Number((await info({ port: master.port }, 'replication')).get('master_repl_offset'));
    const replicaOffset = Number((await info({ port: replica.port }, 'replication')).get('slave_repl_offset'));
    return { masterOffset, replicaOffset, gap: masterOffset - replicaOffset };
  };

  await replscope.call('demo.chaos', { kind: 'bandwidth', replicaId: replica.id, bytesPerSec: 8 * KiB });
  const behind = await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).fallingBehind, 'the link to read falling behind', 30_000);
  const behindLink = replscope.link(replica.id, behind);
  expect(behindLink.catchUpSeconds).toBeNull();
  expect(behindLink.state).toBe('online');
  const first = await gapInInfo();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const second = await gapInInfo();
  expect(second.gap, `INFO: master ${first.masterOffset} → ${second.masterOffset}, replica ${first.replicaOffset} → ${second.replicaOffset}`).toBeGreaterThan(first.gap);
  // Every poll of those 3 s, while the gap grew, said so (no finite catch-up, no flicker back to a figure).
  const during = replscope.snapshotsSince(Date.now() - 2500).map((received) => replscope.link(replica.id, received.snapshot));
  expect(during.length).toBeGreaterThan(2);
  expect(during.map((link) => ({ fallingBehind: link.fallingBehind, catchUpSeconds: link.catchUpSeconds })))
    .toEqual(during.map(() => ({ fallingBehind: true, catchUpSeconds: null })));

  // Lift the cap (0 = no cap): the lag closes at apply - write, a finite figure, and INFO's gap shrinks.
  const liftedAt = Date.now();
  await replscope.call('demo.chaos', { kind: 'bandwidth', replicaId: replica.id, bytesPerSec: 0 });
  await replscope.waitForSnapshot((snapshot) => {
    const link = replscope.link(replica.id, snapshot);
    return !link.fallingBehind && link.catchUpSeconds !== null && Number.isFinite(link.catchUpSeconds);
  }, 'a finite catch-up once the cap is lifted', 20_000);
  let closed = second;
  await waitFor(async () => {
    closed = await gapInInfo();
    return closed.gap < 64 * KiB;
  }, { timeoutMs: 20_000, what: `the INFO gap of ${second.gap} bytes to close` });
  expect(closed.gap).toBeLessThan(second.gap);
  const settled = await replscope.waitForSnapshot((snapshot) => snapshot.time > liftedAt + 2000 && replscope.link(replica.id, snapshot).lagBytes !== null, 'a poll after the catch-up');
  const settledLink = replscope.link(replica.id, settled);
  expect(settledLink.fallingBehind).toBe(false);
  expect(settledLink.catchUpSeconds).not.toBeNull();
}, 90_000);
