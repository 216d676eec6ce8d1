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
 * errorstat rise and the line a refused replica logs; the counts are every
 * client's, so it pins nothing on the replica (an application with wrong
 * credentials counts the same: second test). Held against the replica's log
 * lines and the master's errorstats.
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

/** A redis-server pair whose replica logs in as the ACL user "repl" (PSYNC, REPLCONF, PING allowed), the console attached, the link online. */
async function replicaLoggingInAsRepl(): Promise<{ master: ScenarioNode; replica: ScenarioNode; replscope: ConsoleUnderTest }> {
  const group = await startGroup('redis', {
    shape: 'pair', masterArgs: ['--user', 'repl', 'on', '>repl-secret', '+psync', '+replconf', '+ping'], replicaArgs: ['--masteruser', 'repl', '--masterauth', 'repl-secret'],
  });
  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  return { master: group.master, replica: group.node('replica-1'), replscope };
}

it('a replica whose master refuses its login (WRONGPASS, then NOPERM): the link down says so, with the master\'s errorstats', async () => {
  const { master, replica, replscope } = await replicaLoggingInAsRepl();
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
  expect(link.loginRefused).toMatch(new RegExp(`^${master.id.replace(/\./g, '\\.')} refused logins while this link was down: its INFO errorstat_WRONGPASS rose by \\d+`));
  // The master counts every client's refusals: the note says so and pins nothing on the replica.
  expect(link.loginRefused).toContain('may be this replica\'s or another client\'s');
  expect(link.loginRefused).toContain('"Unable to AUTH to MASTER: -WRONGPASS"');
  expect(assessLink(link, DEFAULT_SETTINGS.thresholds, null).reasons).toContain(link.loginRefused);

  // The right password, but a masteruser that may not run PSYNC or SYNC.
  expect(await master.call('ACL', 'SETUSER', 'repl', '-psync', '-sync')).toBe('OK');
  mark = replica.mark();
  expect(await replica.call('CONFIG', 'SET', 'masterauth', 'repl-secret')).toBe('OK');
  await waitForLog(replica, /MASTER aborted replication with an error: NOPERM this user has no permissions to run the 'sync' command/, mark);
  // errorstat_NOPERM counts any client's key or command denial: nothing is put on the link from it.
  expect(await errorCount(master, 'NOPERM')).toBeGreaterThan(0);
  const noperm = await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).state === 'down' && replscope.link(replica.id, snapshot).loginRefused === undefined, 'the link down, the WRONGPASS note expired', 15_000);
  expect(replscope.link(replica.id, noperm).loginRefused).toBeUndefined();

  // Allowed again: the link comes back, and nothing is put down to a login any more.
  expect(await master.call('ACL', 'SETUSER', 'repl', '+psync')).toBe('OK');
  await waitFor(async () => (await replica.info('replication')).get('master_link_status') === 'up', { timeoutMs: 15_000, what: `${replica.id}'s link up` });
  await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).state === 'online' && replscope.link(replica.id, snapshot).loginRefused === undefined, 'the link online, no refusal', 10_000);
}, 60_000);

it('an application failing AUTH on a master while a replica\'s link is down for another reason: the refusals are not called the replica\'s', async () => {
  const { master, replica, replscope } = await replicaLoggingInAsRepl();

  // The replica's link goes down on PSYNC permission (its login works), and an application fails AUTH meanwhile.
  expect(await master.call('ACL', 'SETUSER', 'repl', '-psync', '-sync')).toBe('OK');
  const mark = replica.mark();
  expect(await replica.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
  await waitForLog(replica, /MASTER aborted replication with an error: NOPERM this user has no permissions to run the 'sync' command/, mark);
  const wrongpassBefore = await errorCount(master, 'WRONGPASS');
  let appFailures = 0;
  const app = setInterval(() => {
    // command() answers Redis's error reply as a value (RespError).
    void master.call('AUTH', 'repl', 'an-app-with-a-wrong-password').then((reply) => {
      if ((reply instanceof Error ? reply.message : String(reply)).startsWith('WRONGPASS')) appFailures++;
    });
  }, 100);
  try {
    const noted = await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).loginRefused?.includes('WRONGPASS') === true, 'the master\'s WRONGPASS rise noted on the down link', 10_000);
    const note = replscope.link(replica.id, noted).loginRefused!;
    expect(note).not.toMatch(/likely the replica's|Check the replica's/);
    expect(note).toContain('may be this replica\'s or another client\'s');
  } finally {
    clearInterval(app);
  }
  // The nodes' truth: the WRONGPASS are the application's; the replica was refused PSYNC, never its login.
  expect(appFailures).toBeGreaterThan(0);
  expect(await errorCount(master, 'WRONGPASS')).toBeGreaterThanOrEqual(wrongpassBefore + appFailures);
  expect((await replica.info('replication')).get('master_link_status')).toBe('down');
  expect(replica.logSince(mark)).not.toMatch(/WRONGPASS/);
}, 60_000);
