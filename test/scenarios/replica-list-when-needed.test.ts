/**
 * The console reads CLIENT LIST TYPE replica on a node only when it can say
 * something new (replica-connections.ts): in the first polls, while a
 * connection is young, and once the node's sync counters or
 * connected_slaves move. A steady group is polled with INFO (and CONFIG
 * GET) alone; it was one CLIENT LIST per node per poll, as many as INFO.
 * A replica reconnecting moves sync_partial_ok: the lists start again, and
 * the partial resync still names the replica the master's log names.
 * Counted by the nodes themselves (INFO commandstats).
 */
import { expect, it } from 'vitest';
import { infoNumber } from '../support/replication';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, startGroup, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

async function calls(node: ScenarioNode, command: string): Promise<number> {
  const line = (await node.call('INFO', 'commandstats')) as string;
  return Number(new RegExp(`^cmdstat_${command.replace('|', '\\|')}:calls=(\\d+)`, 'm').exec(line)?.[1] ?? 0);
}

forEachNodeKind((kind) => {
  it('a steady group is not asked for its replica connections every poll; a reconnect is, and is still named', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const { master } = group;
    const target = group.node('replica-2');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    // Past the young connections of a group that just started: older than the
    // poll interval rounded up and 2 s (ages are whole seconds), with a second to spare.
    await sleep(6_000);

    const infoBefore = await calls(master, 'info');
    const listsBefore = await calls(master, 'client|list');
    await sleep(3_000);
    const polls = (await calls(master, 'info')) - infoBefore - 1; // less this test's own INFO commandstats
    expect(polls).toBeGreaterThanOrEqual(6);
    expect((await calls(master, 'client|list')) - listsBefore, `${polls} polls`).toBe(0);

    const partialOk = await infoNumber(master, 'sync_partial_ok', 'stats');
    const masterMark = master.mark();
    await target.call('CLIENT', 'KILL', 'TYPE', 'master');
    await waitForLog(master, LOG.partialAccepted, masterMark);
    expect(master.logSince(masterMark)).toContain(`Partial resynchronization request from ${target.id}`);
    await waitFor(async () => (await infoNumber(master, 'sync_partial_ok', 'stats')) === partialOk + 1, { what: 'sync_partial_ok + 1' });
    const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.peerId === master.id, 'the partial resync', 10_000);
    expect(partial.nodeId, replscope.describeEvents()).toBe(target.id);
    expect(await calls(master, 'client|list')).toBeGreaterThan(listsBefore);
  }, 60_000);
});
