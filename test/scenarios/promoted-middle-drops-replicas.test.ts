/**
 * The middle of a chain (master -> replica-1 -> sub-replica) promoted by
 * hand: `REPLICAOF NO ONE` typed on replica-1. redis-server 7.0 drops its
 * own replicas as it turns master, so they learn its new replication id
 * (its log: "Setting secondary replication ID to ..." then "Connection with
 * replica <sub-replica> lost."), and the sub-replica reconnects at once and
 * continues by partial resync through replid2 ("Partial resynchronization
 * request from <sub-replica> accepted").
 *
 * Seen on a Sentinel deployment (SENTINEL FAILOVER promoting the middle of a
 * chain): the sub-replica's link-down said "cause unknown", and its partial
 * resync and replication id change named no cause, though the promotion
 * itself was attributed. Those three are the promotion's: same cause, naming
 * the promoted master.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, countLog, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

it('REPLICAOF NO ONE on the middle of a chain: the sub-replica\'s link-down, partial resync and new replid are the promotion\'s', async () => {
  const group = await startGroup('redis', { shape: 'chain' });
  const { master } = group;
  const middle = group.node('replica-1');
  const leaf = group.node('sub-replica');
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  const load = WriteLoad.start(master, { opsPerSec: 200 });
  const middleMark = middle.mark();
  try {
    expect(await middle.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    const promotion = await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === middle.id, 'the promotion of the middle node');
    expect(promotion.cause).toBe('operator-command');
    // The nodes' truth: the middle dropped the leaf as it turned master, and took its PSYNC back through replid2.
    await waitForLog(middle, new RegExp(`Connection with replica ${leaf.id.replace(/\./g, '\\.')} lost`), middleMark);
    await waitForLog(middle, LOG.partialAccepted, middleMark);
    expect(countLog(middle, LOG.partialAccepted, middleMark)).toBe(1);
    // The leaf follows the promoted middle's new history.
    const middleTruth = await replicationTruth(middle);
    expect(middleTruth.role).toBe('master');
    await waitFor(async () => (await replicationTruth(leaf)).replid === middleTruth.replid, { timeoutMs: 10_000, what: 'the leaf to take the new replication id' });

    const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === leaf.id && event.peerId === middle.id, 'the leaf\'s partial resync');
    const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === leaf.id && event.peerId === middle.id, 'the leaf\'s link-down');
    const replid = await replscope.waitForEvent((event) => event.kind === 'replid-change' && event.nodeId === leaf.id, 'the leaf\'s replication id change');
    for (const event of [down, partial, replid]) {
      expect(event.cause, `${event.kind}: ${event.message}\n${replscope.describeEvents()}`).toBe('operator-command');
      expect(event.message).toContain(`${middle.id} was promoted`);
    }
  } finally {
    await load.stop();
  }
});
