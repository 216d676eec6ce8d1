/**
 * After a failover of a killed master, each Sentinel keeps the old master as
 * a replica of the new one and, some down-after-milliseconds later, logs
 * '+sdown slave <old> ... @ mymaster <new>'. Found in a new-user walk with
 * three redis-sentinel 7.0.15: the timeline dropped that notice, taking it
 * for a repeat of the '+sdown master' of the same address 4 s before (one
 * 30 s de-duplication window per address, whatever the instance's type), so
 * nothing said what Sentinel now thinks of the dead master.
 *
 * Held against the Sentinels' logs: +sdown master, +switch-master, then
 * +sdown slave of the same address under the new master.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('the killed old master\'s +sdown as a replica of the new master is on the timeline, saying what Sentinel will do with it', async () => {
  const group = await startSentinelScenario({ kind: 'redis' });
  const oldMaster = group.master;
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  const marks = group.sentinels.map((sentinel) => sentinel.log().length);
  oldMaster.signal('SIGKILL');
  const newMasterId = await group.waitForNewMaster(oldMaster.id);

  const port = oldMaster.port;
  const asMaster = new RegExp(`\\+sdown master ${group.name} 127\\.0\\.0\\.1 ${port}\\b`);
  const asReplica = new RegExp(`\\+sdown slave 127\\.0\\.0\\.1:${port} 127\\.0\\.0\\.1 ${port} @ ${group.name} 127\\.0\\.0\\.1 ${newMasterId.split(':')[1]}\\b`);
  await waitFor(() => group.sentinels.every((sentinel, index) => asMaster.test(sentinel.log().slice(marks[index])) && asReplica.test(sentinel.log().slice(marks[index]))), { timeoutMs: 20_000, what: 'every Sentinel to log +sdown of the old master as master, then as a replica' });

  const sdowns = (type: string) => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+sdown' && String(event.numbers.text).startsWith(`${type} `) && event.nodeId === oldMaster.id);
  await replscope.waitForEvent((event) => event.kind === 'sentinel' && event.numbers.channel === '+sdown' && String(event.numbers.text).startsWith(`slave ${oldMaster.id} `), 'the +sdown of the old master as a replica', 10_000);
  expect(sdowns('master')).toHaveLength(1);
  const [asReplicaEvent, ...more] = sdowns('slave');
  expect(more).toHaveLength(0);
  expect(asReplicaEvent!.message).toContain(`${oldMaster.id} (slave) is subjectively down for this Sentinel: the old master of ${group.name}, which Sentinel now lists as a replica of ${newMasterId}; if it comes back, Sentinel turns it into a replica (+convert-to-slave)`);
  expect(asReplicaEvent!.time).toBeGreaterThan(sdowns('master')[0]!.time);
}, 90_000);
