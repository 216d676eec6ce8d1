/**
 * Chaos on a demo link that no longer goes through the chaos proxy. Found in
 * a new-user trial in Chromium: after *Promote to master* (FAILOVER TO) the
 * old master "master" follows the new one directly, and the Chaos card's
 * *Replica* picker offers it; *Cut link* for 120 s answered "Internal error:
 * master is the master: it has no upstream link" (its INFO said role:slave)
 * and cut nothing (master_link_status stayed up), yet the console had noted
 * the cut before running it: the next link-down of that replica, a
 * `CLIENT KILL TYPE master` typed in redis-cli, was filed as "the demo's
 * chaos (cut the link ... for 120 s)".
 *
 *  - a link chaos on a replica whose link does not go through its proxy is
 *    refused before anything is noted, saying why, in the node's live terms;
 *  - the link stays up (the node's INFO), and a later link-down is not put
 *    down to a chaos that never ran.
 */
import { expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ApiFailure, ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('after a FAILOVER, Cut link on the old master (now a direct replica) is refused, cuts nothing, and its next link-down is not "chaos"', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const oldMaster = status.nodes.find((node) => node.role === 'master')!;
  const oldReplica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));

  // The promotion the console's "auto" method picks for a reachable master: FAILOVER TO, typed at the master.
  expect(await command({ port: oldMaster.port }, 'FAILOVER', 'TO', '127.0.0.1', oldReplica.port, 'TIMEOUT', 10_000)).toBe('OK');
  await waitFor(async () => {
    const replication = await info({ port: oldMaster.port }, 'replication');
    return replication.get('role') === 'slave' && replication.get('master_port') === String(oldReplica.port) && replication.get('master_link_status') === 'up';
  }, { timeoutMs: 20_000, what: `${oldMaster.id} to follow ${oldReplica.id} directly` });
  await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === oldMaster.id && link.masterId === oldReplica.id && link.state === 'online'), 'the console to see the swapped roles');
  const live = await replscope.call('demo.status', {});
  expect(live.nodes.find((node) => node.id === oldMaster.id)).toMatchObject({ role: 'replica', upstreamId: oldReplica.id, proxyPort: null });

  const since = Date.now();
  let refusal: unknown = null;
  try {
    await replscope.call('demo.chaos', { kind: 'cut-link', replicaId: oldMaster.id, seconds: 120 });
  } catch (failure) {
    refusal = failure;
  }
  expect(refusal).toBeInstanceOf(ApiFailure);
  expect((refusal as ApiFailure).code).toBe('invalid-request');
  expect((refusal as Error).message).toContain(`${oldMaster.id} replicates from ${oldReplica.id} directly, not through the demo's chaos proxy`);
  expect((refusal as Error).message).not.toContain('is the master');

  // The node's truth: nothing was cut.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const replication = await info({ port: oldMaster.port }, 'replication');
  expect(replication.get('master_link_status')).toBe('up');
  expect(replication.get('master_port')).toBe(String(oldReplica.port));

  // A link-down someone else causes, inside the 120 s the refused cut asked for.
  expect(await command({ port: oldMaster.port }, 'CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
  const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === oldMaster.id && event.time >= since, 'the link-down of the killed connection');
  await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === oldMaster.id && event.time >= since, 'the partial resync after it');
  const after = replscope.eventsWhere((event) => event.time >= since);
  expect(down.cause).not.toBe('chaos');
  expect(after.filter((event) => event.cause === 'chaos').map((event) => `${event.kind}: ${event.message}`)).toEqual([]);
}, 90_000);
