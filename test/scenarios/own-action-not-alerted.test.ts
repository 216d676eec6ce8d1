/**
 * The user's own actions on the demo do not raise alerts. Found in a new
 * user's trial of the demo in web mode: Controls → Force full resync on the
 * replica, and the Alerts panel raised "Full resync" for it (with a desktop
 * notification), though the timeline had filed the resync as the console's
 * own doing. An incident alert is for what nobody asked for.
 *
 *  - Force full resync: the replica's full resync is recorded with the
 *    console's cause (manual, attribution operator), the master's own
 *    counters agree (sync_full +1), and no alert is raised for it;
 *  - Disconnect link: its link-down and partial resync (sync_partial_ok +1)
 *    are the console's, no alert;
 *  - Promote (FAILOVER): the old master's link-down and resync are the
 *    console's, no alert;
 *  - a full resync nobody asked for (REPLICAOF NO ONE and back, typed at the
 *    replica in a client, not run by the console) still raises "Full resync".
 */
import { expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

const syncCounters = async (port: number): Promise<{ full: number; partialOk: number }> => {
  const stats = await info({ port }, 'stats');
  return { full: Number(stats.get('sync_full')), partialOk: Number(stats.get('sync_partial_ok')) };
};

async function startPair(): Promise<{ replscope: ConsoleUnderTest; master: { id: string; port: number }; replica: { id: string; port: number } }> {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.call('demo.load', { running: true, opsPerSec: 100, valueBytes: 100, keySpace: 1000, mix: { string: 100, list: 0, hash: 0, set: 0, zset: 0, script: 0, stream: 0 } });
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  return { replscope, master, replica };
}

async function runAction(replscope: ConsoleUnderTest, action: Parameters<ConsoleUnderTest['preflight']>[0]): Promise<void> {
  const preflight = await replscope.preflight(action);
  expect(preflight.allowed, preflight.deniedReason ?? '').toBe(true);
  const result = await replscope.run(preflight);
  expect(result.outcome, result.message).not.toBe('failed');
}

/** The alert pushes since `since`, as "rule subject: message" lines. */
const alertsSince = (replscope: ConsoleUnderTest, since: number): string[] =>
  replscope.alertPushesWhere((alert) => alert.firedAt >= since).map((push) => `${push.alert.rule} ${push.alert.subject}: ${push.alert.message}`);

it('Force full resync: recorded as the console\'s, the master counts the full sync, and no alert is raised', async () => {
  const { replscope, master, replica } = await startPair();
  const before = await syncCounters(master.port);
  const since = Date.now();
  await runAction(replscope, { kind: 'force-full-resync', replicaId: replica.id });
  const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id && event.time >= since, 'the forced full resync');
  expect((await syncCounters(master.port)).full).toBe(before.full + 1);
  // Its protocol cause stays the engine's exact reason; whose doing it was is said beside it.
  expect(resync.cause, resync.message).toBe('replid-mismatch');
  expect(resync.numbers).toMatchObject({ attribution: 'operator', byThisConsole: 1 });
  expect(resync.message).toContain(`this console's Force full resync of ${replica.id}`);
  await replscope.waitForSteadyGroup([master.id, replica.id]);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // polls after it, for an event alert to be pushed
  expect(alertsSince(replscope, since)).toEqual([]);
  // The replica's link came back up because the console re-pointed it (its INFO master_link_status is up
  // again): that link-up is the action's as much as the link-down and the resync are.
  expect((await info({ port: replica.port }, 'replication')).get('master_link_status')).toBe('up');
  // One action brings the link up once: the replica's one link-up since is the action's, after its link-down.
  const linkUps = replscope.eventsWhere((event) => event.kind === 'link-up' && event.nodeId === replica.id && event.time >= since);
  expect(linkUps.map((event) => `${event.cause}: ${event.message}`), replscope.describeEvents()).toHaveLength(1);
  const [linkUp] = linkUps;
  expect(linkUp!.cause, linkUp!.message).toBe('manual');
  expect(linkUp!.message).toContain(`this console's Force full resync of ${replica.id}`);
  expect(linkUp!.peerId).toBe(master.id);
  const linkDown = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since && event.cause === 'manual')[0];
  expect(linkDown, replscope.describeEvents()).toBeDefined();
  expect(linkUp!.time).toBeGreaterThanOrEqual(linkDown!.time);
}, 90_000);

it('Disconnect link and Promote: their link-downs and resyncs are the console\'s, and no alert is raised', async () => {
  const { replscope, master, replica } = await startPair();
  const since = Date.now();
  const before = await syncCounters(master.port);
  await runAction(replscope, { kind: 'disconnect-link', replicaId: replica.id, side: 'replica' });
  await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id && event.time >= since, 'the partial resync after the disconnect');
  expect((await syncCounters(master.port)).partialOk).toBeGreaterThan(before.partialOk);
  await replscope.waitForSteadyGroup([master.id, replica.id]);

  await runAction(replscope, { kind: 'promote', nodeId: replica.id, method: 'auto' });
  await waitFor(async () => (await info({ port: master.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `${master.id} to follow ${replica.id}` });
  await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === replica.id && event.time >= since, 'the promotion');
  await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === master.id && link.state === 'online'), 'the old master following the new one');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  // The links these actions dropped and continued are put down to the console.
  const own = replscope.eventsWhere((event) => event.time >= since && ['link-down', 'partial-resync', 'full-resync'].includes(event.kind));
  expect(own.length).toBeGreaterThan(0);
  expect(own.filter((event) => event.cause !== 'manual' && event.numbers.byThisConsole === undefined).map((event) => `${event.kind} ${event.nodeId} ${event.cause}: ${event.message}`)).toEqual([]);
  expect(alertsSince(replscope, since)).toEqual([]);
}, 90_000);

it('a full resync nobody asked the console for (REPLICAOF NO ONE and back, typed in a client) still raises "Full resync"', async () => {
  const { replscope, master, replica } = await startPair();
  const before = await syncCounters(master.port);
  const since = Date.now();
  expect(await command({ port: replica.port }, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
  const replicaInfo = await info({ port: replica.port }, 'replication');
  expect(replicaInfo.get('role')).toBe('master');
  const proxy = (await replscope.call('demo.status', {})).nodes.find((node) => node.id === replica.id)!.proxyPort;
  expect(await command({ port: replica.port }, 'REPLICAOF', '127.0.0.1', proxy ?? master.port)).toBe('OK');
  const alert = await replscope.waitForAlert((candidate) => candidate.rule === 'full-resync' && candidate.subject === replica.id && candidate.firedAt >= since, 'the Full resync alert');
  expect((await syncCounters(master.port)).full).toBe(before.full + 1);
  const resync = replscope.eventsWhere((event) => event.kind === 'full-resync' && event.nodeId === replica.id && event.time >= since)[0]!;
  expect(resync.numbers.byThisConsole).toBeUndefined();
  expect(resync.message).not.toContain('this console');
  expect(alert.message).toBe(resync.message);
}, 90_000);
