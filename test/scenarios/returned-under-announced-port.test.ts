/**
 * A replica that leaves its master and comes back announcing another port
 * (replica-announce-port, as behind NAT or a container's port mapping). Its
 * master then lists it under the announced address only; the replica's own
 * INFO says master_link_status:up and it streams. The console reads a link
 * whose master answers without listing the replica as down only when that
 * master listed it under its own address before (snapshot-builder.ts,
 * droppedUnnoticed); that memory outlived the link's leaving, so the
 * returned link read down for as long as it streamed.
 *
 *  - chain master -> replica-1 -> sub-replica; sub-replica re-pointed to the
 *    master (the link replica-1 -> sub-replica leaves the topology), then
 *    back to replica-1 with replica-announce-port set;
 *  - replica-1's INFO lists it under the announced port, online, and the
 *    sub-replica says its link is up: the link replica-1 -> sub-replica
 *    reads online at every poll, as the replica says.
 */
import { expect, it } from 'vitest';
import { freePort } from '../support/ports';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a replica back at its master under an announced port reads online, as it says, not down by its old listing', async () => {
    const group = await startGroup(kind, { shape: 'chain' });
    const { master } = group;
    const middle = group.node('replica-1');
    const sub = group.node('sub-replica');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${middle.id}->${sub.id}`;
    await replscope.waitForSnapshot((snapshot) => snapshot.links.find((link) => link.id === linkId)?.state === 'online', `${linkId} online`);

    // Away: the link with replica-1 leaves the topology.
    await sub.call('REPLICAOF', '127.0.0.1', String(master.port));
    await waitFor(async () => (await replicationTruth(master)).replicas.some((entry) => entry.id === sub.id && entry.state === 'online'), { what: `${master.id} to list ${sub.id} online` });
    await replscope.waitForSnapshot((snapshot) => !snapshot.links.some((link) => link.id === linkId) && snapshot.links.find((link) => link.id === `${master.id}->${sub.id}`)?.state === 'online', `${linkId} gone, ${sub.id} following ${master.id}`, 10_000);

    // Back, announcing another port.
    const announced = await freePort();
    await sub.call('CONFIG', 'SET', 'replica-announce-port', String(announced));
    await sub.call('REPLICAOF', '127.0.0.1', String(middle.port));
    await waitFor(async () => (await replicationTruth(middle)).replicas.some((entry) => entry.id === `127.0.0.1:${announced}` && entry.state === 'online'), { what: `${middle.id} to list ${sub.id} online as 127.0.0.1:${announced}` });
    // The nodes' own truth: replica-1 lists it only under the announced port; it says its link is up.
    expect((await replicationTruth(middle)).replicas.map((entry) => entry.id)).toEqual([`127.0.0.1:${announced}`]);
    expect((await info({ port: sub.port }, 'replication')).get('master_link_status')).toBe('up');

    const from = Date.now();
    await waitFor(() => replscope.snapshotsSince(from).length >= 6, { what: 'six polls' });
    for (const { snapshot } of replscope.snapshotsSince(from)) {
      expect(snapshot.nodes.find((node) => node.id === sub.id)?.masterLinkStatus, `${sub.id} says`).toBe('up');
      expect(snapshot.links.find((link) => link.id === linkId)?.state, `${linkId} while ${sub.id} streams from ${middle.id}`).toBe('online');
    }
    expect((await info({ port: sub.port }, 'replication')).get('master_link_status')).toBe('up');
  }, 60_000);
});
