/**
 * A master killed (kill -9) between its answer of a poll and its replica's.
 *
 * Each poll asks every node at once and they answer in any order. When the
 * master answers first (still listing its replica online) and dies before
 * the replica answers (its link now down), that one poll shows the master
 * alive and the link down. The link-down must still be put down to the
 * master, whose port refuses connections at the next poll, not "cause
 * unknown"; and the master's own unreachable event says what the refusal
 * says (nothing listens on its port), not "network".
 *
 * The order is staged, not hoped for: CLIENT PAUSE on the replica holds the
 * console's INFO there (a paused server still reads its sockets, so it sees
 * its master's connection close and drops the link); the master is killed
 * once its own answer has gone out (its cmdstat_config|get moved: the
 * console pipelines CONFIG GET after INFO); the pause ends and the replica
 * answers "master_link_status:down". The ticks are the test's (pollNow), the
 * interval long enough that no other tick runs, and a tick waits up to the
 * 2.5 s command timeout for nodes that answered last time.
 */
import { afterEach, expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { DeploymentMonitor } from '../../main/console/monitor/deployment-monitor';
import { waitFor } from '../support/wait';
import { forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const monitors: DeploymentMonitor[] = [];
afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.close();
});

/** How many CONFIG GETs the node has answered (INFO commandstats). */
async function configGetCalls(node: ScenarioNode): Promise<number> {
  const line = (await node.info('commandstats')).get('cmdstat_config|get') ?? '';
  return Number(/calls=(\d+)/.exec(line)?.[1] ?? 0);
}

forEachNodeKind((kind) => {
  it('the master dies after its answer and before its replica\'s: the link-down is the master\'s (connection refused), the master\'s unreachable says connection refused', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const monitor = await DeploymentMonitor.open({
      sessionId: 'mid-poll', profile: { name: 'p', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: master.port }], environment: 'staging', safetyMode: 'ops' },
      secrets: {}, pollIntervalMs: 60_000, logger: quiet,
    });
    monitors.push(monitor);
    const events: ReplicationEvent[] = [];
    monitor.onEvent((event) => events.push(event));
    const linkId = `${master.id}->${replica.id}`;
    // Online on both sides, in the console's poll and in the master's own list.
    await waitFor(async () => (await monitor.pollNow()).links.some((link) => link.id === linkId && link.state === 'online' && link.masterSideState === 'online')
      && (await replicationTruth(master)).replicas.some((line) => line.id === replica.id && line.state === 'online'), { what: 'the link online' });
    const mark = replica.mark();

    expect(await replica.call('CLIENT', 'PAUSE', '1500', 'ALL')).toBe('OK');
    const answeredBefore = await configGetCalls(master);
    const tick = monitor.pollNow();
    await waitFor(async () => (await configGetCalls(master)) > answeredBefore, { intervalMs: 5, what: 'the master to answer the poll' });
    const killedAt = Date.now();
    master.signal('SIGKILL');
    const staged = await tick;

    // The poll the race is about: the master answered alive, listing its replica online; the replica, later, its link down.
    const masterThen = staged.nodes.find((node) => node.id === master.id)!;
    const replicaThen = staged.nodes.find((node) => node.id === replica.id)!;
    expect(masterThen.health).toBe('up');
    expect(masterThen.sampledAt).toBeLessThanOrEqual(killedAt);
    expect(replicaThen).toMatchObject({ health: 'up', stale: false, masterLinkStatus: 'down' });
    expect(replicaThen.sampledAt).toBeGreaterThan(killedAt);
    expect(staged.links.find((link) => link.id === linkId), master.log() + '\n----\n' + replica.log()).toMatchObject({ state: 'down', masterSideState: 'online' });
    // The replica's own truth: it lost its master, and dialling it again is refused.
    expect((await replicationTruth(replica)).masterLinkStatus).toBe('down');
    await waitForLog(replica, LOG.replicaMasterLost, mark);
    await waitForLog(replica, LOG.replicaDialRefused, mark);

    // The next poll finds the master's port refusing connections: the link-down is put down to it.
    await waitFor(async () => {
      await monitor.pollNow();
      return events.some((event) => event.kind === 'link-down' && event.nodeId === replica.id);
    }, { what: 'the link-down of the replica' });
    const linkDowns = events.filter((event) => event.kind === 'link-down' && event.nodeId === replica.id);
    expect(linkDowns).toHaveLength(1);
    expect(linkDowns[0]).toMatchObject({ peerId: master.id, cause: 'master-unreachable', numbers: { masterHealth: 'refused' } });
    expect(linkDowns[0]!.time).toBe(staged.time); // the poll that first saw it down
    expect(linkDowns[0]!.message).toContain(`is down: its master ${master.id} refuses connections (ECONNREFUSED)`);
    const unreachable = events.filter((event) => event.kind === 'node-unreachable');
    expect(unreachable.map((event) => event.nodeId)).toEqual([master.id]);
    expect(unreachable[0]).toMatchObject({ cause: 'connection-refused', numbers: { problem: 'refused' } });
    expect(unreachable[0]!.message).toContain(`Nothing accepts connections at ${master.id} (ECONNREFUSED)`);
  }, 60_000);
});
