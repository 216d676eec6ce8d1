/**
 * What a promotion does to everyone but the promoted replica, for the
 * preflight: where every other node of the group ends up (how many hops
 * from the new master), and what clients writing to the old master see.
 *
 * FAILOVER TO (Redis 7.0) moves no replica but the target: the old master
 * becomes a replica of the target and, like any node that becomes a replica
 * (replicationSetMaster), drops its own replicas so they reconnect to it and
 * continue from its new history. So the old master's other replicas end two
 * hops from the new master, their own replicas three, and so on; the
 * target's own replicas stay one hop below it. Meanwhile writes to the old
 * master pause (CLIENT PAUSE WRITE) until the target has caught up, then fail
 * with READONLY once it is a replica.
 */
import type { TopologySnapshot } from '../../../shared/contract/snapshots';

/** Depth of every node below `root` after `moves` (replica id -> its new master id), from the snapshot's links. */
export function depthsAfter(snapshot: TopologySnapshot, root: string, moves: ReadonlyMap<string, string | null>): Map<string, number> {
  const parent = new Map<string, string | null>();
  for (const link of snapshot.links) parent.set(link.replicaId, link.masterId);
  for (const [replicaId, masterId] of moves) parent.set(replicaId, masterId);
  const depths = new Map<string, number>();
  for (const id of parent.keys()) {
    let depth = 0;
    let current: string | null | undefined = id;
    const seen = new Set<string>();
    while (current !== null && current !== undefined && current !== root && !seen.has(current)) {
      seen.add(current);
      current = parent.get(current);
      depth++;
    }
    if (current === root) depths.set(id, depth);
  }
  return depths;
}

const hops = (count: number): string => (count === 1 ? '1 hop' : `${count} hops`);

/** One sentence per node other than target and old master: where it stays and how far from the new master it ends. */
export function otherReplicasAfterFailover(snapshot: TopologySnapshot, targetId: string, oldMasterId: string): string[] {
  const before = depthsAfter(snapshot, oldMasterId, new Map());
  const after = depthsAfter(snapshot, targetId, new Map([[targetId, null], [oldMasterId, targetId]]));
  const sentences: string[] = [];
  for (const link of snapshot.links) {
    const id = link.replicaId;
    if (id === targetId || id === oldMasterId) continue;
    const depth = after.get(id);
    if (depth === undefined) continue;
    const was = before.get(id);
    const stays = link.masterId === oldMasterId
      ? `${id} stays a replica of ${oldMasterId}, which becomes a replica of ${targetId}: it is dropped and reconnects to ${oldMasterId} (a partial resync once ${oldMasterId}'s own link is up)`
      : `${id} stays a replica of ${link.masterId}`;
    sentences.push(`${stays}; it ends ${hops(depth)} from ${targetId}${was !== undefined && was !== depth ? ` (it was ${hops(was)} from ${oldMasterId})` : ''}.`);
  }
  return sentences;
}

export const READONLY_AFTER_FAILOVER = (oldMasterId: string, targetId: string, timeoutMs: number): string =>
  `Clients writing to ${oldMasterId}: their writes wait while it pauses writes (up to ${timeoutMs / 1000} s), then get "-READONLY You can't write against a read only replica." once it is a replica. Point them at ${targetId} (Sentinel-aware or cluster clients follow by themselves).`;
