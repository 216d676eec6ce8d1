/**
 * A chain's leaf whose link someone kills (CLIENT KILL TYPE replica on the
 * middle node) after its full resync from the middle, while the middle's
 * own full sync from the master is still recent (under 30 s). The middle's
 * full sync dropped the leaf once, and the leaf's full resync followed
 * (upstream-resync); the later drop is the CLIENT KILL's, not that sync's.
 *
 * The leaf is kept from reconnecting (a masterauth the middle rejects: its
 * log says "Unable to AUTH to MASTER") so the polls see its link down, as
 * they do when a replica is slow to come back.
 *
 * Held against the middle's INFO commandstats (cmdstat_client|kill) and
 * its log ("Connection with replica <leaf> lost."), and the leaf's
 * master_link_status.
 */
import { expect, it } from 'vitest';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog } from './harness';

useScenarioCleanup();

function clientKills(commandstats: Map<string, string>): number {
  return Number(/calls=(\d+)/.exec(commandstats.get('cmdstat_client|kill') ?? '')?.[1] ?? 0);
}

forEachNodeKind((kind) => {
  it('CLIENT KILL of the leaf\'s link on the middle, within 30 s of the middle\'s full sync: a client-kill link-down, not upstream-resync', async () => {
    const group = await startGroup(kind, { shape: 'chain', masterArgs: ['--repl-timeout', '1', '--repl-backlog-size', '16kb'] });
    const { master } = group;
    const middle = group.node('replica-1');
    const leaf = group.node('sub-replica');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

    // The middle's full sync (chain-resyncs.test.ts): asleep past the master's repl-timeout while its backlog overflows.
    const sleeping = middle.call('DEBUG', 'SLEEP', '3');
    await waitFor(async () => (await replicationTruth(master)).replicas.length === 0, { timeoutMs: 4000, what: 'the master to drop the sleeping middle node' });
    const writer = new RespConnection('127.0.0.1', master.port);
    for (let i = 0; i < 400; i++) await writer.call('SET', `filler:${i}`, 'x'.repeat(200));
    writer.close();
    await sleeping;
    const middleResync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === middle.id, 'the full resync of the middle node', 20_000);
    const leafResync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === leaf.id, 'the full resync of the leaf', 20_000);
    expect(leafResync.cause).toBe('upstream-resync');
    await waitForGroupInSync(master, [middle, leaf]);
    await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === leaf.id && link.masterId === middle.id && link.state === 'online'), 'the leaf\'s link online in a poll');
    const downsBefore = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === leaf.id).length;

    // The leaf cannot come back: its AUTH is refused by a middle that has no password.
    await leaf.call('CONFIG', 'SET', 'masterauth', 'not-the-password');
    const killsBefore = clientKills(await middle.info('commandstats'));
    const mark = middle.mark();
    const leafMark = leaf.mark();
    expect(await middle.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
    // The nodes' truth: the middle counted the kill and lost its replica; the leaf's link stays down.
    await waitForLog(middle, new RegExp(`Connection with replica ${leaf.id.replace(/\./g, '\\.')} lost`), mark);
    expect(clientKills(await middle.info('commandstats')) - killsBefore).toBe(1);
    await waitForLog(leaf, /Unable to AUTH to MASTER/, leafMark);
    expect((await replicationTruth(leaf)).masterLinkStatus).toBe('down');

    const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === leaf.id
      && replscope.eventsWhere((other) => other.kind === 'link-down' && other.nodeId === leaf.id).indexOf(event) >= downsBefore, 'the leaf\'s link-down after the kill', 20_000);
    // Inside the 30 s in which a link-down of the middle's replica may be put down to its full sync.
    expect(down.time - middleResync.time).toBeLessThan(30_000);
    expect(down.cause, replscope.describeEvents()).toBe('client-kill');
    expect(down.message).toContain(`CLIENT KILL on ${middle.id} (not by this console): cmdstat_client|kill rose by 1`);
    expect(down.message).not.toContain('dropped its replicas as its own full sync');

    await leaf.call('CONFIG', 'SET', 'masterauth', '');
    await waitForGroupInSync(master, [middle, leaf]);
  }, 90_000);
});
