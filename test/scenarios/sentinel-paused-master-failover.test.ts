/**
 * A Sentinel failover of a master that was never down: CLIENT PAUSE WRITE
 * on a redis-server 7.0 master watched by three redis-sentinel processes
 * (down-after 3 s). Found in a new-user walk: an 8 s pause made the
 * Sentinels publish +sdown / +odown and fail it over while the master
 * answered every INFO the console sent; the promotion said only "after the
 * master was objectively down (+odown)", as for a dead master.
 *
 * Why Sentinel sees it down: its hello PUBLISH is a may-replicate command,
 * held by CLIENT PAUSE WRITE, and the PINGs it sends after it on the same
 * connection wait behind it, so no PING reply arrives for down-after-ms.
 *
 * Held against the nodes' truth: the Sentinels' logs (+sdown master, +odown),
 * the master's INFO commandstats (cmdstat_client|pause calls=1), and this
 * test's own INFO of the master, answered promptly through the pause until
 * the promotion.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, escapeRegExp as escape, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a Sentinel failover of a master held by CLIENT PAUSE WRITE says the master answered the console throughout, and names the pause', async () => {
  const group = await startSentinelScenario({ kind: 'redis' });
  const oldMaster = group.master;
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)), 'three Sentinels listened to');
  const sentinelLogsBefore = group.sentinels.map((sentinel) => sentinel.log().length);

  expect(await oldMaster.call('CLIENT', 'PAUSE', '12000', 'WRITE')).toBe('OK');
  const pausedAt = Date.now();
  // The test's own probe: the paused master answers INFO promptly all along (INFO is neither a write nor may-replicate).
  let slowestInfoMs = 0;
  let probes = 0;
  let promoted: ReplicationEvent | null = null;
  const promotion = replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId !== oldMaster.id, 'a promotion of a replica', 30_000).then((event) => {
    promoted = event;
    return event;
  });
  while (promoted === null && Date.now() - pausedAt < 30_000) {
    const started = Date.now();
    expect(String(await oldMaster.call('INFO', 'replication'))).toMatch(/role:master/);
    slowestInfoMs = Math.max(slowestInfoMs, Date.now() - started);
    probes++;
    await sleep(200);
  }
  const event = await promotion;
  expect(Date.now() - pausedAt).toBeLessThan(12_000); // promoted while the pause was still on
  expect(probes).toBeGreaterThan(10);
  expect(slowestInfoMs).toBeLessThan(500);

  // Sentinel's truth: it held the master subjectively, then objectively, down.
  const newLogs = group.sentinels.map((sentinel, index) => sentinel.log().slice(sentinelLogsBefore[index]));
  const sdownLine = new RegExp(`\\+sdown master ${group.name} 127\\.0\\.0\\.1 ${oldMaster.port}`);
  expect(newLogs.filter((log) => sdownLine.test(log)).length).toBeGreaterThanOrEqual(2);
  expect(newLogs.some((log) => new RegExp(`\\+odown master ${group.name} 127\\.0\\.0\\.1 ${oldMaster.port}`).test(log))).toBe(true);
  // The master's truth: one CLIENT PAUSE, counted in its commandstats.
  expect(String(await oldMaster.call('INFO', 'commandstats'))).toMatch(/cmdstat_client\|pause:calls=1,/);

  expect(event.cause).toBe('sentinel-failover');
  expect(event.numbers).toMatchObject({ attribution: 'sentinel', trigger: '+odown' });
  const old = escape(oldMaster.id);
  expect(event.message).toMatch(new RegExp(`${old} answered this console's polls \\d+ times between \\S+'s \\+sdown of it at \\S+ and the promotion`));
  const answers = Number(new RegExp(`${old} answered this console's polls (\\d+) times`).exec(event.message)?.[1]);
  expect(answers).toBeGreaterThanOrEqual(1);
  expect(event.message).toMatch(new RegExp(`CLIENT PAUSE ran on ${old} \\(cmdstat_client\\|pause \\+1 since `));

  await waitFor(async () => String(await oldMaster.call('CLIENT', 'UNPAUSE')) === 'OK', { timeoutMs: 5000, what: 'the pause lifted' });
}, 90_000);
