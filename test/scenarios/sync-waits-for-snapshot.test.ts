/**
 * A full sync the master has accepted but holds for repl-diskless-sync-delay
 * (Sentinel's promoted replica does this with the old master it is given).
 * The nodes' truth while it waits: the master lists the replica as
 * `state=wait_bgsave` and has logged "Delay next BGSAVE for diskless SYNC";
 * the replica, whose PSYNC has no answer yet (+FULLRESYNC comes when the
 * snapshot starts), says master_link_status:down, master_sync_in_progress:0
 * (ROLE: handshake). The console must show the sync pending, waiting for the
 * snapshot with the master's state, not a link down; and once the snapshot
 * goes, the link streams.
 *
 * Held on a poll both nodes answered: the first snapshot in which each one's
 * answer is that tick's own (not stale, read after the snapshot before it was
 * built). A snapshot whose replica answer is overdue shows the link by the
 * master's word alone (syncing, wait_bgsave) with no sync of the replica's;
 * one whose master answer is not in yet, by the replica's (down). Under load
 * such a snapshot came first and was judged (engine: "syncing / wait_bgsave"
 * with no sync progress). The delay is long enough (10 s) for that poll to
 * come on a loaded machine, and the master is asked again afterwards that it
 * still waited. Every snapshot of the wait, those polls included, must show
 * the link syncing until it goes online.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import type { TopologySnapshot } from '../../shared/contract/snapshots';
import { ConsoleUnderTest, forEachNodeKind, startGroup, startNode, useScenarioCleanup, waitForGroupInSync, waitForLog } from './harness';

useScenarioCleanup();

function fields(text: unknown): Map<string, string> {
  return new Map(String(text).split('\r\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
}

/**
 * The first snapshot built after `after` in which every one of `nodeIds` answered that tick: up, not
 * stale, its answer read after the previous snapshot was built (what the builder takes as the master's
 * list of this poll), and that shows `linkId`.
 */
function pollOfBoth(replscope: ConsoleUnderTest, nodeIds: readonly string[], linkId: string, after: number): TopologySnapshot | undefined {
  const snapshots = replscope.snapshotsSince(0).map(({ snapshot }) => snapshot);
  for (let index = 1; index < snapshots.length; index++) {
    const snapshot = snapshots[index]!;
    const since = Math.max(after, snapshots[index - 1]!.time);
    const answered = nodeIds.every((id) => {
      const node = snapshot.nodes.find((candidate) => candidate.id === id);
      return node !== undefined && node.health === 'up' && !node.stale && node.sampledAt > since;
    });
    if (snapshot.time > after && answered && snapshot.links.some((link) => link.id === linkId)) return snapshot;
  }
  return undefined;
}

forEachNodeKind((kind) => {
  it('a full sync waiting out repl-diskless-sync-delay shows as waiting for the snapshot (the master says wait_bgsave), not as a link down', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '10'] });
    const { master } = group;
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

    // A new replica joins: the master accepts its full sync and delays the snapshot 10 s for more replicas.
    const mark = master.mark();
    const joining = await startNode(kind, { name: 'replica-2', replicaOf: master });
    await waitForLog(master, /Delay next BGSAVE for diskless SYNC/, mark);
    const truthBefore = { master: fields(await master.call('INFO', 'replication')), replica: fields(await joining.call('INFO', 'replication')) };
    expect([...truthBefore.master.values()].some((value) => value.startsWith(`ip=127.0.0.1,port=${joining.port},state=wait_bgsave,`)), 'the master lists it as wait_bgsave').toBe(true);
    expect(truthBefore.replica.get('master_link_status')).toBe('down');
    expect(truthBefore.replica.get('master_sync_in_progress')).toBe('0');

    const askedAt = Date.now();
    const linkId = `${master.id}->${joining.id}`;
    let found: TopologySnapshot | undefined;
    await waitFor(() => (found = pollOfBoth(replscope, [master.id, joining.id], linkId, askedAt)) !== undefined, { timeoutMs: 7_000, intervalMs: 50, what: 'a poll both nodes answered while the sync waits' });
    const shown = found!;
    // Still waiting after that poll, on the nodes' word.
    const masterAfter = fields(await master.call('INFO', 'replication'));
    expect([...masterAfter.values()].some((value) => value.startsWith(`ip=127.0.0.1,port=${joining.port},state=wait_bgsave,`)), 'still wait_bgsave after the poll').toBe(true);
    const link = shown.links.find((candidate) => candidate.id === linkId)!;
    expect(link).toMatchObject({ state: 'syncing', masterSideState: 'wait_bgsave' });
    expect(replscope.node(joining.id, shown).sync).toMatchObject({ phase: 'waiting-for-snapshot', exact: false });
    expect(replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === joining.id)).toEqual([]);

    // The snapshot goes after the delay: the link streams, and no link-down was ever recorded for the wait.
    await waitForGroupInSync(master, [group.node('replica-1'), joining]);
    const online = await replscope.waitForSnapshot((snapshot) => snapshot.links.some((candidate) => candidate.id === linkId && candidate.state === 'online'), 'the new link online', 10_000);
    // Every snapshot from the first one whose master answer came after the master was seen listing the replica
    // wait_bgsave (askedAt) until the link went online shows the link syncing, never down: including the polls
    // whose master answer was not in yet (the list of the poll before), which pollOfBoth skips. Under load one
    // such poll read "down" and the console recorded a link-down for a pending sync.
    const stateOf = (snapshot: TopologySnapshot): string => snapshot.links.find((candidate) => candidate.id === linkId)?.state ?? 'absent';
    const all = replscope.snapshotsSince(0).map(({ snapshot }) => snapshot);
    const from = all.findIndex((snapshot) => snapshot.time > askedAt && snapshot.nodes.some((node) => node.id === master.id && node.sampledAt > askedAt));
    expect(from, 'a snapshot with a master answer given after the wait was seen').toBeGreaterThanOrEqual(0);
    const until = all.findIndex((snapshot, index) => index >= from && stateOf(snapshot) === 'online');
    expect(until, 'the snapshot that shows the link online').toBeGreaterThan(from);
    const shownStates = all.slice(from, until).map((snapshot) => ({ time: snapshot.time, state: stateOf(snapshot) }));
    expect(shownStates.length).toBeGreaterThan(0);
    expect(shownStates.filter(({ state }) => state !== 'syncing'), 'snapshots that did not show the pending sync as syncing').toEqual([]);
    // One more poll after the link came online, for the detector to have judged the wait's last snapshot.
    await replscope.waitForSnapshot((snapshot) => snapshot.time > online.time, 'a poll after the link came online', 10_000);
    expect(replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === joining.id)).toEqual([]);
    // The 60 s default left little room: the engine case took 52 s under four busy loops, 10 of them the delay.
  }, 120_000);
});
