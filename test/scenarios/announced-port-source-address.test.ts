/**
 * A replica that announces only a port (replica-announce-port) and dials its
 * master from another address than the one it is watched at. Its master
 * lists it at the ip it sees the link connection come from and the announced
 * port (slave0:ip=<source ip>,port=<announced>), which the replica's own
 * config does not say. The console guessed the watched host for that ip
 * (127.0.0.1:<announced>), so it never found the listing under the replica:
 * discovery watched the listed address as a node of its own (down,
 * ECONNREFUSED), with its node-unreachable event, beside the replica, and
 * the link carried no ACK offset from the master.
 *
 * Held against the nodes' own truth on redis-server 7.0 (the engine takes
 * bind-source-addr but does not use it): the replica, watched at 127.0.0.1,
 * connects from 127.0.0.5 (bind-source-addr); the master's INFO lists it at
 * 127.0.0.5:<announced> only, nothing listens there, the replica says
 * master_link_status:up. The console shows exactly the two nodes at every
 * poll, the link online with the master's ACK offset, and no node or event
 * at the listed address.
 */
import { expect, it } from 'vitest';
import { freePort } from '../support/ports';
import { command } from '../support/replication';
import { waitFor } from '../support/wait';
import { attachToAnnouncedPair, expectLinkCarriesMasterAck, replicationTruth, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

const SOURCE_IP = '127.0.0.5';

it('a replica announcing only a port, dialing its master from another ip, is one node under the ip its master lists', async () => {
  const announcedPort = await freePort();
  const group = await startGroup('redis', { shape: 'pair', replicaArgs: ['--replica-announce-port', String(announcedPort), '--bind-source-addr', SOURCE_IP] });
  const [master, replica] = [group.master, group.replicas[0]!];
  const listed = `${SOURCE_IP}:${announcedPort}`;
  await waitFor(async () => (await replicationTruth(master)).replicas.some((entry) => entry.state === 'online'), { what: `${master.id} to list its replica online` });
  // The nodes' truth: listed at the source ip and the announced port only, where nothing listens.
  expect((await replicationTruth(master)).replicas.map((entry) => entry.id)).toEqual([listed]);
  expect(String(await command({ host: SOURCE_IP, port: announcedPort }, 'PING').catch((failure: unknown) => failure))).toMatch(/ECONNREFUSED/);
  expect(replica.id).toBe(`127.0.0.1:${replica.port}`);
  expect((await replica.info('replication')).get('master_link_status')).toBe('up');

  const replscope = await attachToAnnouncedPair(master, replica);
  expect(replscope.eventsWhere((event) => [event.nodeId, event.peerId].some((id) => id === listed || id === `127.0.0.1:${announcedPort}`)).map((event) => event.message)).toEqual([]);

  // The link carries the master's listing of the replica (its ACK offset, INFO lag=), read under the listed address.
  await expectLinkCarriesMasterAck(replscope, master);
}, 60_000);
