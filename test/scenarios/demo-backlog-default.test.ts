/**
 * The demo as it opens (its nodes' default repl-backlog-size, the load it
 * starts with) against the default "Backlog too small" rule (a 60 s outage).
 * The nodes' truth: the master's master_repl_offset grows by the load's
 * replication stream (about 35 KB/s at 300 writes/s of 100-byte values in
 * the default mix), so a backlog of repl_backlog_size bytes holds
 * repl_backlog_size / that rate seconds of writes. Redis's own default
 * (1 MiB) holds about 30 s: the rule was right to fire on it. The demo's
 * nodes must start with a backlog that holds the rule's outage, so the
 * console opens on a healthy demo, and the rule must agree.
 */
import { expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES } from '../../shared/contract/alerts';
import { stateConditions } from '../../main/console/alerts/alert-conditions';
import { info } from '../support/replication';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('the demo as it opens: its backlog holds the default rule\'s outage at the load it starts with, by the master\'s own offsets, and no "Backlog too small"', async () => {
  const replscope = await ConsoleUnderTest.start({ demoAutoStart: true, pollIntervalMs: 500 });
  const status = await replscope.call('demo.status', {});
  expect(status.load).toMatchObject({ running: true });
  const master = status.nodes.find((node) => node.role === 'master')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));

  const first = await info({ port: master.port }, 'replication');
  const startedAt = Date.now();
  await sleep(6000);
  const last = await info({ port: master.port }, 'replication');
  const rate = (Number(last.get('master_repl_offset')) - Number(first.get('master_repl_offset'))) / ((Date.now() - startedAt) / 1000);
  const size = Number(last.get('repl_backlog_size'));
  expect(rate, 'the load writes').toBeGreaterThan(10_000);
  const wanted = DEFAULT_ALERT_RULES.backlogCoverage.outageSeconds;
  expect(size / rate, `repl-backlog-size ${size} at ${Math.round(rate)} B/s`).toBeGreaterThanOrEqual(wanted);
  // The rule, on the console's own figures, agrees with the nodes: nothing to warn about.
  const snapshot = replscope.snapshot();
  expect(snapshot.nodes.find((node) => node.id === master.id)?.writeRateBytesPerSec ?? 0).toBeGreaterThan(0);
  expect(stateConditions(snapshot, DEFAULT_ALERT_RULES).filter((condition) => condition.rule === 'backlog-coverage')).toEqual([]);
}, 60_000);
