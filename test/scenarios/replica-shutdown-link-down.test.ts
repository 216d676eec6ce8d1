/**
 * SHUTDOWN (and SHUTDOWN NOSAVE) of a replica, run by an operator on the
 * replica itself. The master's log says its link ended ("Connection with
 * replica 127.0.0.1:<port> lost."), the replica's own log says it is going
 * ("ready to exit, bye bye"), and its port refuses connections afterwards.
 * The console's timeline filed the link-down with cause unknown.
 *
 *  - the link-down says the replica refuses connections, its process gone,
 *    with the refusal as its cause (connection-refused), as for kill -9
 *    (replica-killed-link-down.test.ts);
 *  - held against the nodes' own truth: the master's log line, its INFO
 *    (connected_slaves:0), the replica's exit line and a refused dial.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

async function refusesConnections(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return false;
  } catch (error) {
    return /ECONNREFUSED/.test(String((error as Error).message ?? error));
  }
}

forEachNodeKind((kind) => {
  for (const shutdown of [['SHUTDOWN'], ['SHUTDOWN', 'NOSAVE']]) {
    it(`${shutdown.join(' ')} of the replica: its link-down says its process is gone, as the master's log and its refused port say`, async () => {
      const group = await startGroup(kind, { shape: 'pair' });
      const master = group.master;
      const replica = group.replicas[0]!;
      const replscope = await ConsoleUnderTest.attach(master);
      await replscope.waitForSteadyGroup([master.id, replica.id]);
      const mark = master.mark();
      const replicaMark = replica.mark();
      const since = Date.now();

      await replica.call(...shutdown).catch(() => undefined); // no reply: the connection closes as the server exits
      await waitForLog(replica, /ready to exit, bye bye/, replicaMark);
      await waitForLog(master, new RegExp(`Connection with replica ${replica.id.replace(/\./g, '\\.')} lost`), mark);
      await waitFor(async () => (await master.info('replication')).get('connected_slaves') === '0', { what: `${master.id} to drop ${replica.id}` });
      await waitFor(() => refusesConnections(() => replica.call('PING')), { what: `${replica.id}'s port to refuse connections` });

      const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since, `the link-down of ${replica.id}`);
      console.info(`${kind} ${shutdown.join(' ')}: [${down.cause}] ${down.message}`);
      expect(down.cause).toBe('connection-refused');
      expect(down.message).toContain(`${replica.id} refuses connections (ECONNREFUSED): its process is gone`);
    }, 60_000);
  }
});
