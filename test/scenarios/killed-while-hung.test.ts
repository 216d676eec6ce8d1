/**
 * A master killed while a poll of it had timed out. Seen once in
 * sentinel-failover's "kill -9 of the master" on our engine under load: the
 * replica's link-down named the dead master "unreachable (... hung up during
 * the connection (EPIPE))" instead of "refuses connections (ECONNREFUSED):
 * its process is gone". The console asked a closed connection once more on
 * a fresh one only when the node had answered its previous poll; a poll that
 * had just timed out (the node was slow) skipped that, so the first failure
 * filed was the dead socket's (EPIPE / ECONNRESET / closed), not a fresh
 * dial's refusal.
 *
 * Made deterministic here: DEBUG SLEEP holds the master past the console's
 * 2.5 s command timeout (the node reads `hung`), then kill -9 while it
 * sleeps, with the console's thread busy for 400 ms (as under load) so the
 * reset of the old socket is not read before the next INFO is written on
 * it. The replica's log says its master's port refuses it ("Error condition
 * on socket for SYNC: Connection refused"); the console must say the same:
 *
 *  - the node sampler alone: its next request after the kill files
 *    ECONNREFUSED (a fresh dial), not the old socket's ECONNRESET / EPIPE;
 *  - the console: the replica's link-down names the master's process gone,
 *    not "hung up during the connection", nor "hung ... repl-timeout" (the
 *    master had been silent 3 s, far less than the replica's repl-timeout
 *    of 60 s: the replica did not drop it for silence).
 */
import { expect, it } from 'vitest';
import { createNodeClient } from '../../main/console/monitor/node-client';
import { NodeSampler } from '../../main/console/monitor/node-sampler';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, startNode, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

/** The console's thread held busy (as under load): sockets' events wait, a request made now is written at once. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* busy */ }
}

const debugArgs = (kind: string): string[] => (kind === 'redis' ? ['--enable-debug-command', 'yes'] : []);

forEachNodeKind((kind) => {
  /**
   * A sampler that saw the node up; `beforeKill` brings it to the state the kill finds it in; then
   * kill -9 and, with the thread busy, the next request: it must file a fresh dial's ECONNREFUSED.
   */
  async function samplerAfterKill(beforeKill: (node: ScenarioNode, sampler: NodeSampler) => Promise<void>): Promise<void> {
    const node = await startNode(kind, { name: 'master', args: debugArgs(kind) });
    const client = createNodeClient({ host: '127.0.0.1', port: node.port }, {}, {});
    try {
      const sampler = new NodeSampler(node.id, '127.0.0.1', node.port, client, false, () => Promise.resolve(null));
      await sampler.request();
      expect(sampler.sample(Date.now(), 5000).health).toBe('up');
      await beforeKill(node, sampler);
      node.signal('SIGKILL');
      busyFor(300);
      await sampler.request();
      const after = sampler.sample(Date.now(), 5000);
      expect(after.healthDetail).toContain(`Nothing accepts connections at ${node.id} (ECONNREFUSED)`);
      expect(after).toMatchObject({ health: 'unreachable', healthProblem: 'refused' });
    } finally {
      client.disconnect();
    }
  }

  it('the sampler: a request written on the socket of a process killed while it was hung files ECONNREFUSED from a fresh dial', async () => {
    await samplerAfterKill(async (node, sampler) => {
      void node.call('DEBUG', 'SLEEP', '10').catch(() => undefined);
      await sleep(100);
      await sampler.request();
      expect(sampler.sample(Date.now(), 5000)).toMatchObject({ health: 'hung', healthProblem: 'no-reply' });
    });
  }, 30_000);

  it('the sampler: a request written on the socket of a process killed while it answered files ECONNREFUSED from a fresh dial', async () => {
    await samplerAfterKill(() => Promise.resolve());
  }, 30_000);

  it('kill -9 of a master whose last poll timed out: the link-down and the master say ECONNREFUSED, its process is gone', async () => {
    const group = await startGroup(kind, { shape: 'pair', args: debugArgs(kind) });
    const master = group.master;
    const replica = group.replicas[0]!;
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup([master.id, replica.id]);
    const mark = replica.mark();

    // The master sleeps past the console's command timeout: its poll times out and it reads hung.
    void master.call('DEBUG', 'SLEEP', '10').catch(() => undefined);
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === master.id && node.health === 'hung'), `${master.id} to read hung`, 10_000);
    const since = Date.now();
    // The process dies while the console's thread is busy (as under load): the reset of its socket is not read
    // before the next poll is written on it.
    await sleep(300);
    master.signal('SIGKILL');
    busyFor(400);

    // The replica's own truth: its link is down and its dials to the master are refused.
    await waitFor(async () => (await replicationTruth(replica)).masterLinkStatus === 'down', { what: `${replica.id}'s link down` });
    await waitForLog(replica, LOG.replicaDialRefused, mark);

    const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since, `the link-down of ${replica.id}`, 15_000);
    expect(down.message).toContain(`its master ${master.id} refuses connections (ECONNREFUSED): its process is gone`);
    expect(down).toMatchObject({ cause: 'master-unreachable', numbers: { masterHealth: 'refused' } });
    // The master itself: never filed as a hang-up of the dead socket.
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === master.id && node.healthProblem === 'refused'), `${master.id} to read refused`);
    const afterKill = replscope.snapshots.filter((received) => received.receivedAt >= since).map((received) => received.snapshot.nodes.find((node) => node.id === master.id)?.healthDetail ?? '');
    expect(afterKill.filter((detail) => /hung up during the connection|connection to .* is closed/.test(detail))).toEqual([]);
  }, 60_000);
});
