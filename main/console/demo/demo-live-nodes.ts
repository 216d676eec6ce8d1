/**
 * The demo's nodes as they are now. The demo starts from a plan (which node
 * is the master, who follows whom, one backlog size for all), but the user
 * then promotes, re-points and resizes them: the Demo page must say what
 * the nodes say, not what the plan said. Each node's role, upstream and
 * repl-backlog-size come from the demo session's latest snapshot (the
 * nodes' own INFO, read every poll); a node not answering keeps the plan's
 * role and upstream and shows no backlog size.
 *
 * The proxy port is the plan's: chaos cuts the planned link. Once the
 * replica follows another node (a promotion, a re-point), that proxy
 * carries nothing, and it is not shown.
 */
import type { DemoNodeInfo } from '../../../shared/contract/demo';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';

export function liveDemoNodes(planned: readonly DemoNodeInfo[], snapshot: TopologySnapshot | null): DemoNodeInfo[] {
  const nodes = new Map((snapshot?.nodes ?? []).map((node) => [node.id, node]));
  return planned.map((plan) => {
    const node = nodes.get(plan.id);
    const role = node !== undefined && !node.stale && node.health === 'up' && (node.role === 'master' || node.role === 'replica') ? node.role : null;
    if (node === undefined || role === null) return { ...plan, backlogBytes: null };
    const link = role === 'replica' ? snapshot!.links.find((candidate) => candidate.replicaId === plan.id) : undefined;
    const upstreamId = role === 'replica' ? (link?.masterId ?? plan.upstreamId) : null;
    return {
      ...plan,
      role,
      upstreamId,
      proxyPort: upstreamId !== null && upstreamId === plan.upstreamId ? plan.proxyPort : null,
      backlogBytes: node.backlog?.sizeBytes ?? null,
    };
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
