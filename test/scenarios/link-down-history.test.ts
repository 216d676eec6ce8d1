/**
 * A link seen down while the replica follows a history its master does not
 * have. The console predicts the full resync that follows; it must give
 * the reason Redis will give. Found in a new-user trial (Force full resync
 * of the middle of a chain): the sub-replica's link-down said "the replica
 * is already outside the backlog" while its offset was at the backlog's
 * first byte and the middle's log then said "Partial resynchronization not
 * accepted: Replication ID mismatch".
 *
 * Provoked on redis-server: DEBUG CHANGE-REPL-ID on the master (a new id,
 * no replid2), then CLIENT KILL TYPE master on the replica; the master waits
 * 2 s (repl-diskless-sync-delay) before the snapshot, so the console sees
 * the link down while the replica still holds the old id. Held against the
 * master's log line.
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, LOG, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog } from './harness';

useScenarioCleanup();

it('a link down whose replica follows a history the master no longer has: a full resync foretold for that reason, not the backlog', async () => {
  const group = await startGroup('redis', { shape: 'pair', masterArgs: ['--enable-debug-command', 'yes'] });
  const { master } = group;
  const replica = group.node('replica-1');
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  expect(await master.call('CONFIG', 'SET', 'repl-diskless-sync-delay', '2')).toBe('OK');
  const mark = master.mark();
  expect(await master.call('DEBUG', 'CHANGE-REPL-ID')).toBe('OK');
  expect(await replica.call('CLIENT', 'KILL', 'TYPE', 'master')).toBeGreaterThanOrEqual(1);

  const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && /full resync will follow/.test(event.message), 'a link-down that foretells the full resync', 10_000);
  await waitForLog(master, LOG.replidMismatch, mark);
  expect(down.message).not.toMatch(/outside the backlog/);
  expect(down.message).toMatch(new RegExp(`${master.id.replace(/\./g, '\\.')} does not have the replication history ${replica.id.replace(/\./g, '\\.')} follows`));
  await waitForGroupInSync(master, [replica]);
}, 60_000);
