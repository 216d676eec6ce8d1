/**
 * Split-brain: two or more nodes answering as masters (so taking writes)
 * that belong together, so clients of the group may write to either and one
 * side's writes will be lost when it is demoted. Two masters belong together
 * when:
 *
 *  - they share a replication history: one's replid2 is the other's replid
 *    (it was promoted from the other's history, which is still being
 *    written: REPLICAOF NO ONE on a replica by hand, or a failover whose old
 *    master is still up), or both have the same replid2 (both were promoted
 *    from one history); a cleared replid2 (forty zeros) matches nothing;
 *  - one Sentinel group lists both (its master and its known replicas), e.g.
 *    an old master that came back as a master after a failover.
 *
 * Unrelated masters (separate groups given as seeds, cluster shards) share
 * neither and are never joined. Nodes that are masters only for an instant
 * on purpose (this console's force-full-resync runs REPLICAOF NO ONE then
 * REPLICAOF) are left out by the caller.
 *
 * A split-brain starts the first poll it is seen and ends once it has been
 * gone for two polls in a row (a node whose connection was just killed
 * misses one poll without having stopped being a master).
 */
import type { NodeSnapshot, SplitBrain, TopologySnapshot } from '../../../shared/contract/snapshots';

const CLEARED_REPLID = '0'.repeat(40);
const POLLS_TO_END = 2;

interface Tracked {
  readonly splitBrain: SplitBrain;
  missedPolls: number;
}

export interface SplitBrainChanges {
  readonly current: SplitBrain[];
  readonly started: SplitBrain[];
  readonly ended: SplitBrain[];
}

function keyOf(masterIds: readonly string[]): string {
  return [...masterIds].sort().join(',');
}

/** Why two masters belong together, or null when they do not. */
function relation(a: NodeSnapshot, b: NodeSnapshot, groups: ReadonlyMap<string, readonly string[]>): { reason: string; group: string | null } | null {
  const set = (id: string | null): boolean => id !== null && id !== CLEARED_REPLID && id !== '';
  if (set(a.replid2) && a.replid2 === b.replid) return { reason: `${a.id} was promoted from the history ${b.id} still writes (its replid2 is ${b.id}'s replid ${b.replid!.slice(0, 8)})`, group: null };
  if (set(b.replid2) && b.replid2 === a.replid) return { reason: `${b.id} was promoted from the history ${a.id} still writes (its replid2 is ${a.id}'s replid ${a.replid!.slice(0, 8)})`, group: null };
  if (set(a.replid2) && a.replid2 === b.replid2) return { reason: `both were promoted from one history (replid2 ${a.replid2!.slice(0, 8)})`, group: null };
  for (const [group, members] of groups) if (members.includes(a.id) && members.includes(b.id)) return { reason: `both belong to Sentinel group ${group}`, group };
  return null;
}

export class SplitBrainDetector {
  private readonly tracked = new Map<string, Tracked>();

  /**
   * `groups`: each Sentinel group's data nodes (empty without Sentinel);
   * `transient`: nodes to leave out (masters for an instant on purpose).
   */
  update(snapshot: TopologySnapshot, groups: ReadonlyMap<string, readonly string[]>, transient: (nodeId: string) => boolean): SplitBrainChanges {
    const masters = snapshot.nodes.filter((node) => node.health === 'up' && node.role === 'master' && !transient(node.id));
    // Union-find over masters that belong together; the first reason found for each join is kept.
    const parent = new Map(masters.map((node) => [node.id, node.id]));
    const find = (id: string): string => (parent.get(id) === id ? id : find(parent.get(id)!));
    const reasons = new Map<string, { reason: string; group: string | null }>();
    for (let i = 0; i < masters.length; i++) {
      for (let j = i + 1; j < masters.length; j++) {
        const related = relation(masters[i]!, masters[j]!, groups);
        if (!related) continue;
        const [a, b] = [find(masters[i]!.id), find(masters[j]!.id)];
        if (a !== b) parent.set(b, a);
        if (!reasons.has(masters[i]!.id)) reasons.set(masters[i]!.id, related);
      }
    }
    const components = new Map<string, string[]>();
    for (const node of masters) components.set(find(node.id), [...(components.get(find(node.id)) ?? []), node.id]);
    const seen = new Set<string>();
    const started: SplitBrain[] = [];
    for (const ids of components.values()) {
      if (ids.length < 2) continue;
      const key = keyOf(ids);
      seen.add(key);
      const existing = this.tracked.get(key);
      if (existing) {
        existing.missedPolls = 0;
        continue;
      }
      const why = ids.map((id) => reasons.get(id)).find((reason) => reason !== undefined)!;
      const splitBrain: SplitBrain = { masterIds: [...ids].sort(), group: why.group, reason: why.reason, since: snapshot.time, failover: null };
      this.tracked.set(key, { splitBrain, missedPolls: 0 });
      started.push(splitBrain);
    }
    const ended: SplitBrain[] = [];
    for (const [key, entry] of this.tracked) {
      if (seen.has(key)) continue;
      entry.missedPolls++;
      if (entry.missedPolls >= POLLS_TO_END) {
        this.tracked.delete(key);
        ended.push(entry.splitBrain);
      }
    }
    return { current: [...this.tracked.values()].map((entry) => entry.splitBrain), started, ended };
  }
}

export function splitBrainMessage(splitBrain: SplitBrain): string {
  const ids = splitBrain.masterIds;
  const what = `SPLIT-BRAIN: ${ids.join(' and ')} are ${ids.length === 2 ? 'both' : 'all'} writable masters of one ${splitBrain.group ? `Sentinel group (${splitBrain.group})` : 'replication history'}: ${splitBrain.reason}`;
  return splitBrain.failover ? `${what}; ${splitBrain.failover}` : `${what}. Writes to one are not replicated to the other; the side demoted later loses what it took`;
}
