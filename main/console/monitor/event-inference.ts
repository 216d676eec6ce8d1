/**
 * Events from successive snapshots of external nodes (`inferred: true`):
 * Redis does not push them, so they are read off state changes between
 * polls. This part is synchronous and decides what happened; who caused a
 * role change and which replica a counter move was for need more evidence
 * and are settled later (role-attribution.ts, resync-attribution.ts):
 *
 *   node health up <-> not up        -> node-unreachable / node-reachable
 *   role replica -> master           -> a promotion (to attribute)
 *   role master -> replica           -> a demotion (to attribute)
 *   replid changed, same role        -> replid-change
 *   sync_full / sync_partial_ok /
 *   sync_partial_err moved on any
 *   node serving replicas            -> a counter move (to attribute)
 *   link up <-> down, or a link the
 *   master no longer lists           -> link-down / link-up
 *   min_slaves_good_slaves below
 *   min-replicas-to-write <-> not    -> writes-refused / writes-accepted
 *   slave_read_only 1 <-> 0          -> replica-read-only / replica-writable
 *
 * Roles, replids and counters are compared with the node's last state while
 * it answered, not only with the previous poll: a node that missed a poll
 * (Sentinel's SLAVEOF comes with CLIENT KILL TYPE normal, which drops the
 * console's connection too) must not hide its role change. Counters of a
 * node that restarted count from zero.
 */
import { backlogCreatedReplidChange } from './backlog-created';
import { randomUUID } from 'node:crypto';
import type { CauseCode, EventKind, ReplicationEvent } from '../../../shared/contract/events';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import { writeRefusalText } from '../../../shared/contract/min-replicas-text';
import type { ReplicationMemory } from './replication-memory';
import type { CounterMove } from './resync-attribution';
import type { RoleChange } from './role-attribution';

type Numbers = ReplicationEvent['numbers'];

export function makeEvent(sessionId: string, time: number, kind: EventKind, nodeId: string, peerId: string | null, cause: CauseCode, inferred: boolean, message: string, numbers: Numbers = {}): ReplicationEvent {
  return { id: randomUUID(), time, sessionId, kind, nodeId, peerId, cause, inferred, message, numbers };
}

/**
 * min-replicas-to-write starting or ceasing to refuse writes on a master.
 * Compared with the master's state at its last answered poll that read the
 * setting (ReplicationMemory), not with the previous poll: a stale or
 * CONFIG-less poll says nothing either way, and hides nothing. A refusal
 * found at the first poll that reads it (the console attached while the
 * master refused) is filed as one, said so: the acceptance that follows
 * then has its start. The master's own count (min_slaves_good_slaves)
 * decides; min-replicas.ts. A master whose INFO no longer prints the count
 * (min-replicas-to-write or -max-lag set to 0) accepts writes again.
 * Causes: a refusal is `too-few-good-replicas` (its message names each
 * replica that does not count, and why); its end is `enough-good-replicas`,
 * or `min-replicas-off` when the rule itself was turned off.
 */
function writeRefusalEvents(current: TopologySnapshot, memory: ReplicationMemory, event: EventSink): void {
  for (const node of current.nodes) {
    if (node.health !== 'up' || node.stale || node.role !== 'master') continue;
    const was = memory.refusedWritesWhenLastRead(node.id);
    const now = node.minReplicas;
    if (now === null) {
      if (was === true) event('writes-accepted', node.id, null, 'min-replicas-off', `${node.id} accepts writes again: min-replicas-to-write is no longer in force (its INFO shows no min_slaves_good_slaves)`);
      continue;
    }
    if (now.required === null) continue;
    const numbers = { goodReplicas: now.goodReplicas, required: now.required };
    if (was !== true && now.refusesWrites) {
      const found = memory.lastUpState(node.id) === undefined ? ' (so already when this console first read it)' : '';
      event('writes-refused', node.id, now.notGood[0]?.id ?? null, 'too-few-good-replicas', `${node.id} ${(writeRefusalText(now) ?? '').replace(/^Refuses/, 'refuses')}${found}`, numbers);
    }
    if (was === true && !now.refusesWrites) event('writes-accepted', node.id, null, 'enough-good-replicas', `${node.id} accepts writes again: ${now.goodReplicas} good replica${now.goodReplicas === 1 ? '' : 's'}, min-replicas-to-write ${now.required}`, numbers);
  }
}

/**
 * A replica starting or ceasing to accept writes: its own INFO
 * slave_read_only (replica-read-only), compared with its last answered
 * poll as a replica. A replica found writable at the first poll that reads
 * it (or a master that came back as a writable replica) is filed too; the
 * config-change event of replica-read-only needs CONFIG GET and says
 * nothing at attach.
 */
function writableReplicaEvents(current: TopologySnapshot, memory: ReplicationMemory, event: EventSink): void {
  for (const node of current.nodes) {
    if (node.health !== 'up' || node.stale || node.role !== 'replica' || node.replicaReadOnly === null) continue;
    const last = memory.lastUpState(node.id);
    const was = last?.role === 'replica' ? last.replicaReadOnly : null;
    const masterId = current.links.find((link) => link.replicaId === node.id)?.masterId ?? null;
    if (!node.replicaReadOnly && was !== false) {
      const found = last === undefined ? ' (so already when this console first read it)' : '';
      event('replica-writable', node.id, masterId, 'unknown', `${node.id} accepts writes: replica-read-only no (INFO slave_read_only:0); writes made on it are not replicated and are lost at its next full sync${found}`);
    }
    if (node.replicaReadOnly && was === false) event('replica-read-only', node.id, masterId, 'unknown', `${node.id} is read-only again (INFO slave_read_only:1): it refuses writes from clients`);
  }
}

export interface Inference {
  /** Events decided now (reachability, links, replid changes), in order. */
  readonly events: ReplicationEvent[];
  readonly roleChanges: RoleChange[];
  readonly counterMoves: CounterMove[];
}

/** Call before `memory.observe(current)`: the memory holds the state up to the previous poll. */
export function inferEvents(previous: TopologySnapshot | null, current: TopologySnapshot, memory: ReplicationMemory): Inference {
  const result: Inference = { events: [], roleChanges: [], counterMoves: [] };
  const event = (kind: EventKind, nodeId: string, peerId: string | null, cause: CauseCode, message: string, numbers: Numbers = {}, time = current.time): void => {
    result.events.push(makeEvent(current.sessionId, time, kind, nodeId, peerId, cause, true, message, numbers));
  };
  writeRefusalEvents(current, memory, event);
  writableReplicaEvents(current, memory, event);
  if (!previous) return result;
  const before = new Map(previous.nodes.map((node) => [node.id, node]));

  for (const node of current.nodes) {
    const old = before.get(node.id);
    if (old) {
      const wasUp = old.health === 'up';
      const isUp = node.health === 'up';
      // A node that answered and now fails only with a broken socket (the process died or the server closed
      // the connection: the socket's error says which of neither) is held until a fresh dial gives a verdict
      // (refused: its process is gone; hung; up again), at most MASTER_VERDICT_WAIT_MS, then filed as it is.
      const heldSince = memory.unreachableHeldSince(node.id);
      if (wasUp && brokenSocketOnly(node)) memory.holdUnreachable(node.id, current.time);
      else if (heldSince !== undefined && (isUp || !brokenSocketOnly(node) || current.time - heldSince >= MASTER_VERDICT_WAIT_MS)) {
        memory.releaseUnreachable(node.id);
        if (!isUp) event('node-unreachable', node.id, null, unreachableCause(node), `${node.id} is ${node.health}: ${node.healthDetail ?? 'no detail'}`, node.healthProblem ? { problem: node.healthProblem } : {}, heldSince);
      } else if (wasUp && !isUp) event('node-unreachable', node.id, null, unreachableCause(node), `${node.id} is ${node.health}: ${node.healthDetail ?? 'no detail'}`, node.healthProblem ? { problem: node.healthProblem } : {});
      // Hung, then its port refuses connections: the process that hung is gone (killed, crashed, shut down).
      // Said once, so "hung ... the console keeps trying" is not its last word. A kill may first reset the
      // connection the console was waiting on (unreachable, connection-reset) before a dial is refused.
      const hungBefore = old.health === 'hung' || memory.hungSinceLastUp(node.id);
      if (!wasUp && hungBefore && old.healthProblem !== 'refused' && node.health === 'unreachable' && node.healthProblem === 'refused') {
        event('node-unreachable', node.id, null, 'connection-refused', `${node.id} was hung and now refuses connections (ECONNREFUSED): its process is gone (killed, crashed or shut down); nothing listens on its port`, { problem: node.healthProblem });
      }
      if (!wasUp && isUp && old.health !== 'unknown') event('node-reachable', node.id, null, 'unknown', `${node.id} answers again`);
    }
    const last = memory.lastUpState(node.id);
    if (node.health !== 'up' || node.stale || !last) continue;
    const restarted = memory.restartedSinceLastSeen(node);
    if (last.role !== node.role && (node.role === 'master' || node.role === 'replica') && (last.role === 'master' || last.role === 'replica')) {
      result.roleChanges.push({ kind: node.role === 'master' ? 'promotion' : 'demotion', node, before: last, detectedAt: current.time, lastOldRolePoll: memory.lastUpPollOf(node.id), previousPollAt: previous?.time ?? -1, restarted });
    } else if (last.replid && node.replid && last.replid !== node.replid && last.role === node.role) {
      const created = restarted ? null : backlogCreatedReplidChange(last, node);
      const why = restarted ? ' (the process restarted)' : created !== null ? `: ${created}` : '';
      event('replid-change', node.id, null, restarted ? 'master-restarted' : created !== null ? 'backlog-created' : 'unknown', `${node.id} changed replication id ${short(last.replid)} -> ${short(node.replid)}${why}`, {
        oldReplid: last.replid, replid: node.replid,
      });
    }
    const move = counterMove(node, last, restarted, previous, current, memory);
    if (move) result.counterMoves.push(move);
  }

  linkEvents(previous, current, memory, event, countedFullSyncs(result.counterMoves, current, memory));
  return result;
}

/** How far back a link's trouble (a poll saw it not online) makes its replica's counted full sync this poll's. */
const COUNTED_TROUBLE_MS = 5_000;

/**
 * The replicas whose own full sync this poll's counter moves count (sync_full moved on their master, their
 * link troubled: not online, or an end not answering, now or lately). The resync attributor learns of the
 * moves only after this poll's events (ReplicationMemory.fullSyncPending says so from the next poll on): a
 * sub-replica's link-down seen in the same poll as its serving replica's full sync is that sync's doing too
 * (upstreamFullSync). Seen in chain-resyncs.test.ts (our engine, a loaded machine): the leaf's "went down
 * ... state=wait_bgsave" in the poll that saw the master's sync_full rise, cause unknown.
 */
function countedFullSyncs(moves: readonly CounterMove[], current: TopologySnapshot, memory: ReplicationMemory): ReadonlySet<string> {
  const counted = new Set<string>();
  const answering = new Set(current.nodes.filter((node) => node.health === 'up' && !node.stale).map((node) => node.id));
  for (const move of moves) {
    if (move.full <= 0) continue;
    for (const link of current.links) {
      if (link.masterId !== move.servingId) continue;
      const troubledNow = link.state !== 'online' || link.stale || !answering.has(link.masterId) || !answering.has(link.replicaId);
      const troubledLately = memory.linkTroubledBetween(link.id, current.time - COUNTED_TROUBLE_MS, current.time) && !memory.resyncAttributedSinceTrouble(link.id);
      if (troubledNow || move.linksBefore.get(link.id)?.state !== 'online' || troubledLately) counted.add(link.replicaId);
    }
  }
  return counted;
}

/**
 * Why a node that answered stopped answering, as far as its failure says
 * and no further:
 *  - hung (it accepted the connection, INFO went unanswered): timeout;
 *  - its port refuses connections (ECONNREFUSED): connection-refused,
 *    nothing listens there. Not "network": the host answered, with a
 *    refusal. Whether the process was killed, crashed or shut down, the
 *    refusal does not say;
 *  - no connection within the connect timeout, no route, a name that does
 *    not resolve: network;
 *  - anything else (a reset, a closed connection not reopened in time, a
 *    password or ACL refusal, LOADING, TLS): unknown; the health detail
 *    in the message says what was seen.
 */
const NETWORK_PROBLEMS: ReadonlySet<string> = new Set(['connect-timeout', 'tls-handshake-timeout', 'no-route', 'host-not-found']);

function unreachableCause(node: NodeSnapshot): CauseCode {
  if (node.health === 'hung') return 'timeout';
  if (node.healthProblem === 'refused') return 'connection-refused';
  return node.healthProblem !== null && NETWORK_PROBLEMS.has(node.healthProblem) ? 'network' : 'unknown';
}

function counterMove(node: NodeSnapshot, last: NodeSnapshot, restarted: boolean, previous: TopologySnapshot, current: TopologySnapshot, memory: ReplicationMemory): CounterMove | null {
  const counters = node.counters;
  if (!counters) return null;
  const base = restarted || !last.counters ? { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0 } : last.counters;
  if (!restarted && !last.counters) return null;
  const full = counters.syncFull - base.syncFull;
  const partial = counters.syncPartialOk - base.syncPartialOk;
  const refused = counters.syncPartialErr - base.syncPartialErr;
  if (full <= 0 && partial <= 0 && refused <= 0) return null;
  const linksBefore = new Map(previous.links.filter((link) => link.masterId === node.id).map((link) => [link.id, link]));
  const lastOnline = new Map<string, number>();
  for (const link of [...previous.links, ...current.links]) {
    const at = link.masterId === node.id ? memory.linkLastOnline(link.id) : undefined;
    if (at !== undefined) lastOnline.set(link.id, at);
  }
  const nodesBefore = new Map<string, NodeSnapshot>();
  for (const candidate of current.nodes) {
    const state = memory.lastUpState(candidate.id);
    if (state) nodesBefore.set(candidate.id, state);
  }
  const counterText = [
    full > 0 ? `sync_full ${base.syncFull} -> ${counters.syncFull}` : null,
    partial > 0 ? `sync_partial_ok ${base.syncPartialOk} -> ${counters.syncPartialOk}` : null,
    refused > 0 ? `sync_partial_err ${base.syncPartialErr} -> ${counters.syncPartialErr}` : null,
  ].filter((part) => part !== null).join(', ') + (restarted ? ' since it restarted' : '');
  return {
    servingId: node.id, detectedAt: current.time, previousPollAt: previous.time, full: Math.max(0, full), partial: Math.max(0, partial), refused: Math.max(0, refused),
    servingBefore: last, servingNow: node, linksBefore, nodesBefore, lastOnline, counterText,
    numbers: { syncFull: counters.syncFull, syncPartialOk: counters.syncPartialOk, syncPartialErr: counters.syncPartialErr, masterReplOffset: node.masterReplOffset, backlogFirstByte: node.backlog?.firstByteOffset ?? null },
  };
}

/**
 * Link state changes. A link the previous poll had (not down) and this one
 * lacks went down when its master answers and no longer lists it (the
 * replica may be frozen, or gone); when neither end answers nothing is said.
 * A link that went down while its master does not answer this console
 * either is put down to the master (masterDownCause). The master's verdict
 * must come after the replica's report: its answer of this poll may still
 * be out (the sampler redials a connection a dying process closed, up to
 * the command timeout), or it may have answered, still listing the replica
 * online, before the replica answered that its link was down (both are
 * asked at once and answer in any order: a master killed between its
 * answer and the replica's looks alive in this poll). The link-down is then
 * held, at the time it was first seen, until the master answers again or
 * fails to (an answer, hung or unreachable), at most MASTER_VERDICT_WAIT_MS.
 * The stamps cannot order the two answers: a node's sampledAt is taken when
 * the console has finished with its reply (INFO, the pipelined CONFIG GET,
 * the command-counter baseline), so a master that answered "online" before
 * it was killed can carry a later stamp than the replica's "down" that
 * followed the kill. A master whose answer of the poll that first saw the
 * link down still lists the replica online is therefore always waited for:
 * its verdict is an answer given after that poll (sampledAt > since).
 */
const MASTER_VERDICT_WAIT_MS = 5_000;

type EventSink = (kind: EventKind, nodeId: string, peerId: string | null, cause: CauseCode, message: string, numbers?: Numbers, time?: number) => void;

function linkEvents(previous: TopologySnapshot, current: TopologySnapshot, memory: ReplicationMemory, event: EventSink, counted: ReadonlySet<string>): void {
  const linksBefore = new Map(previous.links.map((link) => [link.id, link]));
  const present = new Set(current.links.map((link) => link.id));
  const nodes = new Map(current.nodes.map((node) => [node.id, node]));
  const pending = memory.takePendingLinkDowns();
  const moved = movedAwayFromSilentMaster(previous, current, memory, event);
  for (const link of current.links) {
    const old = linksBefore.get(link.id);
    const held = pending.get(link.id);
    pending.delete(link.id);
    if (moved.has(link.id)) continue;
    if (link.state === 'down' && (held !== undefined || (old !== undefined && old.state !== 'down'))) {
      const since = held?.since ?? current.time;
      const reportedAt = held?.reportedAt ?? nodes.get(link.replicaId)?.sampledAt ?? current.time;
      const masterNode = nodes.get(link.masterId);
      const verdictOut = (masterNode?.health === 'up' && (masterNode.sampledAt <= previous.time || (masterNode.sampledAt <= since && link.masterSideState === 'online')))
        || brokenSocketOnly(masterNode)
        || hungTooBrieflyForTimeout(masterNode, nodes.get(link.replicaId), reportedAt)
        || replicaVerdictOut(link, masterNode, nodes.get(link.replicaId), reportedAt);
      if (verdictOut && current.time - since < MASTER_VERDICT_WAIT_MS) {
        memory.deferLinkDown({ linkId: link.id, masterId: link.masterId, replicaId: link.replicaId, since, reportedAt });
        continue;
      }
      const master = masterDownCause(masterNode);
      const dropped = master ? null : droppedByMaster(link, masterNode, nodes.get(link.replicaId), current.time) ?? upstreamFullSync(masterNode, memory, since, { replicaId: link.replicaId, counted });
      const why = master?.why ?? dropped?.why ?? '';
      event('link-down', link.replicaId, link.masterId, master?.cause ?? dropped?.cause ?? 'unknown', `link ${link.masterId} -> ${link.replicaId} is down${why}${downDetail(link, current)}`, {
        replicaOffset: link.replicaOffset, headroomBytes: link.backlogHeadroomBytes, ...(master ? { masterHealth: master.health } : {}),
      }, since);
      continue;
    }
    // An online link whose master now holds a full sync for the replica (slaveN state=wait_bgsave, the
    // snapshot delayed by repl-diskless-sync-delay or a BGSAVE in progress) went down between two polls:
    // the replica reconnected and its PSYNC was answered with a full sync the master has not started.
    // The link shows as syncing (snapshot-builder.ts), yet the drop is a link-down, with the reason
    // the full resync follows, as for a link seen down.
    if (held === undefined && old?.state === 'online' && link.state === 'syncing' && link.masterSideState === 'wait_bgsave') {
      const upstream = upstreamFullSync(nodes.get(link.masterId), memory, nodes.get(link.replicaId)?.sampledAt ?? current.time, { replicaId: link.replicaId, counted });
      event('link-down', link.replicaId, link.masterId, upstream?.cause ?? 'unknown', `link ${link.masterId} -> ${link.replicaId} went down${upstream?.why ?? ''} and ${link.masterId} holds a full sync for it (state=wait_bgsave)${downDetail(link, current)}`, {
        replicaOffset: link.replicaOffset, headroomBytes: link.backlogHeadroomBytes,
      }, nodes.get(link.replicaId)?.sampledAt ?? current.time);
      continue;
    }
    // Back before its master's verdict came: it was down all the same. A serving replica's own recent full sync
    // (it drops its replicas as it begins) still says why: under load its answer of the poll that saw the link
    // down can be overdue (the verdict held), and the link up again by its next (chain-resyncs.test.ts, engine).
    if (held !== undefined) {
      const upstream = upstreamFullSync(nodes.get(held.masterId), memory, held.since, { replicaId: held.replicaId, counted });
      event('link-down', held.replicaId, held.masterId, upstream?.cause ?? 'unknown', `link ${held.masterId} -> ${held.replicaId} was down${upstream?.why ?? ''}`, {}, held.since);
    }
    if (old && old.state !== 'online' && link.state === 'online') {
      event('link-up', link.replicaId, link.masterId, 'unknown', `link ${link.masterId} -> ${link.replicaId} is up`, { replicaOffset: link.replicaOffset });
    } else if (!old && link.state === 'online' && movedHere(link, previous, memory)) {
      event('link-up', link.replicaId, link.masterId, 'unknown', `link ${link.masterId} -> ${link.replicaId} is up (${link.replicaId} ${movedFrom(link, previous)})`, { replicaOffset: link.replicaOffset });
    }
  }
  for (const held of pending.values()) {
    // Gone from the snapshot (its master no longer lists it, and it does not answer): its own verdict says why,
    // once a fresh dial gave it (a broken socket says nothing yet).
    if (brokenSocketOnly(nodes.get(held.replicaId)) && current.time - held.since < MASTER_VERDICT_WAIT_MS) {
      memory.deferLinkDown(held);
      continue;
    }
    const gone = replicaGone(nodes.get(held.replicaId));
    event('link-down', held.replicaId, held.masterId, gone === null ? 'unknown' : 'connection-refused', `link ${held.masterId} -> ${held.replicaId} was down${gone === null ? '' : `: ${held.masterId} no longer lists ${held.replicaId} among its replicas${gone}`}`, {}, held.since);
  }
  for (const old of previous.links) {
    if (present.has(old.id) || old.state === 'down') continue;
    if (nodes.get(old.masterId)?.health !== 'up') continue;
    // What the replica says now, when it answers: it left (promoted, or following another master), not only "not listed".
    // A replica whose port refuses connections this poll is gone: the master dropped the link because the replica's
    // process closed it ("Connection with replica ... lost" in the master's log), not for a reason of its own.
    const replica = nodes.get(old.replicaId);
    // Its old socket broke and the fresh dial has not answered yet: the replica's verdict (refused, up) is waited for.
    if (brokenSocketOnly(replica)) {
      memory.deferLinkDown({ linkId: old.id, masterId: old.masterId, replicaId: old.replicaId, since: current.time, reportedAt: replica?.sampledAt ?? current.time });
      continue;
    }
    const gone = replicaGone(replica);
    const now = gone !== null ? gone
      : replica?.health !== 'up' ? ''
        : replica.role === 'master' ? `: ${old.replicaId} is now a master`
          : replica.masterHost !== null && `${replica.masterHost}:${replica.masterPort}` !== old.masterId ? `: ${old.replicaId} now follows ${replica.masterHost}:${replica.masterPort}` : '';
    event('link-down', old.replicaId, old.masterId, gone !== null ? 'connection-refused' : 'unknown', `link ${old.masterId} -> ${old.replicaId} is down: ${old.masterId} no longer lists ${old.replicaId} among its replicas${now}`, { replicaOffset: old.replicaOffset });
  }
}

/**
 * A link seen for the first time, already online, whose replica this
 * console knew following another master or being a master itself: it was
 * re-pointed here (Sentinel's SLAVEOF <new master> after a failover, its
 * +convert-to-slave of an old master, an operator's REPLICAOF), and its
 * handshake and PSYNC fell between two polls (a partial resync takes
 * milliseconds). Its link came up all the same, and is said to: the
 * link-up of a link first seen syncing is not the only one. A replica
 * first seen by this console (at attach, or newly started) has no earlier
 * master to leave, and says nothing.
 */
function movedHere(link: LinkSnapshot, previous: TopologySnapshot, memory: ReplicationMemory): boolean {
  const last = memory.lastUpState(link.replicaId);
  if (last === undefined) return false;
  if (last.role === 'master') return true;
  return previous.links.some((earlier) => earlier.replicaId === link.replicaId && earlier.masterId !== link.masterId);
}

function movedFrom(link: LinkSnapshot, previous: TopologySnapshot): string {
  const earlier = previous.links.find((candidate) => candidate.replicaId === link.replicaId && candidate.masterId !== link.masterId);
  return earlier === undefined ? 'was a master' : `followed ${earlier.masterId}`;
}

/**
 * A replica that answers and no longer follows a master that does not
 * answer this console (hung, unreachable): its link with that master ended
 * when it was made a master or pointed elsewhere (Sentinel's SLAVEOF NO ONE
 * or SLAVEOF <new master> to the replicas of a SIGSTOPped master; their
 * logs say "Connection with master lost"). The silent master cannot say it
 * (its last replica list, still shown, keeps the replica), and the link may
 * never be seen down: the replica's word is the truth. Recorded once, when
 * the replica is first seen moved, with the cause left to the evidence
 * (event-detector.ts puts it down to Sentinel's notice). A master that
 * answers says it itself (it no longer lists the replica, above).
 */
function movedAwayFromSilentMaster(previous: TopologySnapshot, current: TopologySnapshot, memory: ReplicationMemory, event: EventSink): Set<string> {
  const moved = new Set<string>();
  const nodes = new Map(current.nodes.map((node) => [node.id, node]));
  for (const replica of current.nodes) {
    if (replica.health !== 'up' || replica.stale) continue;
    const last = memory.lastUpState(replica.id);
    if (!last || last.role !== 'replica') continue;
    const same = replica.role === 'replica' && replica.masterHost === last.masterHost && replica.masterPort === last.masterPort;
    if (same || (replica.role !== 'master' && replica.role !== 'replica')) continue;
    for (const old of previous.links) {
      if (old.replicaId !== replica.id || old.state === 'down' || moved.has(old.id)) continue;
      const master = nodes.get(old.masterId);
      if (master === undefined || (master.health === 'up' && !master.stale)) continue;
      const now = replica.role === 'master' ? 'it is a master now' : `it follows ${replica.masterHost}:${replica.masterPort} now`;
      event('link-down', replica.id, old.masterId, 'unknown', `link ${old.masterId} -> ${replica.id} is down: ${replica.id} no longer follows ${old.masterId} (${now}), and ${old.masterId} does not answer (${master.health})`, {
        replicaOffset: old.replicaOffset,
      }, replica.sampledAt);
      moved.add(old.id);
    }
  }
  return moved;
}

/**
 * A node whose failure is only its old socket breaking (ECONNRESET, EPIPE,
 * "Connection is closed"): no verdict on the process yet. A killed
 * process's socket breaks first; the fresh dial after it is refused. Under
 * load the sampler's one redial may not get its answer within the request's
 * deadline (a dial reset by the dying listener waits ioredis's backoff), so
 * the events that name why wait for the next polls' dials.
 */
function brokenSocketOnly(node: NodeSnapshot | undefined): boolean {
  return node?.health === 'unreachable' && (node.healthProblem === 'connection-reset' || node.healthProblem === 'connection-closed');
}

/**
 * A master that reads hung (its last poll timed out) but has been silent
 * for less than the replica's repl-timeout when the replica reported its
 * link down: the replica cannot have dropped it for silence yet (it logs
 * "MASTER timeout: no data nor PING received..." only after repl-timeout),
 * so the link went for another reason, most often the hung process being
 * killed (its socket closes at once; the replica's next dial is refused).
 * The master's request of this poll is then still out (the sampler redials
 * the socket the dead process broke): its verdict is waited for. The
 * replica's own repl-timeout (its polled CONFIG GET), 60 s (Redis's
 * default) when not known.
 */
function hungTooBrieflyForTimeout(master: NodeSnapshot | undefined, replica: NodeSnapshot | undefined, reportedAt: number): boolean {
  if (master?.health !== 'hung') return false;
  const replTimeout = Number(replica?.config?.['repl-timeout'] ?? 60);
  const silentSeconds = (reportedAt - master.sampledAt) / 1000;
  return Number.isFinite(replTimeout) && silentSeconds < replTimeout - 1;
}

/**
 * Why a replica's link is down when its master does not answer this
 * console in the same poll either (Redis 7.0's INFO gives the replica's
 * link state, not the reason; its log says "Connection with master lost",
 * then "Error condition on socket for SYNC: Connection refused"):
 *  - unreachable: the master is gone from where the replica dials it. A
 *    refused connection (ECONNREFUSED, named by connection-failure.ts in the
 *    health detail) means nothing listens on its port any more: its process
 *    is gone (killed, crashed, shut down), as the replica's own reconnects
 *    are refused;
 *  - hung: the master accepts connections but answers nothing (stopped,
 *    busy in a script): the replica drops a silent master after
 *    repl-timeout, a timeout.
 * A master that answers, or is not watched, says nothing: null.
 */
function masterDownCause(master: NodeSnapshot | undefined): { cause: CauseCode; why: string; health: string } | null {
  if (master?.health === 'unreachable') {
    const refused = master.healthProblem === 'refused';
    const why = refused
      ? `: its master ${master.id} refuses connections (ECONNREFUSED): its process is gone (killed, crashed or shut down)`
      : `: its master ${master.id} is unreachable (${master.healthDetail ?? 'no detail'})`;
    return { cause: 'master-unreachable', why, health: refused ? 'refused' : 'unreachable' };
  }
  if (master?.health === 'hung') return { cause: 'timeout', why: `: its master ${master.id} accepts connections but answers nothing (hung), and a replica drops a silent master after repl-timeout`, health: 'hung' };
  return null;
}

/**
 * A replica whose port refuses connections (ECONNREFUSED, a fresh dial's
 * verdict): its process is gone, and that is why its master dropped the
 * link (the master's log: "Connection with replica <addr> lost."; the
 * connection closed, no repl-timeout). The words for the link-down, or null.
 */
function replicaGone(replica: NodeSnapshot | undefined): string | null {
  if (replica?.health !== 'unreachable' || replica.healthProblem !== 'refused') return null;
  return `: ${replica.id} refuses connections (ECONNREFUSED): its process is gone (killed, crashed or shut down)`;
}

/**
 * A link its master no longer lists while the replica's own answer of this
 * poll is still out (stale 'up': the sampler redials a socket a dying
 * process broke) or is only a broken socket: the replica's verdict (refused,
 * hung, up) says why, and is waited for as the master's is.
 *
 * So is a replica whose "link up" came before the master's answer without
 * it, and which has not answered since the link-down was first seen
 * (`reportedAt`): a sample shows a node's last answer, unmarked, for up to a
 * poll interval while its next request is out, and a replica killed after
 * it answered (kill -9: the master logs "Connection with replica ... lost"
 * at once) still reads "up" there. Seen on both node kinds, 6 runs in 25 of
 * replica-killed-link-down.test.ts: the poll after the kill had the
 * replica's answer from before it, its dial of this poll still out, and the
 * link-down said only "is down", cause unknown; its next answer was
 * ECONNREFUSED. A replica that answers again after the master's drop and
 * still says "up" has not noticed it (a partition, a frozen process): that
 * is its verdict, filed at once.
 */
function replicaVerdictOut(link: LinkSnapshot, master: NodeSnapshot | undefined, replica: NodeSnapshot | undefined, reportedAt: number): boolean {
  if (link.masterSideState !== null || master?.health !== 'up' || master.stale || replica === undefined) return false;
  if ((replica.stale && replica.health === 'up') || brokenSocketOnly(replica)) return true;
  return replica.health === 'up' && replica.masterLinkStatus === 'up' && replica.sampledAt <= reportedAt && replica.sampledAt < master.sampledAt;
}

/**
 * A replica in the middle of a chain drops its own replicas when a full sync from its master begins
 * (redis-server 7.0 logs "Connection with replica <id> lost." right after "Discarding previously cached
 * master state"): a link-down of such a node's replica while its own full sync is recent is that
 * sync's doing, the same cause as the sub-replica's full resync that follows (upstream-resync). Seen
 * on a chain whose middle was stopped past its master's backlog: the leaf's link-down said "cause
 * unknown" beside a full resync "its own master had just full-synced". Options: `synced`, whether that
 * full sync is recent (by default the memory's word); `replicaId`, the replica whose link went down; `counted`, the
 * nodes whose full sync this poll's counter moves count (countedFullSyncs).
 */
export function upstreamFullSync(serving: NodeSnapshot | undefined, memory: ReplicationMemory, time: number, options: { readonly synced?: boolean; readonly replicaId?: string; readonly counted?: ReadonlySet<string> } = {}): { cause: CauseCode; why: string } | null {
  // Or counted by its master and not attributed yet (this poll's moves, or earlier ones not settled): under load
  // its replica's drop is seen before it settles.
  const id = serving?.id ?? '';
  const synced = options.synced ?? (memory.fullSyncedRecently(id, time) || memory.fullSyncPending(id) || (options.counted?.has(id) ?? false));
  // A serving node that restarted dropped its replicas with its process, not with its full sync.
  if (serving === undefined || serving.role !== 'replica' || !synced || memory.restartedRecently(serving, time)) return null;
  // That sync drops each replica once, and the replica's first resync after it is a full one (the serving node's
  // backlog started anew): a replica that full-synced since lost a later link to something else (a CLIENT KILL on
  // the serving node, seen on redis-server 7.0 within 30 s of the middle's full sync: "cause unknown" is left for
  // the detector to find the kill in INFO commandstats).
  if (options.replicaId !== undefined && memory.fullSyncedAfter(options.replicaId, serving.id)) return null;
  const from = serving.masterHost === null ? 'its master' : `${serving.masterHost}:${serving.masterPort}`;
  return { cause: 'upstream-resync', why: `: ${serving.id} dropped its replicas as its own full sync from ${from} began` };
}

/**
 * A link whose replica does not answer this console is down on its
 * master's word alone: the master answered and no longer lists the replica
 * (snapshot-builder.ts). Said so, with the replica's own state, since the
 * replica cannot say why (a master drops a silent replica after
 * repl-timeout, or for its output-buffer limit). A replica silent to this
 * console for the master's repl-timeout (its polled CONFIG GET) or longer
 * sent its master no ACK either: the master dropped it for that
 * (replicationCron: "Disconnecting timedout replica"), cause timeout.
 */
function droppedByMaster(link: LinkSnapshot, master: NodeSnapshot | undefined, replica: NodeSnapshot | undefined, now: number): { cause: CauseCode; why: string } | null {
  if (link.masterSideState !== null || master?.health !== 'up' || master.stale) return null;
  if (replica !== undefined && !replica.stale && replica.health === 'up' && replica.masterLinkStatus === 'up') return stillSaysUp(link);
  if (replica !== undefined && !replica.stale && (replica.health === 'up' || replica.health === 'loading')) return null;
  const gone = replicaGone(replica);
  if (gone !== null) return { cause: 'connection-refused', why: `: ${link.masterId} no longer lists ${link.replicaId} among its replicas${gone}` };
  const silent = replica === undefined ? 'it is not polled' : replica.stale ? (replica.staleReason ?? 'it did not answer this poll') : `it is ${replica.health}`;
  const why = `: ${link.masterId} no longer lists ${link.replicaId} among its replicas, and ${link.replicaId} does not answer (${silent})`;
  const replTimeout = Number(master.config?.['repl-timeout'] ?? NaN);
  const silentSeconds = replica === undefined ? 0 : (now - replica.sampledAt) / 1000;
  // INFO's ACK age has one-second resolution, and the replica may have ACKed up to a second after its last answer.
  if (Number.isFinite(replTimeout) && replTimeout > 0 && silentSeconds >= replTimeout - 1) {
    return { cause: 'timeout', why: `${why}: silent for ${Math.round(silentSeconds)} s, past ${link.masterId}'s repl-timeout (${replTimeout} s), it sent no ACK either, and a master drops such a replica ("Disconnecting timedout replica")` };
  }
  return { cause: 'unknown', why };
}

/**
 * A link its master, answering, no longer lists while the replica, answering
 * after that (replicaVerdictOut waits for such an answer), still says
 * master_link_status:up: the master holds no connection for it, and the
 * replica has not seen its connection close. Seen behind a network
 * partition (the master dropped it for repl-timeout, "Disconnecting
 * timedout replica", its close held with everything else) and for a
 * replica woken from SIGSTOP that answers before it reads the close. Which
 * of them, neither node's INFO says: the cause stays unknown, the words
 * say what each end says.
 */
function stillSaysUp(link: LinkSnapshot): { cause: CauseCode; why: string } {
  return {
    cause: 'unknown',
    why: `: ${link.masterId} no longer lists ${link.replicaId} among its replicas, while ${link.replicaId} still says its link is up (master_link_status:up): ${link.masterId} holds no connection for it and nothing streams to it, and ${link.replicaId} has not seen its connection close (a network partition between them, or ${link.replicaId} was stopped)`,
  };
}

/**
 * What the link's state foretells. A partial resync is impossible either
 * because the replica follows a history the master does not have (its
 * replid is neither the master's id nor its replid2: Redis answers
 * "Replication ID mismatch") or because its offset left the backlog.
 */
function downDetail(link: LinkSnapshot, current: TopologySnapshot): string {
  if (link.partialResyncPossible === false) {
    const master = current.nodes.find((node) => node.id === link.masterId);
    const replica = current.nodes.find((node) => node.id === link.replicaId);
    const known = master && replica?.replid ? replica.replid === master.replid || replica.replid === master.replid2 : true;
    if (!known) return `; ${link.masterId} does not have the replication history ${link.replicaId} follows (${short(replica!.replid)}; its own is ${short(master!.replid)}${master!.replid2 && !/^0+$/.test(master!.replid2) ? `, before it ${short(master!.replid2)}` : ''}): a full resync will follow`;
    const pastPromotion = master && replica && replica.replid === master.replid2 && link.replicaOffset !== null && master.secondReplOffset !== null && link.replicaOffset + 1 > master.secondReplOffset;
    if (pastPromotion) return `; ${link.replicaId} is past offset ${master.secondReplOffset}, where ${link.masterId} took over its history: a full resync will follow`;
    return '; the replica is already outside the backlog: a full resync will follow';
  }
  if (link.partialResyncCountdownSeconds !== null) return `; a partial resync stays possible for about ${Math.round(link.partialResyncCountdownSeconds)} s at the current write rate`;
  return '';
}

function short(id: string | null): string {
  return id ? id.slice(0, 8) : '?';
}
