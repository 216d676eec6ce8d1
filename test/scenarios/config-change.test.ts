/**
 * Issue 15, point 10: configuration changed on a node by hand (redis-cli
 * CONFIG SET, not through the console) is noticed from the values the
 * console polls and recorded as an event with the old and new value.
 *
 * The truth is the node's own CONFIG GET after the change. A user who may
 * not run CONFIG GET still gets the change of repl-backlog-size, which INFO
 * replication prints.
 */
import { describe, expect, it } from 'vitest';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

async function configValue(node: { call(...args: string[]): Promise<unknown> }, name: string): Promise<string> {
  const reply = (await node.call('CONFIG', 'GET', name)) as string[];
  return reply[1]!;
}

forEachNodeKind((kind) => {
  it('CONFIG SET by hand on the replica and the master: one config-change event each, with the values the nodes report', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const before = await configValue(replica, 'repl-backlog-size');

    await replica.call('CONFIG', 'SET', 'repl-backlog-size', '65536');
    await group.master.call('CONFIG', 'SET', 'min-replicas-to-write', '1');
    const backlog = await replscope.waitForEvent((event) => event.kind === 'config-change' && event.nodeId === replica.id, 'the backlog change of the replica');
    const minReplicas = await replscope.waitForEvent((event) => event.kind === 'config-change' && event.nodeId === group.master.id, 'the min-replicas change of the master');

    expect(await configValue(replica, 'repl-backlog-size')).toBe('65536');
    expect(backlog).toMatchObject({ inferred: true, numbers: { parameter: 'repl-backlog-size', from: before, to: '65536' } });
    expect(backlog.message).toContain('repl-backlog-size');
    expect(minReplicas).toMatchObject({ numbers: { parameter: 'min-replicas-to-write', from: '0', to: '1' } });
    // Nothing else changed: exactly these two.
    expect(replscope.eventsWhere((event) => event.kind === 'config-change')).toHaveLength(2);
  });
});

describe('without CONFIG GET', () => {
  it('a user who may only read INFO still sees repl-backlog-size change', async () => {
    const group = await startGroup('redis', { shape: 'pair' });
    for (const node of group.nodes) await node.call('ACL', 'SETUSER', 'watcher', 'on', '>watch', '+ping', '+info', '+role', '+client|setname', '+acl|dryrun');
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500, profile: { username: 'watcher', safetyMode: 'monitor-only' }, secrets: { password: 'watch' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await group.master.call('CONFIG', 'SET', 'repl-backlog-size', '2097152');
    const event = await replscope.waitForEvent((candidate) => candidate.kind === 'config-change' && candidate.nodeId === group.master.id, 'the backlog change seen in INFO');
    expect(event).toMatchObject({ numbers: { parameter: 'repl-backlog-size', from: '1048576', to: '2097152' } });
  });
});
