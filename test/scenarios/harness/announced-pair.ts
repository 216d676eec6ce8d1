/**
 * Checks shared by the scenarios of a replica its master lists under an
 * address of its announcing (replica-announce-port, bind-source-addr): the
 * console, given both nodes as seeds, must show exactly those two nodes and
 * their one link, and the link must carry the master's own listing of the
 * replica (its ACK offset), read under whatever address the master lists.
 */
import { expect } from 'vitest';
import { waitFor } from '../../support/wait';
import { ConsoleUnderTest } from './console-under-test';
import type { ScenarioNode } from './scenario-node';
import { replicationTruth } from './truth';

/** Attaches with both nodes as seeds; at each of eight polls the console shows the two nodes up and their link online, nothing else. */
export async function attachToAnnouncedPair(master: ScenarioNode, replica: ScenarioNode): Promise<ConsoleUnderTest> {
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { seeds: [{ host: '127.0.0.1', port: master.port }, { host: '127.0.0.1', port: replica.port }] } });
  const linkId = `${master.id}->${replica.id}`;
  await replscope.waitForSnapshot((snapshot) => [master.id, replica.id].every((id) => snapshot.nodes.some((node) => node.id === id && node.health === 'up'))
    && snapshot.links.some((link) => link.id === linkId && link.state === 'online'), `${master.id} and ${replica.id} up, ${linkId} online`);
  const from = Date.now();
  await waitFor(() => replscope.snapshotsSince(from).length >= 8, { what: 'eight polls' });
  for (const { snapshot } of replscope.snapshotsSince(from)) {
    expect(snapshot.nodes.map((node) => `${node.id} ${node.health}`).sort()).toEqual([`${master.id} up`, `${replica.id} up`].sort());
    expect(snapshot.links.map((link) => `${link.id} ${link.state}`)).toEqual([`${linkId} online`]);
  }
  return replscope;
}

/** After 50 writes the master lists the replica's ACK of every byte; the console's link shows that ACK offset, recently. */
export async function expectLinkCarriesMasterAck(replscope: ConsoleUnderTest, master: ScenarioNode): Promise<void> {
  for (let index = 0; index < 50; index += 1) await master.call('SET', `k${index}`, 'v'.repeat(100));
  await waitFor(async () => {
    const truth = await replicationTruth(master);
    return truth.replicas[0]?.ackOffset === truth.masterReplOffset;
  }, { what: `${master.id} to have the replica's ACK of every byte` });
  const truth = await replicationTruth(master);
  const acked = await replscope.waitForSnapshot((snapshot) => snapshot.links[0]?.ackOffset === truth.masterReplOffset, `the link's ACK offset at ${truth.masterReplOffset}, as ${master.id} lists it`);
  expect(acked.links[0]!.ackAgeSeconds).not.toBeNull();
  expect(acked.links[0]!.ackAgeSeconds!).toBeLessThanOrEqual(2);
}
