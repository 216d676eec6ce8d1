/**
 * A replica its master drops while the replica has not seen the connection
 * close. Found holding hung-replica-dropped.test.ts under load (1 run in 5 on
 * redis-server): a replica woken from SIGSTOP answered the INFO queued on its
 * socket (master_link_status:up) before it read its master's close, and the
 * console, taking the replica's word over the master's list of the same
 * poll, read the link online again, filed a link-up, and at the partial
 * resync that followed a second link-down, "dropped and came back between
 * two polls".
 *
 * Provoked for as long as the test wants by a network partition: the
 * replica follows its master through a TCP proxy that holds both directions
 * (the master's close too). The master, hearing no ACK for repl-timeout 3,
 * drops it ("Disconnecting timedout replica") and no longer lists it; the
 * replica, whose own repl-timeout is 60 s, still says master_link_status:up.
 * Nothing streams: the link is down by the master's word, from the poll that
 * no longer finds it, and stays down until the master lists the replica
 * again after the partition heals (its log: partial resync accepted). Its
 * link-down says what each end says: the master no longer lists the
 * replica, which still says its link is up.
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { startTcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

const TIMED_OUT = /Disconnecting timedout replica \(streaming sync\)/;

forEachNodeKind((kind) => {
  it('a replica its master dropped behind a partition still says its link is up: the link reads down from the master\'s list, with one link-down and no link-up until the master lists it again', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-timeout', '3'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const proxy = await startTcpProxy({ port: master.port });
    try {
      // The replica follows its master through the proxy (the same history: a partial resync).
      const mark = master.mark();
      await replica.call('REPLICAOF', '127.0.0.1', proxy.port);
      await waitForLog(master, LOG.partialAccepted, mark);
      await waitFor(async () => (await replicationTruth(master)).replicas.some((entry) => entry.id === replica.id && entry.state === 'online'), { what: `${master.id} to list ${replica.id} online` });
      const load = WriteLoad.start(master, { opsPerSec: 200 });
      const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      const linkId = `${master.id}->${replica.id}`;

      const cutAt = Date.now();
      const dropMark = master.mark();
      proxy.partition();
      await waitForLog(master, TIMED_OUT, dropMark, 15_000);
      await waitFor(async () => !(await replicationTruth(master)).replicas.some((entry) => entry.id === replica.id), { timeoutMs: 5_000, what: `${master.id} to stop listing ${replica.id}` });
      // The nodes' own truth: the master holds no connection for the replica, which still says its link is up.
      expect((await info({ port: replica.port }, 'replication')).get('master_link_status')).toBe('up');
      const droppedSeenAt = Date.now();

      await replscope.waitForSnapshot((snapshot) => snapshot.links.find((link) => link.id === linkId)?.state === 'down', `the link ${linkId} down while ${master.id} no longer lists ${replica.id}`, 5_000);
      const downFrom = Date.now();
      await waitFor(() => replscope.snapshotsSince(downFrom).length >= 6, { what: 'six more polls' });
      for (const { snapshot } of replscope.snapshotsSince(downFrom)) {
        const replicaNode = snapshot.nodes.find((node) => node.id === replica.id);
        expect(replicaNode?.masterLinkStatus, 'the replica answers, saying its link is up').toBe('up');
        expect(snapshot.links.find((link) => link.id === linkId)?.state, `the link while ${master.id} no longer lists ${replica.id}`).toBe('down');
      }
      expect((await info({ port: replica.port }, 'replication')).get('master_link_status')).toBe('up');
      const down = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= cutAt);
      expect(down.map((event) => event.message), replscope.describeEvents()).toHaveLength(1);
      expect(down[0]!.time).toBeLessThanOrEqual(droppedSeenAt + 1_000);
      // What each end says: the master's list (no connection for it) and the replica's own INFO, link up.
      expect(down[0]!.message).toContain(`link ${master.id} -> ${replica.id} is down: ${master.id} no longer lists ${replica.id} among its replicas, while ${replica.id} still says its link is up (master_link_status:up): ${master.id} holds no connection for it and nothing streams to it`);
      expect(replscope.eventsWhere((event) => event.kind === 'link-up' && event.nodeId === replica.id && event.time >= cutAt), replscope.describeEvents()).toEqual([]);

      // Healed: the replica reads its master's close, reconnects and resumes from the backlog.
      const healedAt = Date.now();
      const healMark = master.mark();
      proxy.heal();
      await waitForLog(master, LOG.partialAccepted, healMark, 15_000);
      const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id && event.time >= healedAt, 'the partial resync after the partition healed', 10_000);
      expect(partial.message).not.toMatch(/between two polls/);
      const up = await replscope.waitForEvent((event) => event.kind === 'link-up' && event.nodeId === replica.id && event.time >= cutAt, 'the link-up after the partition healed', 10_000);
      expect(up.time).toBeGreaterThanOrEqual(healedAt);
      expect(replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= healedAt).map((event) => event.message)).toEqual([]);
      await load.stop();
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
