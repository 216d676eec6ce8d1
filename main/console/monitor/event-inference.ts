/**
 * Events from successive snapshots of external nodes (`inferred: true`):
 * Redis does not push them, so they are read off counter deltas and state
 * changes between two polls:
 *
 *   master sync_full +n          -> full-resync (cause from resync-cause.ts:
 *                                   replica restarted, new replica, backlog
 *                                   expired, output-buffer-limit loop, out of
 *                                   backlog, replid mismatch, else unknown)
 *   master sync_partial_ok +n    -> partial-resync
 *   master sync_partial_err +n   -> partial-resync-refused
 *   replica link up <-> down     -> link-down / link-up
 *   role master <-> replica      -> promotion / demotion
 *   replid changed, same role    -> replid-change
 *   node health up <-> not up    -> node-unreachable / node-reachable
 */
import { randomUUID } from 'node:crypto';
import type { CauseCode, EventKind, ReplicationEvent } from '../../../shared/contract/events';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import { settleFullResyncs } from './full-resync-attribution';
import { ResyncMemory } from './resync-cause';

type Numbers = ReplicationEvent['numbers'];

export function makeEvent(sessionId: string, time: number, kind: EventKind, nodeId: string, peerId: string | null, cause: CauseCode, inferred: boolean, message: string, numbers: Numbers = {}): ReplicationEvent {
  return { id: randomUUID(), time, sessionId, kind, nodeId, peerId, cause, inferred, message, numbers };
}

/** `memory` spans polls (restarts, links seen, unfinished syncs); the caller observes each snapshot into it afterwards. */
export function inferEvents(previous: TopologySnapshot | null, current: TopologySnapshot, memory: ResyncMemory = new ResyncMemory()): ReplicationEvent[] {
  if (!previous) return [];
  const events: ReplicationEvent[] = [];
  const before = new Map(previous.nodes.map((node) => [node.id, node]));
  const linksBefore = new Map(previous.links.map((link) => [link.id, link]));
  const event = (kind: EventKind, nodeId: string, peerId: string | null, cause: CauseCode, message: string, numbers: Numbers = {}): void => {
    events.push(makeEvent(current.sessionId, current.time, kind, nodeId, peerId, cause, true, message, numbers));
  };

  for (const node of current.nodes) {
    const old = before.get(node.id);
    if (!old) continue;
    const wasUp = old.health === 'up';
    const isUp = node.health === 'up';
    if (wasUp && !isUp) event('node-unreachable', node.id, null, node.health === 'hung' ? 'timeout' : 'network', `${node.id} is ${node.health}: ${node.healthDetail ?? 'no detail'}`);
    if (!wasUp && isUp && old.health !== 'unknown') event('node-reachable', node.id, null, 'unknown', `${node.id} answers again`);
    if (!wasUp || !isUp) continue;
    if (old.role === 'replica' && node.role === 'master') {
      event('promotion', node.id, null, 'manual', `${node.id} was promoted to master (new replid ${short(node.replid)}, replid2 ${short(node.replid2)} valid up to offset ${node.secondReplOffset ?? '?'})`, {
        replid: node.replid, replid2: node.replid2, secondReplOffset: node.secondReplOffset,
      });
    } else if (old.role === 'master' && node.role === 'replica') {
      event('demotion', node.id, `${node.masterHost}:${node.masterPort}`, 'manual', `${node.id} became a replica of ${node.masterHost}:${node.masterPort}`);
    } else if (old.replid && node.replid && old.replid !== node.replid) {
      event('replid-change', node.id, null, node.runId !== old.runId ? 'master-restarted' : 'unknown', `${node.id} changed replication id ${short(old.replid)} -> ${short(node.replid)}${node.runId !== old.runId ? ' (the process restarted)' : ''}`, {
        oldReplid: old.replid, replid: node.replid,
      });
    }
    if (node.counters && old.counters && node.role === 'master') counterEvents(node, old, current, linksBefore, memory, event);
  }

  for (const link of current.links) {
    const old = linksBefore.get(link.id);
    if (!old) continue;
    if (old.state !== 'down' && link.state === 'down') {
      event('link-down', link.replicaId, link.masterId, 'unknown', `link ${link.masterId} -> ${link.replicaId} is down${link.partialResyncPossible === false ? '; the replica is already outside the backlog: a full resync will follow' : link.partialResyncCountdownSeconds !== null ? `; a partial resync stays possible for about ${Math.round(link.partialResyncCountdownSeconds)} s at the current write rate` : ''}`, {
        replicaOffset: link.replicaOffset, headroomBytes: link.backlogHeadroomBytes,
      });
    } else if (old.state !== 'online' && link.state === 'online') {
      event('link-up', link.replicaId, link.masterId, 'unknown', `link ${link.masterId} -> ${link.replicaId} is up`, { replicaOffset: link.replicaOffset });
    }
  }
  for (const settled of settleFullResyncs(current, memory)) {
    for (let i = 0; i < settled.count; i++) {
      events.push(makeEvent(current.sessionId, settled.time, 'full-resync', settled.replicaId ?? settled.masterId, settled.masterId, settled.cause, true, settled.message, settled.numbers));
    }
  }
  return events;
}

function counterEvents(
  node: NodeSnapshot,
  old: NodeSnapshot,
  current: TopologySnapshot,
  linksBefore: ReadonlyMap<string, LinkSnapshot>,
  memory: ResyncMemory,
  event: (kind: EventKind, nodeId: string, peerId: string | null, cause: CauseCode, message: string, numbers?: Numbers) => void,
): void {
  const counters = node.counters!;
  const previous = old.counters!;
  const full = counters.syncFull - previous.syncFull;
  const partial = counters.syncPartialOk - previous.syncPartialOk;
  const refused = counters.syncPartialErr - previous.syncPartialErr;
  // Which replica: a link of this master that was not online before and is (or
  // is syncing) now, or whose replica restarted (a fast restart can fall
  // between two polls, so its link looks online both times).
  const restarted = (replicaId: string): boolean => {
    const replicaNode = current.nodes.find((candidate) => candidate.id === replicaId);
    return replicaNode !== undefined && memory.restartedRecently(replicaNode, current.time);
  };
  const resyncing = current.links.filter((link) => link.masterId === node.id && (linksBefore.get(link.id)?.state !== 'online' || restarted(link.replicaId)));
  const replica = resyncing.length === 1 ? resyncing[0]! : null;
  const numbers = { syncFull: counters.syncFull, syncPartialOk: counters.syncPartialOk, syncPartialErr: counters.syncPartialErr, masterReplOffset: node.masterReplOffset, backlogFirstByte: node.backlog?.firstByteOffset ?? null };
  if (full > 0) {
    memory.pending.push({
      masterId: node.id,
      detectedAt: current.time,
      count: full,
      masterBefore: old,
      linksBefore: new Map([...linksBefore].filter(([, link]) => link.masterId === node.id)),
      partialRefused: refused > 0,
      counterText: `sync_full ${previous.syncFull} -> ${counters.syncFull}`,
      numbers,
    });
  }
  for (let i = 0; i < partial; i++) {
    event('partial-resync', replica?.replicaId ?? node.id, node.id, 'unknown', `${node.id} accepted a partial resync${replica ? ` from ${replica.replicaId}` : ''} (sync_partial_ok ${previous.syncPartialOk} -> ${counters.syncPartialOk})`, numbers);
  }
  if (refused > 0 && full === 0) {
    event('partial-resync-refused', replica?.replicaId ?? node.id, node.id, 'unknown', `${node.id} refused ${refused} partial resync request(s) (sync_partial_err ${previous.syncPartialErr} -> ${counters.syncPartialErr})`, numbers);
  }
}

function short(id: string | null): string {
  return id ? id.slice(0, 8) : '?';
}
