/**
 * The topology states of a session, for incident bundles: "what did the
 * topology look like at 14:02:31". A snapshot is kept when the state of the
 * topology changes (a node's role, health, staleness, link status, sync
 * phase or replication id; a link's state; a split-brain; the set of
 * nodes, links or groups), and at least every KEYFRAME_MS otherwise. The
 * figures between two kept states (offsets, lag, rates) come from the
 * per-second series, which the replay lays over the state in effect.
 *
 * Kept as JSON text (a 3-node snapshot is a few KB as text, several times
 * that as objects), at most MAX_STATES per session: about 16 hours of a
 * steady deployment, fewer when it keeps changing. The oldest go first.
 */
import type { TopologySnapshot } from '../../../shared/contract/snapshots';

export const KEYFRAME_MS = 30_000;
const MAX_STATES = 2000;

interface KeptState {
  readonly time: number;
  readonly key: string;
  readonly json: string;
}

/** What makes two snapshots "the same state" (figures left out). */
export function stateKey(snapshot: TopologySnapshot): string {
  return JSON.stringify([
    snapshot.nodes.map((node) => [node.id, node.role, node.health, node.stale, node.masterLinkStatus, node.replicaState, node.sync?.phase ?? null, node.replid, node.masterHost, node.masterPort]),
    snapshot.links.map((link) => [link.id, link.state, link.stale, link.partialResyncPossible]),
    snapshot.groups.map((group) => (group.kind === 'sentinel' ? [group.name, group.masterId, group.flags, group.quorumOk] : [group.name, group.masterId, group.health])),
    snapshot.splitBrains.map((split) => split.masterIds),
  ]);
}

export class TopologyTrail {
  private readonly bySession = new Map<string, KeptState[]>();

  record(snapshot: TopologySnapshot): void {
    let states = this.bySession.get(snapshot.sessionId);
    if (states === undefined) {
      states = [];
      this.bySession.set(snapshot.sessionId, states);
    }
    const key = stateKey(snapshot);
    const last = states[states.length - 1];
    if (last !== undefined && last.key === key && snapshot.time - last.time < KEYFRAME_MS) return;
    states.push({ time: snapshot.time, key, json: JSON.stringify(snapshot) });
    if (states.length > MAX_STATES) states.splice(0, states.length - MAX_STATES);
  }

  /** The states of [fromMs, toMs], led by the one in effect at fromMs (kept before it). */
  between(sessionId: string, fromMs: number, toMs: number): TopologySnapshot[] {
    const states = this.bySession.get(sessionId) ?? [];
    let first = states.findIndex((state) => state.time >= fromMs);
    if (first === -1) first = states.length;
    const start = first > 0 && (states[first]?.time ?? Infinity) > fromMs ? first - 1 : first;
    return states.slice(start).filter((state) => state.time <= toMs).map((state) => JSON.parse(state.json) as TopologySnapshot);
  }

  /** When the oldest state kept was polled (null before the first poll). */
  earliest(sessionId: string): number | null {
    return this.bySession.get(sessionId)?.[0]?.time ?? null;
  }

  forget(sessionId: string): void {
    this.bySession.delete(sessionId);
  }
}
