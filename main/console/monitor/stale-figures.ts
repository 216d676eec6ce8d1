/**
 * Which figures of a snapshot are not current, and why.
 *
 * A node is stale when its poll did not answer in time (node-sampler.ts: it
 * keeps its last answer). Staleness then flows down the replication links:
 *
 *  - a link is stale when either end is stale or does not answer (hung,
 *    unreachable): its state and lag come from an old reading, or from one
 *    side only;
 *  - a replica whose master is stale or not answering is itself stale, even
 *    though it answers: it still says `master_link_status:up` (its TCP link
 *    is fine until repl-timeout), but nothing can be flowing through a hung
 *    master, so "online" and its lag would be a claim nobody checked. Its
 *    own replicas follow, down the whole chain.
 *
 * A replica that answers and says its link is down is not stale: that is a
 * current fact, whatever its master's state.
 */
import type { LinkSnapshot, NodeSnapshot } from '../../../shared/contract/snapshots';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function silent(node: NodeSnapshot): string | null {
  if (node.stale) return `${node.id} ${node.staleReason ?? 'did not answer this poll'}`;
  if (node.health !== 'up' && node.health !== 'loading') return `${node.id} is ${node.health}`;
  return null;
}

export function markStaleFigures(nodes: NodeSnapshot[], links: LinkSnapshot[]): void {
  const byId = new Map(nodes.map((node) => [node.id, node as Mutable<NodeSnapshot>]));
  const marked = new Set<string>();
  // Down the chains: a pass marks the replicas of every silent master; repeat
  // until nothing changes (a chain of depth d needs d passes).
  for (let changed = true; changed; ) {
    changed = false;
    for (const link of links as Array<Mutable<LinkSnapshot>>) {
      if (marked.has(link.id)) continue;
      const master = byId.get(link.masterId);
      const replica = byId.get(link.replicaId);
      const masterSilent = master ? silent(master) : `${link.masterId} is not polled`;
      const replicaSilent = replica ? silent(replica) : null;
      if (masterSilent === null && replicaSilent === null) continue;
      marked.add(link.id);
      changed = true;
      link.stale = true;
      link.staleReason = replicaSilent ?? masterSilent;
      if (masterSilent !== null && replica && !replica.stale && replica.health === 'up' && replica.masterLinkStatus === 'up') {
        replica.stale = true;
        replica.staleReason = `its master ${masterSilent}: whether it still receives the stream is unknown`;
      }
    }
  }
}
