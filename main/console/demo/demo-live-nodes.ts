/**
 * The demo's nodes as they are now. Each node's role and upstream come from
 * the demo itself, which asks every node's ROLE at each status
 * (EmbeddedDemo.liveNodeInfos), not from the plan and not from the
 * session's last poll (a poll behind, and absent once the user closes the
 * demo's session). What only INFO says, each node's repl-backlog-size, comes
 * from the demo session's latest snapshot; a node not polled shows none.
 */
import type { DemoNodeInfo } from '../../../shared/contract/demo';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';

export function liveDemoNodes(nodes: readonly DemoNodeInfo[], snapshot: TopologySnapshot | null): DemoNodeInfo[] {
  const polled = new Map((snapshot?.nodes ?? []).map((node) => [node.id, node]));
  return nodes.map((node) => {
    const sample = polled.get(node.id);
    const answering = sample !== undefined && !sample.stale && sample.health === 'up';
    return { ...node, backlogBytes: answering ? (sample.backlog?.sizeBytes ?? null) : null };
  });
}

/**
 * The replication stream the demo's master writes, as its own offsets say:
 * the snapshot's write rate (Δ master_repl_offset / Δt between two polls of
 * one history) of the demo node that answered as master this poll. Not the
 * plan's master: after a promotion the stream comes from the promoted node.
 */
export function measuredStreamRate(planned: readonly DemoNodeInfo[], snapshot: TopologySnapshot | null): { streamRateBytesPerSec: number | null; streamRateNodeId: string | null } {
  const ids = new Set(planned.map((node) => node.id));
  const master = snapshot?.nodes.find((node) => ids.has(node.id) && node.role === 'master' && !node.stale && node.health === 'up');
  if (master === undefined || master.writeRateBytesPerSec === null) return { streamRateBytesPerSec: null, streamRateNodeId: null };
  return { streamRateBytesPerSec: master.writeRateBytesPerSec, streamRateNodeId: master.id };
}
