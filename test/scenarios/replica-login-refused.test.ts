/**
 * A replica whose master refuses its login: its masterauth wrong for its
 * masteruser (the replica's log, every second: "Unable to AUTH to MASTER:
 * -WRONGPASS invalid username-password pair or user is disabled."), or a
 * masteruser the master does not let run PSYNC ("MASTER aborted replication
 * with an error: NOPERM this user has no permissions to run the 'sync'
 * command"). Found in a new-user walk on redis-server 7.0: the link read
 * "Link down for 3 s", then 4 s, 5 s..., with nothing saying why it never
 * came back, while the master's INFO errorstats counted each refusal
 * (errorstat_WRONGPASS, errorstat_NOPERM).
 *
 * The link down now says its master refuses logins, with the master's
 * errorstat rise and what to check on the replica. Held against the
 * replica's log lines and the master's errorstats.
 */
import { expect, it } from 'vitest';
import { assessLink } from '../../renderer/src/utils/thresholds';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startGroup, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

async function errorCount(node: ScenarioNode, code: string): Promise<number> {
  return Number(/count=(\d+)/.exec((await node.info('errorstats')).get(`errorstat_${code}`) ?? '')?.[1] ?? 0);
}

it('a replica whose master refuses its login (WRONGPASS, then NOPERM): the link down says so, with the master\'s errorstats', async () => {
  const group = await startGroup('redis', {
    shape: 'pair', masterArgs: ['--user', 'repl', 'on', '>repl-secret', '+psync', '+replconf', '+ping'], replicaArgs: ['--masteruser', 'repl', '--masterauth', 'repl-secret'],
  });
  const { master } = group;
  const replica = group.node('replica-1');
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  expect(replscope.link(replica.id).loginRefused).toBeUndefined();

  // A wrong masterauth: the replica's next login is refused, every second.
  const wrongpassBefore = await errorCount(master, 'WRONGPASS');
  let mark = replica.mark();
  expect(await replica.call('CONFIG', 'SET', 'masterauth', 'not-the-password')).toBe('OK');
  expect(await replica.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
  await waitForLog(replica, /Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled\./, mark);
  const wrongpass = await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).loginRefused?.includes('WRONGPASS') === true, 'the link down put down to the refused login', 10_000);
  expect((await replica.info('replication')).get('master_link_status')).toBe('down');
  expect(await errorCount(master, 'WRONGPASS')).toBeGreaterThan(wrongpassBefore);
  const link = replscope.link(replica.id, wrongpass);
  expect(link.state).toBe('down');
  expect(link.loginRefused).toMatch(new RegExp(`^${master.id.replace(/\./g, '\\.')} refused logins while this link was down, likely the replica's: its INFO errorstat_WRONGPASS rose by \\d+`));
  expect(link.loginRefused).toContain('masteruser / masterauth');
  expect(assessLink(link, DEFAULT_SETTINGS.thresholds, null).reasons).toContain(link.loginRefused);

  // The right password, but a masteruser that may not run PSYNC or SYNC.
  expect(await master.call('ACL', 'SETUSER', 'repl', '-psync', '-sync')).toBe('OK');
  mark = replica.mark();
  expect(await replica.call('CONFIG', 'SET', 'masterauth', 'repl-secret')).toBe('OK');
  await waitForLog(replica, /MASTER aborted replication with an error: NOPERM this user has no permissions to run the 'sync' command/, mark);
  const noperm = await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).loginRefused?.includes('NOPERM') === true, 'the link down put down to the refused PSYNC', 10_000);
  expect(await errorCount(master, 'NOPERM')).toBeGreaterThan(0);
  expect(replscope.link(replica.id, noperm).loginRefused).toContain('may not run PSYNC');

  // Allowed again: the link comes back, and nothing is put down to a login any more.
  expect(await master.call('ACL', 'SETUSER', 'repl', '+psync')).toBe('OK');
  await waitFor(async () => (await replica.info('replication')).get('master_link_status') === 'up', { timeoutMs: 15_000, what: `${replica.id}'s link up` });
  await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).state === 'online' && replscope.link(replica.id, snapshot).loginRefused === undefined, 'the link online, no refusal', 10_000);
}, 60_000);
