/**
 * Node down during the demo's own Restart master. Found in a new user's
 * walk: Chaos → Restart master raised the critical "Node down" alert (with
 * a desktop notification) for the master while it saved its RDB and
 * started again, though the timeline said the demo was restarting it. The
 * alert reads node health, not the chaos: a restart the operator asked for
 * paged like an outage.
 *
 * What an operator expects: the silence they asked for is not paged (the
 * timeline says the demo restarted the node); a node that goes down any
 * other way still is. Held against the node's own truth:
 *
 *  - the restart: its run_id changes and its log says "User requested
 *    shutdown...", "DB saved on disk", "Ready to accept connections"; the
 *    console saw it down (a node-unreachable event), and no Node down alert
 *    fired for it, with the rule at forSeconds 0 (fires on the first poll
 *    that finds a node down);
 *  - then SHUTDOWN NOSAVE typed at the same node in a client (no chaos): its
 *    port refuses PING, and Node down fires, saying nothing of the demo.
 */
import { expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, type Alert } from '../../shared/contract/alerts';
import { command } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, restartDemoMasterUntilSeenDown, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('the demo\'s Restart master raises no Node down; a SHUTDOWN typed at the same node still does', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 100 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  await replscope.call('alerts.rules.set', { profileId: null, rules: { ...DEFAULT_ALERT_RULES, nodeDown: { enabled: true, forSeconds: 0 } } });
  const isNodeDown = (alert: Alert): boolean => alert.rule === 'node-down' && alert.subject === master.id;

  // 300k keys so the save and the load span several 100 ms polls, restarted until the console sees the node go.
  const since = await restartDemoMasterUntilSeenDown(replscope, master);
  await replscope.waitForEvent((event) => event.kind === 'node-reachable' && event.nodeId === master.id && event.time >= since, `${master.id} answering again after the restart`);
  // Past the restart's settle time: a poll still in flight when it returned would have been judged by now.
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  expect(replscope.alertPushesWhere(isNodeDown).map((push) => push.alert.message)).toEqual([]);

  // The same node shut down from a client, outside the chaos: an outage, and it pages.
  await command({ port: master.port }, 'SHUTDOWN', 'NOSAVE').catch(() => undefined);
  await waitFor(async () => command({ port: master.port }, 'PING').then(() => false, (failure: unknown) => /ECONNREFUSED/.test(String(failure))), { timeoutMs: 10_000, what: `${master.id} to refuse connections` });
  const alert = await replscope.waitForAlert(isNodeDown, `Node down for ${master.id}`, 10_000);
  expect(alert.severity).toBe('critical');
  expect(alert.message).not.toMatch(/demo|restart/i);
}, 120_000);
