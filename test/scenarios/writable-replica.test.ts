/**
 * A writable replica (replica-read-only no). Found in a new-user walk: the
 * console showed no slave_read_only row and no warning, and a key written on
 * the replica made it diverge from its master silently. Held against the
 * replica's own INFO (slave_read_only) and a write it accepts that its
 * master never sees: the replica is flagged writable while the setting is
 * off, and not before or after.
 */
import { expect, it } from 'vitest';
import { assessNode } from '../../renderer/src/utils/thresholds';
import { WRITABLE_REPLICA_TEXT } from '../../shared/contract/min-replicas-text';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a replica with replica-read-only no is flagged writable: its writes are not replicated and are lost at its next full sync', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    expect((await replica.info('replication')).get('slave_read_only')).toBe('1');
    expect(replscope.node(replica.id).replicaReadOnly).toBe(true);
    expect(assessNode(replscope.node(replica.id)).reasons).toEqual([]);

    expect(await replica.call('CONFIG', 'SET', 'replica-read-only', 'no')).toBe('OK');
    // The replica's truth: INFO says so, and it takes a write its master never has.
    expect((await replica.info('replication')).get('slave_read_only')).toBe('0');
    expect(await replica.call('SET', 'only-on-replica', '1')).toBe('OK');
    expect(await master.call('EXISTS', 'only-on-replica')).toBe(0);

    await waitFor(async () => replscope.node(replica.id).replicaReadOnly === false, { timeoutMs: 5_000, what: 'the console to see the replica writable' });
    const assessment = assessNode(replscope.node(replica.id));
    expect(assessment.level).toBe('warn');
    expect(assessment.reasons).toEqual([WRITABLE_REPLICA_TEXT]);

    expect(await replica.call('CONFIG', 'SET', 'replica-read-only', 'yes')).toBe('OK');
    await waitFor(async () => replscope.node(replica.id).replicaReadOnly === true, { timeoutMs: 5_000, what: 'the console to see the replica read-only again' });
    expect(assessNode(replscope.node(replica.id)).reasons).toEqual([]);
  }, 60_000);
});
