/**
 * A seed that is a TCP proxy in front of the master (a forward, a load
 * balancer): the console reaches the master through the proxy, and at its
 * own address too once its replica names it (master_host/master_port). The
 * two addresses are one node: the same run_id, and the master's tcp_port
 * is its own port, not the proxy's. The console showed a second master
 * (the proxy's address, with a second link to the same replica) for as
 * long as the session lasted; it shows the node once, at its own address.
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { startTcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a master attached through a TCP proxy is one master, at its own address, not a second one at the proxy\'s', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.node('replica-1');
    const proxy = await startTcpProxy({ port: group.master.port });
    try {
      const proxyId = `127.0.0.1:${proxy.port}`;
      // The nodes' truth: one server behind both addresses, listening on its own port.
      const [throughProxy, direct] = await Promise.all([info({ port: proxy.port }, 'server'), info({ port: group.master.port }, 'server')]);
      expect(throughProxy.get('run_id')).toBe(direct.get('run_id'));
      expect(throughProxy.get('tcp_port')).toBe(String(group.master.port));
      expect((await info({ port: replica.port }, 'replication')).get('master_port')).toBe(String(group.master.port));
      // A settled pair: the master lists its replica online (slaveN state goes online only with the
      // replica's first ACK after its sync, which can come after startGroup returns). Attached before
      // that, the console sees the link come up at its first polls, when it knows the master only at
      // the proxy's address (it learns the own address from the replica), and that link-up names the proxy.
      await waitFor(async () => (await info({ port: group.master.port }, 'replication')).get('slave0')?.includes('state=online') === true, { what: 'the master to list its replica online' });

      const replscope = await ConsoleUnderTest.attach({ port: proxy.port }, { pollIntervalMs: 300 });
      await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === group.master.id && node.health === 'up'), 'the master seen at its own address');
      const since = Date.now();
      await waitFor(() => replscope.snapshotsSince(since).length >= 5, { what: 'five more polls' });
      for (const { snapshot } of replscope.snapshotsSince(since)) {
        expect(snapshot.nodes.map((node) => `${node.id} ${node.role}`).sort(), JSON.stringify(snapshot.links.map((link) => `${link.masterId} -> ${link.replicaId}`))).toEqual([`${group.master.id} master`, `${replica.id} replica`].sort());
        expect(snapshot.links.map((link) => `${link.masterId} -> ${link.replicaId}`)).toEqual([`${group.master.id} -> ${replica.id}`]);
      }
      expect(replscope.eventsWhere((event) => event.nodeId === proxyId || event.peerId === proxyId), replscope.describeEvents()).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
