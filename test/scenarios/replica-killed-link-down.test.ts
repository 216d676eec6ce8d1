/**
 * kill -9 of a replica, as a new user tries it on a redis-server pair. The
 * master's log says why its link ended: "Connection with replica
 * 127.0.0.1:<port> lost."; the replica's port then refuses connections. The
 * console's timeline said only "link ... is down: <master> no longer lists
 * <replica> among its replicas", cause unknown, beside the replica's own
 * "Nothing accepts connections (ECONNREFUSED)" in the same poll.
 *
 *  - the link-down says the replica refuses connections, its process gone,
 *    with the refusal as its cause (connection-refused), as the master's log
 *    and the replica's refused port say;
 *  - the master's INFO no longer lists the replica (connected_slaves:0).
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('kill -9 of the replica: its link-down says its process is gone, as the master\'s log and its refused port say', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const master = group.master;
    const replica = group.replicas[0]!;
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup([master.id, replica.id]);
    const mark = master.mark();
    const since = Date.now();

    replica.signal('SIGKILL');
    await waitForLog(master, new RegExp(`Connection with replica ${replica.id.replace(/\./g, '\\.')} lost`), mark);
    await waitFor(async () => (await master.info('replication')).get('connected_slaves') === '0', { what: `${master.id} to drop ${replica.id}` });

    const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since, `the link-down of ${replica.id}`);
    expect(down.message).toContain(`${replica.id} refuses connections (ECONNREFUSED): its process is gone`);
    expect(down.cause).toBe('connection-refused');
    const gone = await replscope.waitForEvent((event) => event.kind === 'node-unreachable' && event.nodeId === replica.id && event.time >= since, `${replica.id} unreachable`);
    expect(gone.message).toContain(`Nothing accepts connections at ${replica.id} (ECONNREFUSED)`);
  }, 60_000);
});
