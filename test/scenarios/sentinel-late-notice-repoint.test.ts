/**
 * A replica Sentinel re-points whose notice reaches the console after the
 * poll that sees it re-pointed. Sentinel publishes +fix-slave-config (or
 * +slave-reconf-sent, +convert-to-slave) as it sends its SLAVEOF, but a
 * console behind a slow path to the Sentinel hears it later than it polls
 * the replica. The re-point's link-down, link-up and partial resync were put
 * down to "an operator": SLAVEOF ×1 was counted on the replica (INFO
 * commandstats) and no notice was there yet. The replica's own counters say
 * more: Sentinel sends SLAVEOF inside MULTI / EXEC with CONFIG REWRITE and
 * CLIENT KILL TYPE normal and pubsub (sentinel.c sentinelSendSlaveOf), and
 * its log names the client ("REPLICAOF ... enabled (user request from
 * 'id=... name=sentinel-<id>-cmd ... cmd=exec ...')").
 *
 * One redis-sentinel (quorum 1, INFO of replicas every second: SENTINEL
 * DEBUG info-period 1000), reached by the console through a proxy that
 * passes its bytes on 2 s late. replica-2 is re-pointed by hand to its
 * sibling replica-1; Sentinel, failover-timeout (5 s) later, sends it back
 * to the master (+fix-slave-config), and the master continues its history
 * ("Partial resynchronization request from ... accepted", sync_partial_ok +1).
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { startTcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, counterDelta, escapeRegExp, replicationTruth, startSentinelScenario, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

/** The notice's way from the Sentinel to the console: longer than a poll interval and the detection after it. */
const NOTICE_DELAY_MS = 2000;

async function calls(node: ScenarioNode): Promise<Record<string, number>> {
  const stats = await node.info('commandstats');
  const count = (name: string): number => Number(/calls=(\d+)/.exec(stats.get(`cmdstat_${name}`) ?? '')?.[1] ?? 0);
  return Object.fromEntries(['slaveof', 'replicaof', 'multi', 'exec', 'config|rewrite', 'client|kill'].map((name) => [name, count(name)]));
}

it('Sentinel\'s +fix-slave-config heard after the poll that saw the replica re-pointed: the re-point is Sentinel\'s, not an operator\'s', async () => {
  const group = await startSentinelScenario({ kind: 'redis', sentinels: 1, quorum: 1 });
  const sentinel = group.sentinels[0]!;
  expect(await sentinel.call('SENTINEL', 'DEBUG', 'info-period', '1000')).toBe('OK');
  const { master } = group;
  const [sibling, moved] = group.replicas as [ScenarioNode, ScenarioNode];
  const proxy = await startTcpProxy({ port: sentinel.port });
  try {
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500, profile: { ...group.profile(), seeds: [{ host: '127.0.0.1', port: proxy.port }] } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id), 30_000);

    // By hand: replica-2 follows its sibling (a chained replica Sentinel will not leave so).
    expect(await moved.call('REPLICAOF', '127.0.0.1', String(sibling.port))).toBe('OK');
    await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === moved.id && link.masterId === sibling.id && link.state === 'online'), `${moved.id} online under ${sibling.id}`);
    const before = await calls(moved);
    const masterBefore = await replicationTruth(master);
    const mark = moved.mark();
    const masterMark = master.mark();
    const sentinelMark = sentinel.log().length;
    const since = Date.now();
    proxy.delayFromNode(NOTICE_DELAY_MS);

    // The nodes' truth: Sentinel's SLAVEOF, sent in its transaction from its command connection, and the master's
    // acceptance of the replica's PSYNC.
    const enabled = await waitForLog(moved, new RegExp(`REPLICAOF ${escapeRegExp(master.id)} enabled \\(user request from '.*name=sentinel-[0-9a-f]{8}-cmd .*cmd=exec`), mark, 30_000);
    await waitForLog(master, new RegExp(`Partial resynchronization request from ${escapeRegExp(moved.id)} accepted`), masterMark);
    expect(new RegExp(`\\+fix-slave-config slave ${escapeRegExp(moved.id)} `).test(sentinel.log().slice(sentinelMark)), enabled).toBe(true);
    const after = await calls(moved);
    expect(Object.fromEntries(Object.entries(after).map(([name, count]) => [name, count - before[name]!]))).toEqual({ slaveof: 1, replicaof: 0, multi: 1, exec: 1, 'config|rewrite': 1, 'client|kill': 2 });
    expect(counterDelta(masterBefore, await replicationTruth(master))).toEqual({ full: 0, partialOk: 1, partialErr: 0 });

    // The console saw the replica back on the master before it heard the notice: what this scenario is about.
    const notice = await replscope.waitForEvent((event) => event.kind === 'sentinel' && event.numbers.channel === '+fix-slave-config' && event.nodeId === moved.id, 'the +fix-slave-config notice', 20_000);
    const seen = replscope.snapshotsSince(since).find((received) => received.snapshot.links.some((link) => link.replicaId === moved.id && link.masterId === master.id));
    expect(seen, 'a poll showed the replica on the master').toBeDefined();
    expect(seen!.snapshot.time).toBeLessThan(notice.time);

    const mine = (event: ReplicationEvent): boolean => event.nodeId === moved.id && event.time >= since;
    const resync = await replscope.waitForEvent((event) => mine(event) && event.kind === 'partial-resync' && event.peerId === master.id, `the partial resync of ${moved.id} from ${master.id}`);
    const up = await replscope.waitForEvent((event) => mine(event) && event.kind === 'link-up' && event.peerId === master.id, `the link-up ${master.id} -> ${moved.id}`);
    const downs = replscope.eventsWhere((event) => mine(event) && event.kind === 'link-down' && event.peerId === sibling.id);
    expect(downs, replscope.describeEvents()).toHaveLength(1);
    for (const event of [downs[0]!, up, resync]) {
      expect(event.cause, replscope.describeEvents()).toBe('sentinel-failover');
      expect(event.numbers.attribution, event.message).toBe('sentinel');
      expect(event.message).not.toMatch(/operator|not from this console/);
      expect(event.message).toContain(`${moved.id} was re-pointed from ${sibling.id} to ${master.id}`);
      expect(event.message).toContain('cmdstat_multi +1, cmdstat_slaveof +1, cmdstat_config|rewrite +1, cmdstat_client|kill +2, cmdstat_exec +1');
    }
  } finally {
    await proxy.close();
  }
}, 90_000);

it('a replica made a master by hand, converted back by Sentinel, watched by a console that does not watch the Sentinels: the demotion is Sentinel\'s', async () => {
  const group = await startSentinelScenario({ kind: 'redis' });
  for (const sentinel of group.sentinels) {
    // Sentinel converts a replica reporting itself a master 4 hello periods after it saw that (sentinelRefreshInstanceInfo).
    expect(await sentinel.call('SENTINEL', 'DEBUG', 'info-period', '1000', 'publish-period', '500')).toBe('OK');
  }
  const { master } = group;
  const moved = group.replicas[1]!;
  // Attached to the data nodes: no Sentinel notice can reach it.
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500 });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id), 30_000);
  const since = Date.now();
  const marks = group.sentinels.map((sentinel) => sentinel.log().length);

  expect(await moved.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === moved.id && event.time >= since, `the promotion of ${moved.id}`);
  const before = await calls(moved);
  const mark = moved.mark();

  // The nodes' truth: a Sentinel converted it back, in its transaction from its command connection.
  const enabled = await waitForLog(moved, new RegExp(`REPLICAOF ${escapeRegExp(master.id)} enabled \\(user request from '.*name=sentinel-[0-9a-f]{8}-cmd .*cmd=exec`), mark, 30_000);
  // Each +convert-to-slave line is one transaction queued (MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL ×2, EXEC): no leader
  // decides who converts (sentinel.c sentinelRefreshInstanceInfo), so two Sentinels may each send one, and one queued on a
  // command link the other's CLIENT KILL TYPE normal has just cut never runs. The replica counts whole transactions, at
  // least one and at most one per line.
  const convertedLine = new RegExp(`\\+convert-to-slave slave ${escapeRegExp(moved.id)} `, 'g');
  const logged = (): number => group.sentinels.reduce((sum, sentinel, index) => sum + (sentinel.log().slice(marks[index]).match(convertedLine)?.length ?? 0), 0);
  const rises = async (): Promise<Record<string, number>> => {
    const after = await calls(moved);
    return Object.fromEntries(Object.entries(after).map(([name, count]) => [name, count - before[name]!]));
  };
  await waitFor(async () => (await rises()).exec === logged(), { timeoutMs: 5_000, what: 'an EXEC on the replica for each +convert-to-slave line' }).catch(() => undefined);
  const conversions = logged();
  const rise = await rises();
  const transactions = rise.exec!;
  expect(rise, enabled).toEqual({ slaveof: transactions, replicaof: 0, multi: transactions, exec: transactions, 'config|rewrite': transactions, 'client|kill': 2 * transactions });
  expect(transactions).toBeGreaterThanOrEqual(1);
  expect(transactions).toBeLessThanOrEqual(conversions);

  const demotion = await replscope.waitForEvent((event) => event.kind === 'demotion' && event.nodeId === moved.id && event.time >= since, `the demotion of ${moved.id}`);
  expect(demotion.cause, replscope.describeEvents()).toBe('sentinel-failover');
  expect(demotion.numbers.attribution).toBe('sentinel');
  expect(demotion.message).toContain(`${moved.id} became a replica of ${master.id} by Sentinel`);
  // The transactions the console counted by the poll that saw the demotion: whole ones, at least one, at most those logged.
  const counted = /cmdstat_multi \+(\d+), cmdstat_slaveof \+(\d+), cmdstat_config\|rewrite \+(\d+), cmdstat_client\|kill \+(\d+), cmdstat_exec \+(\d+)/.exec(demotion.message);
  expect(counted, demotion.message).not.toBeNull();
  const [multi, slaveof, rewrite, kill, exec] = counted!.slice(1).map(Number) as [number, number, number, number, number];
  expect({ slaveof, rewrite, kill, exec }, demotion.message).toEqual({ slaveof: multi, rewrite: multi, kill: 2 * multi, exec: multi });
  expect(multi).toBeGreaterThanOrEqual(1);
  expect(multi).toBeLessThanOrEqual(transactions);
}, 90_000);
