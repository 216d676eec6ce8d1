/**
 * A replica's link-down waits for its master's verdict when the master's
 * answer of the same poll still lists the replica online, whichever of the
 * two answers carries the later stamp (event-inference.ts, linkEvents). A
 * node's sampledAt is taken when the console has finished with its reply
 * (INFO, the pipelined CONFIG GET, the command-counter baseline), so a
 * master that answered "online" and was then killed (kill -9) can be
 * stamped after the replica's "link down" that followed the kill. Its
 * verdict is the next poll's: it refuses connections.
 */
import { describe, expect, it } from 'vitest';
import { inferEvents } from '../../main/console/monitor/event-inference';
import { ReplicationMemory } from '../../main/console/monitor/replication-memory';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../shared/contract/snapshots';
import type { ReplicationEvent } from '../../shared/contract/events';
import { syntheticLink, syntheticNode } from '../../renderer/test-support/synthetic-topology';

const M = '10.0.0.1:6379';
const R = '10.0.0.2:6379';
const REFUSED: Partial<NodeSnapshot> = { health: 'unreachable', healthProblem: 'refused', healthDetail: 'connect ECONNREFUSED 10.0.0.1:6379', sampledAt: 2_050 };

function snapshot(time: number, nodes: NodeSnapshot[], links: LinkSnapshot[]): TopologySnapshot {
  return { sessionId: 's', kind: 'standalone', time, pollIntervalMs: 1000, outageSeconds: 60, groups: [], splitBrains: [], nodes, links };
}

function run(polls: TopologySnapshot[]): Array<{ at: number; event: ReplicationEvent }> {
  const memory = new ReplicationMemory();
  const filed: Array<{ at: number; event: ReplicationEvent }> = [];
  let previous: TopologySnapshot | null = null;
  polls.forEach((current, poll) => {
    for (const event of inferEvents(previous, current, memory).events) {
      if (event.kind === 'link-down' || event.kind === 'node-unreachable') filed.push({ at: current.time, event });
    }
    memory.observe(current, poll);
    previous = current;
  });
  return filed;
}

const replica = (sampledAt: number, link: 'up' | 'down'): NodeSnapshot => syntheticNode(R, { role: 'replica', masterHost: '10.0.0.1', masterPort: 6379, masterLinkStatus: link, sampledAt });

describe('a link-down whose master still listed the replica online in the same poll', () => {
  for (const [order, masterStamp] of [['stamped after the replica', 1_040], ['stamped before the replica', 1_010]] as const) {
    it(`waits for the master's next answer when the master's answer is ${order}`, () => {
      const polls = [
        snapshot(0, [syntheticNode(M, { sampledAt: -10 }), replica(-20, 'up')], [syntheticLink(M, R)]),
        // The master answered "online" and was killed; the replica answered "link down" after the kill.
        snapshot(1_050, [syntheticNode(M, { sampledAt: masterStamp }), replica(1_030, 'down')], [syntheticLink(M, R, { state: 'down', masterSideState: 'online' })]),
        // Its verdict: nothing listens at its port any more.
        snapshot(2_060, [syntheticNode(M, REFUSED), replica(2_040, 'down')], [syntheticLink(M, R, { state: 'down', masterSideState: 'online' })]),
      ];
      const filed = run(polls);
      expect(filed.map(({ at, event }) => [at, event.kind, event.nodeId])).toEqual([[2_060, 'node-unreachable', M], [2_060, 'link-down', R]]);
      const linkDown = filed.find(({ event }) => event.kind === 'link-down')!.event;
      expect(linkDown).toMatchObject({ peerId: M, cause: 'master-unreachable', time: 1_050, numbers: { masterHealth: 'refused' } });
      expect(linkDown.message).toContain(`its master ${M} refuses connections (ECONNREFUSED): its process is gone`);
    });
  }
});
