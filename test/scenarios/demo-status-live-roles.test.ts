/**
 * The demo's node list says what the nodes' own ROLE says, not the plan.
 * Found by checking every reader of the demo's node list against ROLE:
 *
 *  - after the console's Promote (FAILOVER TO), *Disconnect link* from the
 *    master side on the old master (now a replica following the new master
 *    at its own port) failed with "the chaos proxy of ... carries no
 *    connection from ...": the demo took the node for the plan's master,
 *    whose links all go through a proxy, and looked for the link there;
 *  - with the demo's session closed (Sessions → Disconnect), demo.status
 *    named each node by the plan again: after the promotion the new master
 *    was listed as "replica" and the old one as "master".
 *
 * Each is held against the nodes themselves: ROLE over TCP, and the new
 * master's sync_partial_ok (the link dropped and continued).
 */
import { expect, it } from 'vitest';
import type { DemoStatus } from '../../shared/contract/demo';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

/** ROLE over TCP, as "master" or "replica of host:port" (ROLE's own elements). */
async function roleSays(port: number): Promise<string> {
  const reply = await command({ port }, 'ROLE') as unknown[];
  return reply[0] === 'slave' ? `replica of ${String(reply[1])}:${String(reply[2])}` : String(reply[0]);
}

/** What demo.status says of a node, in the same words. */
function statusSays(status: DemoStatus, port: number): string {
  const node = status.nodes.find((candidate) => candidate.port === port)!;
  return node.role === 'replica' ? `replica of ${node.upstreamId ?? '?'}` : node.role;
}

it('after Promote, demo.status and Disconnect link follow ROLE, also with the demo\'s session closed', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const started = await replscope.startDemo({ topology: 'pair' });
  const planMaster = started.nodes.find((node) => node.role === 'master')!;
  const planReplica = started.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(started.nodes.map((node) => node.id));

  const promote = await replscope.preflight({ kind: 'promote', nodeId: planReplica.id, method: 'failover' });
  expect(promote.allowed, promote.deniedReason ?? '').toBe(true);
  expect((await replscope.run(promote)).outcome).toBe('promoted');
  await waitFor(async () => (await info({ port: planMaster.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `${planMaster.id} to follow ${planReplica.id}` });
  await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === planMaster.id && link.state === 'online'), 'the console to see the old master follow the new one');

  // The old master follows the new one at its own port, as its ROLE says; the status says the same.
  expect(await roleSays(planMaster.port)).toBe(`replica of 127.0.0.1:${planReplica.port}`);
  expect(await roleSays(planReplica.port)).toBe('master');
  const promoted = await replscope.call('demo.status', {});
  expect(statusSays(promoted, planMaster.port)).toBe(await roleSays(planMaster.port));
  expect(statusSays(promoted, planReplica.port)).toBe('master');
  expect(promoted.nodes.find((node) => node.port === planMaster.port)!.proxyPort).toBeNull();

  // Disconnect link from the master side: the new master closes the old master's direct link, which PSYNCs back.
  const partialBefore = Number((await info({ port: planReplica.port }, 'stats')).get('sync_partial_ok'));
  const disconnect = await replscope.preflight({ kind: 'disconnect-link', replicaId: planMaster.id, side: 'master' });
  expect(disconnect.allowed, disconnect.deniedReason ?? '').toBe(true);
  const result = await replscope.run(disconnect);
  expect(result.outcome, result.message).toBe('partial-resync');
  await waitFor(async () => Number((await info({ port: planReplica.port }, 'stats')).get('sync_partial_ok')) === partialBefore + 1, { timeoutMs: 10_000, what: `${planReplica.id}'s sync_partial_ok to count the reconnect` });

  // The demo's session closed: the status still asks the nodes, and a REPLICAOF typed by hand shows at once.
  expect(await replscope.call('sessions.disconnect', { sessionId: replscope.sessionId })).toEqual({ disconnected: true });
  const unwatched = await replscope.call('demo.status', {});
  expect(unwatched.sessionId).toBeNull();
  expect(statusSays(unwatched, planMaster.port)).toBe(await roleSays(planMaster.port));
  expect(statusSays(unwatched, planReplica.port)).toBe(await roleSays(planReplica.port));
  expect(await command({ port: planMaster.port }, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
  const split = await replscope.call('demo.status', {});
  expect([statusSays(split, planMaster.port), statusSays(split, planReplica.port)]).toEqual([await roleSays(planMaster.port), await roleSays(planReplica.port)]);
  expect([statusSays(split, planMaster.port), statusSays(split, planReplica.port)]).toEqual(['master', 'master']);
}, 90_000);
