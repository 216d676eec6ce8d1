/**
 * A master that hangs (SIGSTOP), is failed over by Sentinel, and is then
 * killed (SIGKILL), as a new user's walk did it with three redis-sentinel
 * processes (quorum 2, down-after 3 s):
 *
 *  - Sentinel's SLAVEOF NO ONE to the promoted replica and SLAVEOF <new
 *    master> to the other one end their links with the hung master (their
 *    logs: "Connection with master lost"). The hung master answers nothing,
 *    so only the replicas can say it: each link-down with the old master is
 *    on the timeline, put down to Sentinel, as in a SENTINEL FAILOVER.
 *  - The re-pointed replica, linked to the new master, is not shown stale
 *    for the hung master's silence, and no link is drawn from the hung
 *    master to either replica (its last replica list still names them).
 *  - Once killed, the hung master's port refuses connections: the timeline
 *    says so (its process is gone), instead of leaving "hung ... the console
 *    keeps trying" as its last word.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startSentinelScenario, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('SIGSTOP of the master, Sentinel fails over, then SIGKILL: the replicas\' link-downs with it are Sentinel\'s, and its death is told', async () => {
    const group = await startSentinelScenario({ kind });
    const oldMaster = group.master;
    const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: group.profile() });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const marks = new Map(group.replicas.map((replica) => [replica.id, replica.mark()]));

    oldMaster.signal('SIGSTOP');
    const hung = await replscope.waitForEvent((event) => event.kind === 'node-unreachable' && event.nodeId === oldMaster.id, `${oldMaster.id} hung`, 15_000);
    expect(hung.cause).toBe('timeout');
    const newMasterId = await group.waitForNewMaster(oldMaster.id);
    const other = group.replicas.find((replica) => replica.id !== newMasterId)!;
    // The nodes' truth: both replicas lost their link with the old master when Sentinel moved them.
    await waitForLog(group.node(newMasterId), /MASTER MODE enabled/, marks.get(newMasterId)!);
    await waitForLog(other, new RegExp(`REPLICAOF ${newMasterId.replace(/\./g, '\\.')} enabled`), marks.get(other.id)!);
    for (const replica of group.replicas) await waitForLog(replica, LOG.replicaMasterLost, marks.get(replica.id)!);

    const isLeft = (replicaId: string) => (event: ReplicationEvent): boolean => event.kind === 'link-down' && event.nodeId === replicaId && event.peerId === oldMaster.id;
    for (const replica of group.replicas) {
      const down = await replscope.waitForEvent(isLeft(replica.id), `the link-down ${oldMaster.id} -> ${replica.id}`, 10_000);
      expect(down, down.message).toMatchObject({ cause: 'sentinel-failover', numbers: { attribution: 'sentinel' } });
    }
    expect(replscope.eventsWhere(isLeft(newMasterId))[0]!.message).toMatch(new RegExp(`— Sentinel \\S+ promoted ${newMasterId.replace(/\./g, '\\.')} \\(\\+`));
    expect(replscope.eventsWhere(isLeft(other.id))[0]!.message).toMatch(new RegExp(`— Sentinel \\S+ re-pointed ${other.id.replace(/\./g, '\\.')} to the new master \\(\\+slave-reconf-`));

    // The re-pointed replica's own word: linked to the new master, up. The console shows it so, not stale for the
    // hung master's last replica list (which still names both replicas), and draws no link from the hung master.
    await waitFor(async () => {
      const truth = await replicationTruth(other);
      return truth.masterId === newMasterId && truth.masterLinkStatus === 'up';
    }, { what: `${other.id} linked to ${newMasterId}` });
    await replscope.waitForSnapshot((snapshot) => !replscope.node(other.id, snapshot).stale && !snapshot.links.some((link) => link.masterId === oldMaster.id), `${other.id} fresh, no link from the hung ${oldMaster.id}`, 10_000);

    oldMaster.signal('SIGKILL');
    // Its port refuses connections now (the nodes' truth: a dial is refused).
    await waitFor(async () => {
      try {
        await oldMaster.call('PING');
        return false;
      } catch (error) {
        return /ECONNREFUSED/.test(String((error as Error).message ?? error));
      }
    }, { what: `${oldMaster.id}'s port to refuse connections` });
    const gone = await replscope.waitForEvent((event) => event.kind === 'node-unreachable' && event.nodeId === oldMaster.id && event.cause === 'connection-refused', `${oldMaster.id}'s death on the timeline`, 10_000);
    expect(gone.message).toMatch(/refuses connections \(ECONNREFUSED\)/);
    expect(gone.message).toMatch(/process is gone/);
    expect(replscope.eventsWhere((event) => event.kind === 'node-unreachable' && event.nodeId === oldMaster.id).map((event) => event.cause)).toEqual(['timeout', 'connection-refused']);
  }, 120_000);
});
