/**
 * A writable replica (replica-read-only no). Found in a new-user walk: the
 * console showed no slave_read_only row and no warning, and a key written on
 * the replica made it diverge from its master silently. Held against the
 * replica's own INFO (slave_read_only) and a write it accepts that its
 * master never sees: the replica is flagged writable while the setting is
 * off, and not before or after. The timeline records it becoming writable
 * and read-only again, and the writable-replica alert (a warning) fires,
 * then clears; a replica already writable when the console attaches is
 * filed as such.
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
    const writable = await replscope.waitForEvent((event) => event.kind === 'replica-writable' && event.nodeId === replica.id, 'the timeline to record the replica writable', 5_000);
    expect(writable.peerId).toBe(master.id);
    expect(writable.message).toContain('slave_read_only:0');
    expect(writable.message).not.toContain('first read');
    const alert = await replscope.waitForAlert((candidate) => candidate.rule === 'writable-replica' && candidate.nodeId === replica.id, 'the writable-replica alert', 5_000);
    expect(alert.severity).toBe('warning');
    expect(alert.message).toContain(WRITABLE_REPLICA_TEXT);

    expect(await replica.call('CONFIG', 'SET', 'replica-read-only', 'yes')).toBe('OK');
    expect((await replica.info('replication')).get('slave_read_only')).toBe('1');
    await waitFor(async () => replscope.node(replica.id).replicaReadOnly === true, { timeoutMs: 5_000, what: 'the console to see the replica read-only again' });
    expect(assessNode(replscope.node(replica.id)).reasons).toEqual([]);
    await replscope.waitForEvent((event) => event.kind === 'replica-read-only' && event.nodeId === replica.id, 'the timeline to record the replica read-only again', 5_000);
    // The alert clears once the condition has been gone for 3 s (session-alerts.ts).
    await replscope.waitForAlert((candidate) => candidate.rule === 'writable-replica' && candidate.nodeId === replica.id && candidate.clearedAt !== null, 'the writable-replica alert cleared', 10_000);
    expect(replscope.eventsWhere((event) => event.kind === 'replica-writable' || event.kind === 'replica-read-only').map((event) => event.kind)).toEqual(['replica-writable', 'replica-read-only']);
  }, 60_000);

  it('a replica already writable when the console attaches is filed as writable', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.node('replica-1');
    expect(await replica.call('CONFIG', 'SET', 'replica-read-only', 'no')).toBe('OK');
    expect((await replica.info('replication')).get('slave_read_only')).toBe('0');
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    const writable = await replscope.waitForEvent((event) => event.kind === 'replica-writable' && event.nodeId === replica.id, 'the timeline to file the writable replica found at attach', 10_000);
    expect(writable.message).toContain('so already when this console first read it');
    await replscope.waitForAlert((candidate) => candidate.rule === 'writable-replica' && candidate.nodeId === replica.id, 'the writable-replica alert', 5_000);
  }, 60_000);
});
