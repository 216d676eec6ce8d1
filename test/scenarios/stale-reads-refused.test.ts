/**
 * A replica under `replica-serve-stale-data no` whose link is down refuses
 * every read ("MASTERDOWN Link with MASTER is down and
 * replica-serve-stale-data is set to 'no'."). Found in a new-user walk: with
 * the master stopped and the replica's link cut, the console said only
 * "Link to master down" for it, like for a replica that keeps serving its
 * stale data, while every client reading from it got MASTERDOWN.
 *
 * Held against the replicas' own answers to GET while their links are down
 * (INFO master_link_status:down): the one set to `no` answers MASTERDOWN and
 * its verdict says it refuses reads with that line; the one set to `yes`
 * answers and its verdict does not; once the links are up again, neither.
 */
import { expect, it } from 'vitest';
import { assessNode } from '../../renderer/src/utils/thresholds';
import { MASTERDOWN_ERROR } from '../../shared/contract/min-replicas-text';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

/** The node's reply to GET: its error line, or "served" when it answered with data (nil included). */
async function readReply(node: { call(...args: string[]): Promise<unknown> }): Promise<string> {
  const reply = await node.call('GET', 'some-key');
  return reply instanceof Error ? reply.message : 'served';
}

forEachNodeKind((kind) => {
  it('a replica with replica-serve-stale-data no and its link down is shown refusing reads with MASTERDOWN; one with yes is not', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas', replicaArgs: ['--replica-serve-stale-data', 'no'] });
    const { master } = group;
    const refusing = group.node('replica-1');
    const serving = group.node('replica-2');
    expect(await serving.call('CONFIG', 'SET', 'replica-serve-stale-data', 'yes')).toBe('OK');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.find((node) => node.id === serving.id)?.config?.['replica-serve-stale-data'] === 'yes'
      && snapshot.links.length === 2 && snapshot.links.every((link) => link.state === 'online'), 'both links online, replica-2 serving stale data');
    for (const node of [refusing, serving]) {
      expect(await readReply(node)).toBe('served');
      expect(assessNode(replscope.node(node.id)).reasons.join('\n')).not.toContain('MASTERDOWN');
    }

    // Stop the master and cut both links: they cannot come back.
    master.signal('SIGSTOP');
    for (const node of [refusing, serving]) await node.call('CLIENT', 'KILL', 'TYPE', 'master');
    for (const node of [refusing, serving]) expect((await node.info('replication')).get('master_link_status')).toBe('down');
    expect(await readReply(refusing)).toBe(MASTERDOWN_ERROR);
    expect(await readReply(serving)).toBe('served');
    const down = await replscope.waitForSnapshot((snapshot) => [refusing, serving].every((node) => snapshot.nodes.find((shown) => shown.id === node.id)?.masterLinkStatus === 'down'), 'both replicas reporting their link down');
    const refusingVerdict = assessNode(replscope.node(refusing.id, down));
    expect(refusingVerdict.level).toBe('critical');
    expect(refusingVerdict.reasons).toContain(`Refuses reads ("${MASTERDOWN_ERROR}"): replica-serve-stale-data no while its link to its master is down`);
    expect(assessNode(replscope.node(serving.id, down)).reasons.join('\n')).not.toContain('MASTERDOWN');

    // The master back: the links come up and reads are served again.
    master.signal('SIGCONT');
    const up = await replscope.waitForSnapshot((snapshot) => [refusing, serving].every((node) => snapshot.nodes.find((shown) => shown.id === node.id)?.masterLinkStatus === 'up'), 'both links up again');
    expect(await readReply(refusing)).toBe('served');
    expect(assessNode(replscope.node(refusing.id, up)).reasons.join('\n')).not.toContain('MASTERDOWN');
  }, 60_000);
});
