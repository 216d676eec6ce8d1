/**
 * The Force full resync preflight on the demo pair. Found in a new user's
 * trial in web mode: the prediction read "a replica that was briefly a
 * master asks with a replication id 127.0.0.1:<port> never issued", the
 * port being the demo's chaos proxy, which the replica follows
 * (master_host:master_port in its INFO): an address where a replication id
 * belongs.
 *
 *  - the prediction names the master node and its replication id as its
 *    INFO gives it (master_replid), never the proxy's address;
 *  - the address the replica dials (its INFO's master_host:master_port) is
 *    named in the REPLICAOF step, as that address, beside the master's id.
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('the Force full resync preflight gives the master\'s replid from its INFO, and the proxy address only as the address the replica dials', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));

  const masterInfo = await info({ port: master.port }, 'replication');
  const replicaInfo = await info({ port: replica.port }, 'replication');
  const masterReplid = masterInfo.get('master_replid')!;
  const dialled = `${replicaInfo.get('master_host')}:${replicaInfo.get('master_port')}`;
  expect(masterReplid).toMatch(/^[0-9a-f]{40}$/);
  // The demo's replica follows the chaos proxy, not the master's own port: the two must not be confused.
  expect(replicaInfo.get('master_port')).not.toBe(String(master.port));

  const preflight = await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id });
  expect(preflight.allowed).toBe(true);
  expect(preflight.prediction).toBe('full');
  expect(preflight.predictionReason).toContain(master.id);
  expect(preflight.predictionReason).toContain(masterReplid);
  expect(preflight.predictionReason).not.toContain(dialled);
  const replicaofStep = preflight.steps.find((step) => step.startsWith(`On ${replica.id}: REPLICAOF ${replicaInfo.get('master_host')} ${replicaInfo.get('master_port')}`));
  expect(replicaofStep, preflight.steps.join('\n')).toBeDefined();
  expect(replicaofStep).toContain(`${dialled}, the address it follows for ${master.id}`);
  expect(replicaofStep).toContain(masterReplid);
  expect(preflight.commands).toContain(`REPLICAOF ${replicaInfo.get('master_host')} ${replicaInfo.get('master_port')} (on ${replica.id})`);
}, 60_000);
