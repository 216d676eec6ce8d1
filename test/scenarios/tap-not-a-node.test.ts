/**
 * This console's stream tap is no node of the deployment. While it runs,
 * the master's own INFO counts it (connected_slaves goes up by one) and
 * lists it (`slaveN:ip=replscope-tap,port=0`), and the demo's engine
 * reported its PSYNC and its stop as a replica's (`replscope-tap:<port>`):
 * the timeline showed a partial resync and a link-down "closed by the other
 * end" of a node called replscope-tap. The timeline names no tap; the
 * master's replica count stays the master's (with the tap in it) and the
 * snapshot says how many of those are a stream tap.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import type { TopologySnapshot } from '../../shared/contract/snapshots';
import { info } from '../support/replication';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, WriteLoad } from './harness';

useScenarioCleanup();

const namesTap = (event: ReplicationEvent): boolean => /replscope-tap/.test(`${event.nodeId} ${event.peerId ?? ''} ${event.message}`);

/** Starts the tap on `masterId`, checks the master's truth and the console while it runs, stops it. */
async function tapAndStop(replscope: ConsoleUnderTest, masterId: string, masterPort: number, nodeIds: readonly string[]): Promise<void> {
  const since = Date.now();
  const report = await replscope.call('tap.start', { sessionId: replscope.sessionId, nodeId: masterId, confirmMinReplicas: false });
  expect(report.state).toBe('streaming');
  // The master's truth: it counts and lists the tap as a replica.
  const replication = await info({ port: masterPort }, 'replication');
  expect(replication.get('connected_slaves')).toBe('2');
  expect([replication.get('slave0'), replication.get('slave1')].some((line) => line?.startsWith('ip=replscope-tap,port=0,'))).toBe(true);
  const shown = await replscope.waitForSnapshot((snapshot: TopologySnapshot) => snapshot.nodes.some((node) => node.id === masterId && node.connectedReplicas === 2), 'the master counted with the tap');
  expect(replscope.node(masterId, shown).streamTapReplicas).toBe(1);
  expect(shown.nodes.map((node) => node.id).sort()).toEqual([...nodeIds].sort());
  await sleep(2_000);
  await replscope.call('tap.stop', { sessionId: replscope.sessionId, nodeId: masterId });
  await waitFor(async () => (await info({ port: masterPort }, 'replication')).get('connected_slaves') === '1', { what: 'the master to free the tap' });
  const after = await replscope.waitForSnapshot((snapshot: TopologySnapshot) => snapshot.nodes.some((node) => node.id === masterId && node.connectedReplicas === 1), 'the master counted without the tap');
  expect(replscope.node(masterId, after).streamTapReplicas).toBe(0);
  await sleep(3_000); // polls past the stop, and the attribution's settling time
  expect(replscope.eventsWhere((event) => event.time >= since && namesTap(event)), replscope.describeEvents()).toEqual([]);
  expect(replscope.snapshotsSince(since).flatMap((received) => received.snapshot.nodes.map((node) => node.id)).filter((id) => id.includes('replscope-tap'))).toEqual([]);
}

it('the demo: the tap on its master is no node, no partial resync and no link-down on the timeline', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 500 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  await tapAndStop(replscope, master.id, master.port, status.nodes.map((node) => node.id));
}, 60_000);

forEachNodeKind((kind) => {
  it('an attached master: the tap is no node and names no event', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const load = WriteLoad.start(group.master, { opsPerSec: 200 });
    try {
      const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500, profile: { streamTap: true } });
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      await tapAndStop(replscope, group.master.id, group.master.port, group.nodes.map((node) => node.id));
    } finally {
      await load.stop();
    }
  }, 60_000);
});
