/**
 * The split-brain of a Sentinel failover's reconfiguration window says so.
 * Found in a walk (three redis-sentinel 7.0, SENTINEL FAILOVER of a master
 * with one replica, no writes): a critical split-brain alert stood for some
 * 10 s, until Sentinel's +convert-to-slave, saying only "2 writable masters
 * ... demote one", to an operator who had just asked for the failover.
 *
 * What the nodes say in that window: the old master answers INFO with
 * role:master (it takes writes: a real split-brain, kept critical), while
 * every Sentinel already lists it among the group's replicas (SENTINEL
 * REPLICAS, after +switch-master) and converts it (REPLICAOF, logged
 * '+convert-to-slave') once it has reported master for 8 s (sentinel.c,
 * SENTINEL_PUBLISH_PERIOD * 4). So the alert now names the failover, its
 * leader, the conversion to come and that writes to the old master in the
 * window are lost at it.
 */
import { describe, expect, it } from 'vitest';
import { parseInfo } from '../../main/console/monitor/info-fields';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, scenarioNodeKinds, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0 with three Sentinels, one replica', () => {
  it('SENTINEL FAILOVER: the split-brain until +convert-to-slave is the failover\'s window, critical, naming what Sentinel will do', async () => {
    const group = await startSentinelScenario({ kind: 'redis', replicas: 1 });
    const oldMaster = group.master;
    const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: group.profile() });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const marks = group.sentinels.map((sentinel) => sentinel.log().length);
    const asked = group.sentinels[1]!;
    expect(await asked.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK');
    const newMasterId = await group.waitForNewMaster(oldMaster.id);

    const alert = await replscope.waitForAlert((candidate) => candidate.rule === 'split-brain' && candidate.clearedAt === null, 'the split-brain alert', 15_000);
    // The nodes' truth in the window: the old master is still a master, every Sentinel lists it as a replica.
    expect(parseInfo(String(await oldMaster.call('INFO', 'replication'))).get('role')).toBe('master');
    await waitFor(async () => {
      for (const sentinel of group.sentinels) {
        const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', group.name)) as string[][];
        if (!replicas.some((fields) => fields[fields.indexOf('name') + 1] === oldMaster.id)) return false;
      }
      return true;
    }, { timeoutMs: 5_000, what: `every Sentinel to list ${oldMaster.id} as a replica` });
    expect(group.sentinels.some((sentinel, index) => sentinel.log().slice(marks[index]).includes('+convert-to-slave'))).toBe(false);

    const latest = () => replscope.alertPushesWhere((candidate) => candidate.rule === 'split-brain' && candidate.id === alert.id).at(-1)!.alert;
    // The console learns each step on its own polls of the Sentinels: the switch, then their replica lists
    // (which the nodes' own SENTINEL REPLICAS already showed above) on a later poll under load.
    const listed = `lists ${oldMaster.id} as a replica of ${newMasterId}`;
    await waitFor(() => latest().message.includes('switched the group') && latest().message.includes(listed), { timeoutMs: 5_000, what: `the alert to name the switch and the listing: ${latest().message}` });
    const message = latest().message;
    expect(latest().severity).toBe('critical');
    expect(message).toContain(`Sentinel failover of ${group.name}`);
    expect(message).toContain(`forced by SENTINEL FAILOVER, leader ${asked.host}:${asked.port}`);
    expect(message).toContain(`${oldMaster.id} -> ${newMasterId}`);
    expect(message).toContain(listed);
    expect(message).toContain('+convert-to-slave');
    expect(message).toContain(`Writes to ${oldMaster.id} in this window are lost when it is converted`);
    const split = replscope.eventsWhere((event) => event.kind === 'split-brain');
    expect(split).toHaveLength(1);
    expect(split[0]!.cause).toBe('sentinel-failover');
    expect(split[0]!.message).toContain(`Sentinel failover of ${group.name}`);

    // Then a Sentinel converts it, and the split-brain ends.
    await waitFor(() => group.sentinels.some((sentinel, index) => sentinel.log().slice(marks[index]).includes(`+convert-to-slave slave ${oldMaster.id}`)), { timeoutMs: 20_000, what: 'a Sentinel to log +convert-to-slave' });
    await replscope.waitForAlert((candidate) => candidate.id === alert.id && candidate.clearedAt !== null, 'the split-brain alert cleared', 15_000);
  }, 90_000);
});
