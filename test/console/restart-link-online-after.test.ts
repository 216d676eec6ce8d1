/**
 * A link-down is put down to an end's restart only until the link was seen
 * online after that restart: a restarted replica that full-syncs, is seen
 * online, and is then dropped (its output-buffer limit, say) within the
 * restart's 10 s window lost its link for another reason.
 */
import { describe, expect, it } from 'vitest';
import { byRestart } from '../../main/console/monitor/node-restart';
import { ReplicationMemory } from '../../main/console/monitor/replication-memory';
import type { ReplicationEvent } from '../../shared/contract/events';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../shared/contract/snapshots';
import { syntheticLink, syntheticNode } from '../../renderer/test-support/synthetic-topology';

const M = '127.0.0.1:7601';
const R = '127.0.0.1:7602';
const LINK = `${M}->${R}`;

const snapshot = (time: number, replicaRunId: string, state: LinkSnapshot['state']): TopologySnapshot => {
  const nodes: NodeSnapshot[] = [
    syntheticNode(M, { role: 'master', runId: 'm'.repeat(40), sampledAt: time }),
    syntheticNode(R, { role: 'replica', masterHost: '127.0.0.1', masterPort: 7601, runId: replicaRunId, sampledAt: time }),
  ];
  return { sessionId: 's', kind: 'standalone', time, pollIntervalMs: 1000, outageSeconds: 60, groups: [], splitBrains: [], nodes, links: [syntheticLink(M, R, { state, masterSideState: state === 'online' ? 'online' : 'wait_bgsave' })] };
};

const linkDown = (time: number): ReplicationEvent => ({
  id: `down-${time}`, time, sessionId: 's', kind: 'link-down', nodeId: R, peerId: M, cause: 'unknown', inferred: true, message: `link ${LINK} down`, numbers: {},
});

describe('a restarted end\'s link-downs', () => {
  it('are the restart\'s up to the link\'s first online sighting after it, not after', () => {
    const memory = new ReplicationMemory();
    memory.observe(snapshot(1_000, 'a'.repeat(40), 'online'), 1);
    memory.observe(snapshot(2_000, 'b'.repeat(40), 'syncing'), 2); // restarted: a new run_id, the link full-syncing
    memory.observe(snapshot(3_000, 'b'.repeat(40), 'online'), 3); // the full sync done, the link online
    const restartOf = (nodeId: string, time: number) => memory.restartHolding(nodeId, time, undefined, LINK);
    expect(byRestart(linkDown(1_500), restartOf).cause).toBe('replica-restarted');
    expect(byRestart(linkDown(2_000), restartOf).cause).toBe('replica-restarted');
    // Dropped 1.5 s after it was seen online again: within the restart's 10 s, but not the restart's.
    expect(byRestart(linkDown(4_500), restartOf).cause).toBe('unknown');
  });

  it('stay the restart\'s within its window while the link has not been seen online since', () => {
    const memory = new ReplicationMemory();
    memory.observe(snapshot(1_000, 'a'.repeat(40), 'online'), 1);
    memory.observe(snapshot(2_000, 'b'.repeat(40), 'syncing'), 2);
    memory.observe(snapshot(3_000, 'b'.repeat(40), 'syncing'), 3);
    const restartOf = (nodeId: string, time: number) => memory.restartHolding(nodeId, time, undefined, LINK);
    expect(byRestart(linkDown(4_500), restartOf).cause).toBe('replica-restarted');
  });
});
