/**
 * Chaos → Restart master after a promotion. Found in a new user's trial of
 * the demo in web mode: after *Promote to master* (FAILOVER TO) the demo's
 * "Restart master" restarted the plan's original master, by then a replica
 * of the promoted node, and left the node that was master untouched; the
 * console had noted the restart as the cause of the replicas' link-downs
 * before the call, and kept that note when the call failed.
 *
 *  - the restart is of the node whose ROLE says master now: its INFO run_id
 *    changes and it answers master again; the other node keeps its run_id;
 *  - its replica's link-down is put down to the chaos;
 *  - when no single node is the master (two answer master), the restart is
 *    refused before anything is noted or restarted (both run_ids unchanged),
 *    and the link-downs that follow are not put down to it.
 */
import { expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ApiFailure, ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

const runId = async (port: number): Promise<string> => (await info({ port }, 'server')).get('run_id')!;
const role = async (port: number): Promise<string | undefined> => (await info({ port }, 'replication')).get('role');

it('after FAILOVER TO, Restart master restarts the promoted node (its run_id changes), not the plan\'s master', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const planMaster = status.nodes.find((node) => node.role === 'master')!;
  const planReplica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));

  expect(await command({ port: planMaster.port }, 'FAILOVER', 'TO', '127.0.0.1', planReplica.port, 'TIMEOUT', 10_000)).toBe('OK');
  await waitFor(async () => {
    const replication = await info({ port: planMaster.port }, 'replication');
    return replication.get('role') === 'slave' && replication.get('master_port') === String(planReplica.port) && replication.get('master_link_status') === 'up';
  }, { timeoutMs: 20_000, what: `${planMaster.id} to follow ${planReplica.id}` });
  await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === planMaster.id && link.masterId === planReplica.id && link.state === 'online'), 'the console to see the swapped roles');

  const before = { promoted: await runId(planReplica.port), demoted: await runId(planMaster.port) };
  const since = Date.now();
  await replscope.call('demo.chaos', { kind: 'restart-master', keepReplid: true });
  // The node that was master (the promoted one) restarted, as a master; the demoted one did not.
  expect(await runId(planReplica.port)).not.toBe(before.promoted);
  expect(await role(planReplica.port)).toBe('master');
  expect(await runId(planMaster.port)).toBe(before.demoted);
  await waitFor(async () => (await info({ port: planMaster.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `${planMaster.id} to follow the restarted ${planReplica.id} again` });
  expect((await info({ port: planMaster.port }, 'replication')).get('master_port')).toBe(String(planReplica.port));

  const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === planMaster.id && event.time >= since, 'the demoted node\'s link-down during the restart');
  expect(down.cause, down.message).toBe('chaos');
  const chaosEvent = replscope.eventsWhere((event) => event.kind === 'chaos' && event.time >= since);
  expect(chaosEvent.map((event) => event.nodeId)).toEqual([planReplica.id]);
}, 90_000);

it('with two nodes answering master, Restart master is refused, restarts nothing, and notes nothing', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const before = { master: await runId(master.port), replica: await runId(replica.port) };

  expect(await command({ port: replica.port }, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
  expect(await role(replica.port)).toBe('master');
  const since = Date.now();
  let refusal: unknown = null;
  try {
    await replscope.call('demo.chaos', { kind: 'restart-master', keepReplid: true });
  } catch (failure) {
    refusal = failure;
  }
  expect(refusal).toBeInstanceOf(ApiFailure);
  expect((refusal as Error).message).toContain(`${master.id} and ${replica.id} all answer ROLE as master`);
  expect(await runId(master.port)).toBe(before.master);
  expect(await runId(replica.port)).toBe(before.replica);

  // Re-pointed by hand: what follows (its resync, any link-down) is not the refused restart's doing.
  expect(await command({ port: replica.port }, 'REPLICAOF', '127.0.0.1', master.port)).toBe('OK');
  await replscope.waitForEvent((event) => (event.kind === 'full-resync' || event.kind === 'partial-resync') && event.nodeId === replica.id && event.time >= since, 'the replica\'s resync after the re-point');
  expect(replscope.eventsWhere((event) => event.time >= since && event.cause === 'chaos').map((event) => `${event.kind}: ${event.message}`)).toEqual([]);
}, 90_000);
