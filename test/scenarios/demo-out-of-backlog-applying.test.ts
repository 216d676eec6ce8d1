/**
 * "Out of backlog in" for a replica that keeps applying. Found in a new
 * user's trial of the demo in web mode: at 300 ops/s with the replica link
 * capped at 8 KiB/s, the figure was backlog headroom ÷ write rate, as if the
 * replica were frozen; it applies 8 KiB/s, so its headroom shrinks at
 * write - apply, and the figure was too short by a fifth. On a healthy link
 * it showed a countdown too, for a replica that never leaves the backlog.
 *
 *  - healthy (the replica keeps up): no figure, staysInBacklog, while the
 *    nodes' INFO shows the gap not growing;
 *  - capped below the write rate: headroom ÷ (write - apply), which the
 *    nodes' own figures confirm: (repl-backlog-size - INFO gap) ÷ the rate
 *    the INFO gap grows at; the "if the link dropped now" figure stays
 *    headroom ÷ write rate, the shorter one.
 */
import { expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { startLoadedDemoPair, useScenarioCleanup } from './harness';

useScenarioCleanup();

const KiB = 1024;

it('a replica that applies: no out-of-backlog countdown while it keeps up; headroom ÷ (write - apply) when it falls behind, as INFO\'s gap growth says', async () => {
  const { replscope, master, replica } = await startLoadedDemoPair();
  const backlogSize = Number(((await command({ port: master.port }, 'CONFIG', 'GET', 'repl-backlog-size')) as string[])[1]);

  /** The gap in the nodes' own words: master_repl_offset minus the replica's slave_repl_offset, and when it was read. */
  const gapInInfo = async (): Promise<{ at: number; gap: number }> => {
    const masterOffset = Number((await info({ port: master.port }, 'replication')).get('master_repl_offset'));
    const replicaOffset = Number((await info({ port: replica.port }, 'replication')).get('slave_repl_offset'));
    return { at: Date.now(), gap: masterOffset - replicaOffset };
  };

  // Healthy: the replica keeps up, so it never leaves the backlog at these rates.
  const healthySince = Date.now();
  const healthyFirst = await gapInInfo();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const healthyLast = await gapInInfo();
  expect(healthyLast.gap, `INFO gap ${healthyFirst.gap} → ${healthyLast.gap}`).toBeLessThan(64 * KiB);
  const healthy = replscope.snapshotsSince(healthySince).map((received) => replscope.link(replica.id, received.snapshot)).filter((link) => link.state === 'online' && link.applyRateBytesPerSec !== null);
  expect(healthy.length).toBeGreaterThan(3);
  expect(healthy.map((link) => ({ seconds: link.secondsUntilOutOfBacklog, staysInBacklog: link.staysInBacklog }))).toEqual(healthy.map(() => ({ seconds: null, staysInBacklog: true })));
  // The outage figure is still there: a frozen replica would leave the backlog.
  expect(healthy.every((link) => link.outageCoveredSeconds !== null && link.outageCoveredSeconds > 0)).toBe(true);

  // Capped below the write rate: the gap grows at write - apply.
  await replscope.call('demo.chaos', { kind: 'bandwidth', replicaId: replica.id, bytesPerSec: 8 * KiB });
  await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).fallingBehind, 'the link to fall behind', 30_000);
  const behindSince = Date.now();
  const first = await gapInInfo();
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const last = await gapInInfo();
  const growth = (last.gap - first.gap) / ((last.at - first.at) / 1000);
  expect(growth, `INFO gap ${first.gap} → ${last.gap}`).toBeGreaterThan(8 * KiB);
  expect(last.gap).toBeLessThan(backlogSize); // still inside the window: a countdown to compare
  const behind = replscope.snapshotsSince(behindSince).map((received) => replscope.link(replica.id, received.snapshot)).filter((link) => link.fallingBehind);
  expect(behind.length).toBeGreaterThan(3);
  for (const link of behind) {
    expect(link.staysInBacklog).toBe(false);
    expect(link.secondsUntilOutOfBacklog).not.toBeNull();
    // The rule: headroom ÷ (write - apply), longer than headroom ÷ write (the frozen replica's figure).
    expect(link.outageCoveredSeconds).not.toBeNull();
    expect(link.secondsUntilOutOfBacklog!).toBeGreaterThan(link.outageCoveredSeconds!);
  }
  // Against the nodes: (size - gap) ÷ the gap's growth rate, at the middle of the window, within the noise of one poll's rates.
  const fromInfo = (backlogSize - (first.gap + last.gap) / 2) / growth;
  const median = behind.map((link) => link.secondsUntilOutOfBacklog!).sort((a, b) => a - b)[Math.floor(behind.length / 2)]!;
  const frozenMedian = behind.map((link) => link.outageCoveredSeconds!).sort((a, b) => a - b)[Math.floor(behind.length / 2)]!;
  expect(Math.abs(median - fromInfo) / fromInfo, `console ${median.toFixed(1)} s, INFO ${fromInfo.toFixed(1)} s (growth ${Math.round(growth)} B/s), frozen ${frozenMedian.toFixed(1)} s`).toBeLessThan(0.15);
  expect(Math.abs(median - fromInfo)).toBeLessThan(Math.abs(frozenMedian - fromInfo));
}, 90_000);
