/**
 * A replication link killed by someone else's CLIENT KILL (redis-cli, not
 * this console's Disconnect link) and re-established between two polls:
 * the link-down made from the resync counters and the partial resync after
 * it are put down to that CLIENT KILL, naming the node it ran on, not
 * "cause unknown". Held against the nodes' own truth: the node's INFO
 * commandstats cmdstat_client|kill rose by one, sync_partial_ok by one on
 * the master, and its log accepted the replica's partial resync.
 *
 *  1. replica side: CLIENT KILL TYPE master on replica-1;
 *  2. master side: CLIENT KILL ADDR <replica-2's connection> TYPE replica
 *     on the master (replica-1 keeps streaming: nothing about it);
 *  3. this console's own Disconnect link of replica-1 (its CLIENT KILL TYPE
 *     master counted there as well): cause manual, not also client-kill.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import {
  ConsoleUnderTest, countLog, counterDelta, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog, type ScenarioNode,
} from './harness';

useScenarioCleanup();

async function clientKills(node: ScenarioNode): Promise<number> {
  return Number(/calls=(\d+)/.exec((await node.info('commandstats')).get('cmdstat_client|kill') ?? '')?.[1] ?? 0);
}

/** The replica's link-down and partial resync, both put down to the CLIENT KILL run on `on`. */
async function expectKilledOn(replscope: ConsoleUnderTest, replica: ScenarioNode, master: ScenarioNode, on: ScenarioNode, after: number): Promise<void> {
  const mine = (event: ReplicationEvent): boolean => event.nodeId === replica.id && event.peerId === master.id && event.time >= after;
  const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && mine(event), `the partial resync of ${replica.id}`);
  const down = replscope.eventsWhere((event) => event.kind === 'link-down' && mine(event));
  expect(down, replscope.describeEvents()).toHaveLength(1);
  for (const event of [down[0]!, partial]) {
    expect(event.cause, replscope.describeEvents()).toBe('client-kill');
    expect(event.numbers.attribution).toBe('operator');
    expect(event.message).toContain(`a client connection killed by CLIENT KILL on ${on.id} (not by this console)`);
  }
}

forEachNodeKind((kind) => {
  it('CLIENT KILL run elsewhere on either end of a link: its link-down and partial resync name that CLIENT KILL', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const { master } = group;
    const [first, second] = group.replicas as [ScenarioNode, ScenarioNode];
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    // Past the 5 s in which the replicas' initial syncs still make their links candidates for a resync count.
    const steady = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length >= steady + 24, 'six seconds of polls');

    // 1. Replica side.
    let before = await replicationTruth(master);
    let kills = await clientKills(first);
    let mark = master.mark();
    let startedAt = Date.now();
    expect(await first.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
    await waitForLog(master, LOG.partialAccepted, mark);
    await expectKilledOn(replscope, first, master, first, startedAt - 1000);
    expect(await clientKills(first) - kills).toBe(1);
    await waitForGroupInSync(master, group.replicas);
    expect(counterDelta(before, await replicationTruth(master))).toEqual({ full: 0, partialOk: 1, partialErr: 0 });
    expect(countLog(master, LOG.partialAccepted, mark)).toBe(1);

    // 2. Master side, one replica's connection by its address.
    // replica-1's new connection must be older than a poll interval first, or both replicas' connections look young (CLIENT LIST age).
    const afterFirst = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length >= afterFirst + 16, 'four seconds of polls');
    before = await replicationTruth(master);
    kills = await clientKills(master);
    mark = master.mark();
    startedAt = Date.now();
    // The replica's outgoing connection is the master's incoming one: its laddr on the replica is its addr on the master.
    const laddr = /laddr=(\S+)/.exec(String(await second.call('CLIENT', 'LIST', 'TYPE', 'master')))?.[1];
    expect(laddr).toBeDefined();
    expect(await master.call('CLIENT', 'KILL', 'ADDR', laddr!, 'TYPE', 'replica')).toBe(1);
    await waitForLog(master, LOG.partialAccepted, mark);
    await expectKilledOn(replscope, second, master, master, startedAt - 1000);
    expect(await clientKills(master) - kills).toBe(1);
    await waitForGroupInSync(master, group.replicas);
    expect(counterDelta(before, await replicationTruth(master))).toEqual({ full: 0, partialOk: 1, partialErr: 0 });
    expect(countLog(master, LOG.partialAccepted, mark)).toBe(1);
    expect(master.logSince(mark)).toContain(`Partial resynchronization request from ${second.id} accepted`);
    // replica-1 dropped once (step 1), replica-2 once (step 2): one link-down and one partial resync each.
    for (const replica of group.replicas) {
      expect(replscope.eventsWhere((event) => event.nodeId === replica.id && event.kind === 'link-down'), replscope.describeEvents()).toHaveLength(1);
      expect(replscope.eventsWhere((event) => event.nodeId === replica.id && event.kind === 'partial-resync')).toHaveLength(1);
    }

    // 3. This console's own Disconnect link (CLIENT KILL TYPE master on replica-1, counted there too): its own cause, never also a CLIENT KILL by someone else.
    kills = await clientKills(first);
    mark = master.mark();
    const seen = replscope.eventsWhere(() => true).length;
    const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: first.id, side: 'replica' });
    const result = await replscope.run(preflight);
    expect(result).toMatchObject({ outcome: 'partial-resync' });
    await waitForLog(master, LOG.partialAccepted, mark);
    expect(await clientKills(first) - kills).toBe(1);
    const own = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === first.id && event.time >= result.startedAt, 'the partial resync after the console\'s own cut');
    expect(own.cause, replscope.describeEvents()).toBe('manual');
    const polled = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length >= polled + 4, 'a few more polls');
    const ownEvents = replscope.eventsWhere(() => true).slice(seen).filter((event) => event.nodeId === first.id && (event.kind === 'link-down' || event.kind === 'partial-resync'));
    expect(ownEvents.length).toBeGreaterThanOrEqual(2);
    for (const event of ownEvents) expect(event.cause, replscope.describeEvents()).toBe('manual');
  }, 60_000);
});
