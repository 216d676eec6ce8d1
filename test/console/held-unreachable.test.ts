/**
 * A node that answered and then fails only with a broken socket (reset,
 * closed) has its node-unreachable held until a fresh dial gives a verdict
 * (event-inference.ts, ReplicationMemory.holdUnreachable). When the node
 * leaves the topology before that verdict, the hold must go with it: a node
 * that comes back later and breaks its socket again is held anew, and its
 * event carries the time of the new failure, not of the old one.
 */
import { describe, expect, it } from 'vitest';
import { inferEvents } from '../../main/console/monitor/event-inference';
import { ReplicationMemory } from '../../main/console/monitor/replication-memory';
import type { NodeSnapshot, TopologySnapshot } from '../../shared/contract/snapshots';
import { syntheticNode } from '../../renderer/test-support/synthetic-topology';

const M = '10.0.0.1:6379';
const R = '10.0.0.2:6379';
const RESET: Partial<NodeSnapshot> = { health: 'unreachable', healthProblem: 'connection-reset', healthDetail: 'read ECONNRESET' };

function snapshot(time: number, nodes: NodeSnapshot[]): TopologySnapshot {
  return { sessionId: 's', kind: 'standalone', time, pollIntervalMs: 1000, outageSeconds: 60, groups: [], splitBrains: [], nodes, links: [] };
}

/** Feeds polls the way the event detector does (inferEvents, then observe) and returns the node-unreachable events of R. */
function run(polls: TopologySnapshot[]): Array<{ at: number; time: number }> {
  const memory = new ReplicationMemory();
  const filed: Array<{ at: number; time: number }> = [];
  let previous: TopologySnapshot | null = null;
  polls.forEach((current, poll) => {
    for (const event of inferEvents(previous, current, memory).events) {
      if (event.kind === 'node-unreachable' && event.nodeId === R) filed.push({ at: current.time, time: event.time });
    }
    memory.observe(current, poll);
    previous = current;
  });
  return filed;
}

describe('a held node-unreachable of a node that left the topology', () => {
  it('is dropped when the node leaves: back later, its next broken socket is held anew and filed at its own time', () => {
    const master = syntheticNode(M, { role: 'master' });
    const replica = syntheticNode(R, { role: 'replica' });
    const polls = [
      snapshot(0, [master, replica]),
      snapshot(1_000, [master, syntheticNode(R, { role: 'replica', ...RESET })]), // held: a broken socket only
      snapshot(2_000, [master]), // it left the topology before a verdict
      snapshot(60_000, [master, replica]), // back, answering
      snapshot(61_000, [master, syntheticNode(R, { role: 'replica', ...RESET })]), // a new broken socket: held
      snapshot(62_000, [master, syntheticNode(R, { role: 'replica', ...RESET })]),
      snapshot(66_000, [master, syntheticNode(R, { role: 'replica', ...RESET })]), // 5 s without a verdict: filed as it is
    ];
    expect(run(polls)).toEqual([{ at: 66_000, time: 61_000 }]);
  });

  it('the memory forgets the hold as the node leaves', () => {
    const memory = new ReplicationMemory();
    memory.holdUnreachable(R, 1_000);
    memory.observe(snapshot(1_000, [syntheticNode(M), syntheticNode(R, { role: 'replica', ...RESET })]), 1);
    expect(memory.unreachableHeldSince(R)).toBe(1_000);
    memory.observe(snapshot(2_000, [syntheticNode(M)]), 2);
    expect(memory.unreachableHeldSince(R)).toBeUndefined();
  });
});
