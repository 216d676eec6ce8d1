/**
 * A Sentinel SLAVEOF that never takes effect (CONFIG renamed away on the
 * node, so the conversion's EXEC fails and Sentinel re-sends it at each
 * INFO) is one line with a repeat count (sentinel-slaveof-not-taking-effect
 * .test.ts), also when a poll of the node fails between two notices. A
 * failed poll reads no role at all; the node's state version was raised by
 * it and again when the node answered as it was, so the next notice started
 * a second line though nothing about the node had changed.
 *
 * The failed polls: the default user loses INFO (ACL SETUSER default -info),
 * so the console's INFO is refused with NOPERM while the node runs on
 * untouched; then INFO is given back. Sentinel's own INFO is refused too, so
 * it sends no SLAVEOF meanwhile, and sends it again after. Held against the
 * Sentinel's log (every "+convert-to-slave slave <node>" line) and the node's
 * own answers (NOPERM while denied, role master and the same run_id after).
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { escapeRegExp, startSentinelSlaveofStuck, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a failed poll between two notices of a SLAVEOF not taking effect: still one line with its count', async () => {
  const { stuck, sentinel, replscope } = await startSentinelSlaveofStuck();
  const runId = (await stuck.info('server')).get('run_id');

  const since = Date.now();
  const mark = sentinel.log().length;
  expect(await stuck.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  const converted = new RegExp(`\\+convert-to-slave slave ${escapeRegExp(stuck.id)} `, 'g');
  const logged = (): number => sentinel.log().slice(mark).match(converted)?.length ?? 0;
  const lines = (): ReplicationEvent[] => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+convert-to-slave' && event.nodeId === stuck.id && event.time >= since);
  await waitFor(() => lines().some((line) => Number(line.numbers.notices ?? 1) >= 2), { timeoutMs: 30_000, what: 'the +convert-to-slave line repeated' });

  // The console's polls of the node fail (NOPERM), the node itself unchanged.
  expect(await stuck.call('ACL', 'SETUSER', 'default', '-info')).toBe('OK');
  let deniedAt = 0;
  try {
    expect(String(await stuck.call('INFO', 'server'))).toMatch(/NOPERM this user has no permissions to run the 'info' command/);
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === stuck.id && node.health !== 'up' && node.role === 'unknown'), `a poll of ${stuck.id} failed`, 20_000);
    deniedAt = logged();
  } finally {
    expect(await stuck.call('ACL', 'SETUSER', 'default', '+info')).toBe('OK');
  }
  await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === stuck.id && node.health === 'up' && !node.stale && node.role === 'master'), `${stuck.id} answering again`, 20_000);
  const info = await stuck.info('server');
  expect(info.get('run_id')).toBe(runId);
  expect((await stuck.info('replication')).get('role')).toBe('master');
  await waitFor(() => logged() >= deniedAt + 3, { timeoutMs: 30_000, what: 'three more +convert-to-slave lines in the Sentinel\'s log after the failed polls' });

  // Sentinel stops sending once it no longer monitors the group; what it sent so far is what is compared.
  expect(await sentinel.call('SENTINEL', 'REMOVE', 'mymaster')).toBe('OK');
  const sent = logged();
  await waitFor(() => lines().reduce((sum, line) => sum + Number(line.numbers.notices ?? 1), 0) >= sent, { timeoutMs: 10_000, what: `lines counting the ${sent} notices` }).catch(() => undefined);
  expect(lines().map((line) => `${String(line.numbers.notices ?? 1)}: ${line.message}`), replscope.describeEvents()).toHaveLength(1);
  expect(lines()[0]!.numbers.notices).toBe(sent);
}, 120_000);
