/**
 * Chaos → Restart master shortly after an action on the demo pair. Found in
 * a new user's walk of the demo in web mode: after *Promote to master*,
 * *Restart master* 20 s later made the replica take its restarted master's
 * new replication id (the engine logs "Successful partial
 * resynchronization with master" and INFO shows the old id as the
 * master's master_replid2), and *Events* put that "Replication id changed"
 * down to the Promote of 20 s before ("operator action"), while the
 * link-down and partial resync of the same restart said "chaos". The
 * latest of the two explains the new id: here the restart.
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a replica\'s new replid after Restart master is put down to the chaos restart, not to a Force full resync run just before', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));

  const forced = await replscope.run(await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id }));
  expect(forced.outcome, forced.message).toBe('full-resync');
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));

  const oldReplid = (await info({ port: master.port }, 'replication')).get('master_replid')!;
  const partialBefore = Number((await info({ port: master.port }, 'stats')).get('sync_partial_ok'));
  const since = Date.now();
  await replscope.call('demo.chaos', { kind: 'restart-master', keepReplid: true });

  // The nodes' truth: the restarted master has a new id and keeps the old one as replid2;
  // the replica continued from it (a partial resync the master counted) and took the new id.
  await waitFor(async () => (await info({ port: replica.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `${replica.id} to follow the restarted ${master.id}` });
  const masterReplication = await info({ port: master.port }, 'replication');
  const newReplid = masterReplication.get('master_replid')!;
  expect(newReplid).not.toBe(oldReplid);
  expect(masterReplication.get('master_replid2')).toBe(oldReplid);
  expect((await info({ port: replica.port }, 'replication')).get('master_replid')).toBe(newReplid);
  expect(Number((await info({ port: master.port }, 'stats')).get('sync_partial_ok'))).toBe(partialBefore + 1);

  const change = await replscope.waitForEvent((event) => event.kind === 'replid-change' && event.nodeId === replica.id && event.time >= since, `${replica.id}'s replid change after the restart`);
  expect(change.cause, change.message).toBe('chaos');
  expect(change.message).toContain('the demo\'s chaos (restart the master keeping its replication id)');
  expect(change.message).not.toContain('Force full resync');
}, 90_000);
