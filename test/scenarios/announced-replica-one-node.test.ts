/**
 * A replica that announces another port (replica-announce-port, as behind
 * NAT or a container's port mapping) is one node. Found in a new user's
 * attach to a real pair: its master lists it under the announced port only
 * (slave0:ip=127.0.0.1,port=<announced>), discovery watched that address as
 * a node of its own, and the console showed a third node, down
 * (ECONNREFUSED: nothing listens there), with its node-unreachable events,
 * beside the replica it already watched at its real port.
 *
 * Held against the nodes' own truth: the master's INFO lists the replica
 * at the announced port only, that port refuses PING, the replica says
 * master_link_status:up. The console, given both nodes as seeds, shows
 * exactly the two of them at every poll, the link between them online with
 * the master's listing (its ACK offset and INFO lag=, which the link read
 * under the replica's own address only, so had none), and no node and no
 * event at the announced address.
 */
import { expect, it } from 'vitest';
import { freePort } from '../support/ports';
import { command } from '../support/replication';
import { waitFor } from '../support/wait';
import { attachToAnnouncedPair, expectLinkCarriesMasterAck, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a replica listed by its master under its announced port is one node, not a second one nobody listens at', async () => {
    const announcedPort = await freePort();
    const group = await startGroup(kind, { shape: 'pair', replicaArgs: ['--replica-announce-port', String(announcedPort)] });
    const [master, replica] = [group.master, group.replicas[0]!];
    const announced = `127.0.0.1:${announcedPort}`;
    await waitFor(async () => (await replicationTruth(master)).replicas.some((entry) => entry.state === 'online'), { what: `${master.id} to list its replica online` });
    // The nodes' truth: listed under the announced port only, where nothing listens.
    expect((await replicationTruth(master)).replicas.map((entry) => entry.id)).toEqual([announced]);
    expect(String(await command({ port: announcedPort }, 'PING').catch((failure: unknown) => failure))).toMatch(/ECONNREFUSED/);
    expect((await replica.info('replication')).get('master_link_status')).toBe('up');

    const replscope = await attachToAnnouncedPair(master, replica);
    expect(replscope.eventsWhere((event) => event.nodeId === announced || event.peerId === announced).map((event) => event.message)).toEqual([]);

    // The link carries the master's listing of the replica (its ACK offset, INFO lag=), read under the announced address.
    await expectLinkCarriesMasterAck(replscope, master);
  }, 60_000);
});
