/**
 * Which replica each move of a node's sync counters was for. sync_full,
 * sync_partial_ok and sync_partial_err count on the node that serves the
 * sync — a master, or a replica in the middle of a chain — and say nothing
 * of the replica. The candidates, in order of evidence:
 *
 *  1. its links that were not online (or missing) at some poll in the few
 *     seconds before the counters moved, or whose replica restarted (until
 *     its link is seen online after the restart by the counters the move
 *     is measured from: that restart's resync is counted in them), or
 *     that this console cut (Disconnect link, Force full resync); when
 *     those are more than the partial counts, the ones this console cut,
 *     if they match. A link the poll before saw in the middle of a full
 *     sync is no candidate for a partial count (the replica has nothing
 *     to continue from; a replica still ending its initial sync at the
 *     console's first polls took another replica's partial resync).
 *     Trouble that a poll saw end (the link online again)
 *     before the serving node's counters were last read is no candidate:
 *     the resync that ended it is in those counters already (a link the
 *     console's first poll saw still in its initial sync must not take the
 *     count of another replica's resync seconds later). Trouble seen ending
 *     only after they were read may be this move's or counted already: such
 *     a link is a candidate for a partial count only when its connection is
 *     new (not listed by the node with that INFO), when that can be read.
 *     The target of this
 *     console's Force full resync is the full one;
 *  2. when those do not account for every count (a link that drops and
 *     comes back between two polls looks online both times, e.g. after
 *     CLIENT KILL TYPE replica), the replicas whose connection to the node
 *     is younger than the time since the previous poll and was not listed
 *     by the node with its previous INFO (replica-connections.ts).
 *
 * A node with a single replica, at this poll and the one before, gives it
 * every count: one replica can resync more than once between two polls (a
 * sub-replica whose upstream runs REPLICAOF NO ONE then REPLICAOF continues
 * partially, then full-syncs once its upstream has loaded a new history).
 *
 * A full resync is held until its replica answers (a restarted one may not
 * yet, a frozen one answers nothing), for at most SETTLE_MS (longer while
 * the replica refuses connections: it is restarting, and the console
 * dials it once a second; a master Sentinel demotes needs no wait for its
 * answer as a replica: its serving node's listing shows the demotion,
 * resync-cause.ts demotedUnanswered); a partial one is settled at once, unless a
 * candidate's replica refuses the dial while its master lists it online
 * (restarted, or a connection that never dropped: its next answer tells),
 * for at most SETTLE_UNREACHABLE_MS. Every attributed resync comes with its link-down
 * first: when no link-down was recorded since the link was last seen
 * online, one is made from the evidence (the connection's age when known).
 */
import type { Redis } from 'ioredis';
import type { CauseCode, ReplicationEvent } from '../../../shared/contract/events';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import { fullResyncCause } from './resync-cause';
import type { ReplicationMemory } from './replication-memory';
import { youngReplicaConnections, type ReplicaConnectionBaselines } from './replica-connections';

const SETTLE_MS = 3000;
/** A replica that refuses connections (restarting) or is being reconnected to is waited for longer than a frozen one. */
const SETTLE_UNREACHABLE_MS = 12_000;
/** How far back a link's trouble makes it a candidate. */
const LOOKBACK_MS = 5000;

export interface CounterMove {
  readonly servingId: string;
  readonly detectedAt: number;
  /** When the previous poll was taken: a reconnect between the two polls is younger than this. */
  readonly previousPollAt: number;
  readonly full: number;
  readonly partial: number;
  readonly refused: number;
  readonly servingBefore: NodeSnapshot;
  /** The serving node in the poll where its counters moved. */
  readonly servingNow: NodeSnapshot;
  /** The serving node's links at the poll before the counters moved. */
  readonly linksBefore: ReadonlyMap<string, LinkSnapshot>;
  /** Every node as it last answered before this poll. */
  readonly nodesBefore: ReadonlyMap<string, NodeSnapshot>;
  /** When each of the serving node's links was last seen online before this poll. */
  readonly lastOnline: ReadonlyMap<string, number>;
  readonly counterText: string;
  readonly numbers: ReplicationEvent['numbers'];
  /** Replicas with a young connection, once asked (null: could not be read). */
  young?: Map<string, number> | null;
  /** Candidate links whose replica refused the dial while listed online at the first attempt (see refusedButListed). */
  undecided?: ReadonlySet<string>;
  /** The command-evidence poll number of the poll that saw the move. */
  readonly poll?: number;
}

export interface SettledResync {
  readonly kind: 'full-resync' | 'partial-resync' | 'partial-resync-refused';
  readonly time: number;
  readonly servingId: string;
  readonly replicaId: string | null;
  readonly cause: CauseCode;
  readonly message: string;
  readonly numbers: ReplicationEvent['numbers'];
  /** The counters' move as read off the serving node's INFO: "sync_partial_ok 0 -> 1". */
  readonly counterText: string;
  /** The link-down to record before it, when none was. */
  readonly linkDown: { readonly time: number; readonly message: string } | null;
  /** The command-evidence poll number of the poll that saw the counters move. */
  readonly poll: number | null;
}

export interface ResyncSources {
  readonly memory: ReplicationMemory;
  /** The replica connections each node listed before its INFO polls. */
  readonly connections: ReplicaConnectionBaselines;
  client(nodeId: string): Redis | undefined;
}

/** What one PSYNC adds to the serving node's counters, by its answer (the tap asks with the node's own replid). */
const PSYNC_COUNTS: Record<string, { full: number; partial: number; refused: number } | undefined> = {
  continue: { full: 0, partial: 1, refused: 0 },
  // A PSYNC with a replid that cannot continue: sync_partial_err and sync_full.
  'full-resync': { full: 1, partial: 0, refused: 1 },
  'full-resync-queued': { full: 1, partial: 0, refused: 1 },
  error: { full: 0, partial: 0, refused: 0 },
};
/** A PSYNC of this console's own (the stream tap) is matched with a counter move at most this long after it. */
const OWN_PSYNC_KEPT_MS = 30_000;

interface OwnPsync {
  readonly servingId: string;
  readonly sentAt: number;
  /** The answer's kind; null until it arrives. */
  kind: string | null;
}

export class ResyncAttribution {
  private readonly pending: CounterMove[] = [];
  private readonly ownPsyncs: OwnPsync[] = [];

  constructor(private readonly sources: ResyncSources) {}

  add(move: CounterMove): void {
    this.pending.push(move);
  }

  /**
   * This console's stream tap is about to PSYNC the node: the counter it
   * moves there (sync_partial_ok for +CONTINUE) is no replica's resync. The
   * returned function takes the answer's kind.
   */
  noteOwnPsync(servingId: string, sentAt: number): (kind: string) => void {
    const own: OwnPsync = { servingId, sentAt, kind: null };
    this.ownPsyncs.push(own);
    return (kind) => {
      own.kind = kind;
    };
  }

  /**
   * The move less the counts of this console's own PSYNCs sent between the
   * two polls it spans; null when nothing is left, 'wait' while such a
   * PSYNC's answer has not arrived yet.
   */
  private withoutOwnPsyncs(move: CounterMove): CounterMove | null | 'wait' {
    const now = Date.now();
    for (let index = this.ownPsyncs.length - 1; index >= 0; index--) if (now - this.ownPsyncs[index]!.sentAt > OWN_PSYNC_KEPT_MS) this.ownPsyncs.splice(index, 1);
    const mine = this.ownPsyncs.filter((own) => own.servingId === move.servingId && own.sentAt <= move.detectedAt && own.sentAt >= move.previousPollAt - 1000);
    if (mine.length === 0) return move;
    if (mine.some((own) => own.kind === null) && now - move.detectedAt < SETTLE_MS) return 'wait';
    let { full, partial, refused } = move;
    for (const own of mine) {
      const counts = own.kind === null ? undefined : PSYNC_COUNTS[own.kind];
      if (!counts) continue;
      this.ownPsyncs.splice(this.ownPsyncs.indexOf(own), 1);
      full = Math.max(0, full - counts.full);
      partial = Math.max(0, partial - counts.partial);
      refused = Math.max(0, refused - counts.refused);
    }
    return full + partial + refused === 0 ? null : { ...move, full, partial, refused };
  }

  async settle(current: TopologySnapshot): Promise<SettledResync[]> {
    const settled: SettledResync[] = [];
    // Nodes with a full sync of their own pending now: their replicas' resyncs are upstream-caused.
    const upstream = new Set<string>();
    for (const move of this.pending) if (move.full > 0) for (const link of this.troubled(move, current)) upstream.add(link.replicaId);
    for (let index = 0; index < this.pending.length; ) {
      const own = this.withoutOwnPsyncs(this.pending[index]!);
      if (own === 'wait') {
        index++;
        continue;
      }
      if (own === null) {
        this.pending.splice(index, 1);
        continue;
      }
      this.pending[index] = own;
      const move = own;
      const result = await this.attribute(move, current, upstream);
      if (!result) {
        index++;
        continue;
      }
      this.pending.splice(index, 1);
      settled.push(...result);
    }
    // Those still pending: a link-down of their replicas inferred before they settle is their full sync's doing
    // (upstreamFullSync), as their replicas' resyncs are.
    const stillPending = new Set<string>();
    for (const move of this.pending) if (move.full > 0) for (const link of this.troubled(move, current)) stillPending.add(link.replicaId);
    this.sources.memory.notePendingFullSyncs(stillPending);
    return settled;
  }

  private troubled(move: CounterMove, current: TopologySnapshot): LinkSnapshot[] {
    const memory = this.sources.memory;
    return current.links.filter((link) => {
      if (link.masterId !== move.servingId) return false;
      // A link whose last trouble already has its resync (reported at an earlier poll) is not a candidate again.
      if (memory.resyncAttributedSinceTrouble(link.id)) return false;
      if (move.linksBefore.get(link.id)?.state !== 'online') return true;
      // A replica restarted lately whose link has been seen online since the restart, by the counters the
      // move is measured from: its resync is in them already, and so is the trouble of its restart.
      const replica = current.nodes.find((node) => node.id === link.replicaId);
      const restartCounted = replica !== undefined && memory.restartSettledBefore(link.id, replica.id, move.servingBefore.sampledAt);
      // Trouble the counters the move is measured from already account for (the link was seen online
      // again before they were read) is not this move's: the link's first poll, a sync seconds ago.
      if (memory.linkTroubledBetween(link.id, move.detectedAt - LOOKBACK_MS, move.detectedAt) && !memory.troubleSettledBefore(link.id, move.servingBefore.sampledAt) && !restartCounted) return true;
      return replica !== undefined && memory.restartedRecently(replica, current.time) && !restartCounted;
    });
  }

  /**
   * The replicas the counts were for, full ones and partial ones; fewer than
   * the counts where unknown. Null while a full resync's replica is awaited.
   *
   * Full: the troubled links whose replica looks like it full-synced (link
   * not online now, replica restarted or on a new history); else all
   * troubled ones when they are exactly as many as the counts. Partial: the
   * other troubled ones, or else the replicas with a young connection. (A
   * replica in the middle of a full sync has no master client yet, so CLIENT
   * LIST names only replicas that are streaming again: the partial ones.)
   */
  private async pick(move: CounterMove, current: TopologySnapshot, nodes: ReadonlyMap<string, NodeSnapshot>): Promise<{ full: string[]; partial: string[] }> {
    const links = current.links.filter((link) => link.masterId === move.servingId);
    const only = links.length === 1 && [...move.linksBefore.keys()].every((id) => id === links[0]!.id) ? links[0]!.replicaId : null;
    if (only !== null) return { full: Array<string>(move.full).fill(only), partial: Array<string>(move.partial).fill(only) };
    const troubled = this.troubled(move, current).map((link) => link.replicaId);
    const lookedFull = troubled.filter((id) => this.lookedFull(id, move, current, nodes));
    // lookedFull first: when the troubled ones are exactly as many as the counts, the full ones come from the front.
    const ordered = [...lookedFull, ...troubled.filter((id) => !lookedFull.includes(id))];
    const exact = troubled.length === move.full + move.partial;
    let full = move.full === 0 ? [] : lookedFull.length === move.full || exact ? ordered.slice(0, move.full) : [];
    if (full.length < move.full && !exact) {
      // A replica that finished its full sync streams again: its connection is young. Asked again at each
      // attempt, since one still loading has no master client to name it yet.
      move.young = await this.askYoung(move, current);
      const young = [...(move.young?.keys() ?? [])];
      if (young.length === move.full + move.partial) full = [...young.filter((id) => lookedFull.includes(id)), ...young.filter((id) => !lookedFull.includes(id))].slice(0, move.full);
      else if (young.length === move.full && move.partial === 0) full = young;
    }
    let partial = troubled.filter((id) => !full.includes(id) && !this.fullSyncInFlightBefore(`${move.servingId}->${id}`, move) && !this.onlySilent(`${move.servingId}->${id}`, move, current));
    const settledLate = partial.filter((id) => this.settledJustBefore(`${move.servingId}->${id}`, move, current));
    if (move.partial > 0 && settledLate.length > 0) {
      // Seen online again only after the serving node's last counters were read: the resync that ended its
      // trouble may be this move's, or may have been counted already (a group's initial syncs at attach). Its
      // connection tells: one that reconnected for this move is young and not in the node's earlier list.
      // Any age within the look-back: what rules a connection out is that the node listed it with that INFO.
      const reconnected = await this.askYoung(move, current, Math.ceil((Date.now() - move.detectedAt + LOOKBACK_MS) / 1000) + 1);
      if (reconnected) partial = partial.filter((id) => !settledLate.includes(id) || reconnected.has(id));
    }
    if (partial.length > move.partial) {
      // More links in trouble than partial counts (another replica synced moments ago): the links this
      // console cut itself are the ones that reconnected, when they account for the counts exactly.
      const cut = partial.filter((id) => this.sources.memory.linkCutBetween(`${move.servingId}->${id}`, move.detectedAt - LOOKBACK_MS, move.detectedAt));
      if (cut.length === move.partial) partial = cut;
    }
    if (move.partial > 0 && partial.length !== move.partial) {
      move.young ??= await this.askYoung(move, current);
      const young = [...(move.young?.keys() ?? [])].filter((id) => !full.includes(id));
      if (young.length === move.partial) partial = young;
      else if (partial.length > move.partial) partial = [];
    }
    return { full, partial: partial.slice(0, move.partial) };
  }

  private async attribute(move: CounterMove, current: TopologySnapshot, upstream: ReadonlySet<string>): Promise<SettledResync[] | null> {
    // A partial count with a candidate refusing the dial while listed online: wait for its next answer, or
    // for its master to drop it; past the patience it is taken for a connection that never dropped. Taken at
    // the first attempt: a later poll's trouble is past the look-back, and the refusing link is a candidate
    // again only by a restart its answer shows (restartedRecently).
    move.undecided ??= new Set(move.partial > 0 ? this.troubled(move, current).filter((link) => this.refusedButListed(link, current)).map((link) => link.id) : []);
    const undecided = current.links.some((link) => move.undecided?.has(link.id) === true && this.refusedButListed(link, current));
    if (undecided && current.time - move.detectedAt < SETTLE_UNREACHABLE_MS) return null;
    const nodes = new Map(current.nodes.map((node) => [node.id, node]));
    const { full: fullReplicas, partial: partialReplicas } = await this.pick(move, current, nodes);
    const notReady = fullReplicas.map((id) => nodes.get(id)).filter((replica) => !(replica?.health === 'up' && !replica.stale && replica.runId !== null));
    const waiting = fullReplicas.length < move.full || notReady.length > 0;
    const patience = notReady.some((replica) => replica?.health === 'unreachable') ? SETTLE_UNREACHABLE_MS : SETTLE_MS;
    if (waiting && current.time - move.detectedAt < patience) return null;

    const events: SettledResync[] = [];
    const linkDownMade = new Set<string>();
    const serving = nodes.get(move.servingId) ?? move.servingBefore;
    for (let i = 0; i < move.full; i++) {
      const replicaId = fullReplicas[i] ?? null;
      const link = replicaId ? current.links.find((candidate) => candidate.masterId === move.servingId && candidate.replicaId === replicaId) ?? null : null;
      const { cause, why } = fullResyncCause({
        detectedAt: move.detectedAt, master: serving, masterBefore: move.servingBefore, masterAtDetection: move.servingNow, link, linkBefore: link ? move.linksBefore.get(link.id) ?? null : null,
        replica: replicaId ? nodes.get(replicaId) ?? null : null, replicaBefore: replicaId ? move.nodesBefore.get(replicaId) ?? null : null,
        partialRefused: move.refused > 0, everyFullRefused: move.refused >= move.full, upstreamResynced: upstream.has(move.servingId) || this.sources.memory.fullSyncedRecently(move.servingId, move.detectedAt),
      }, this.sources.memory);
      if (replicaId) this.sources.memory.fullSyncStarted(replicaId, move.detectedAt);
      events.push(this.event(move, 'full-resync', replicaId, cause, `${move.servingId} started a full resync${replicaId ? ` of ${replicaId}` : ' (the replica could not be told)'} (${move.counterText})${why ? `: ${why}` : ''}`, linkDownMade));
    }
    for (let i = 0; i < move.partial; i++) {
      const replicaId = partialReplicas[i] ?? null;
      events.push(this.event(move, 'partial-resync', replicaId, 'unknown', `${move.servingId} accepted a partial resync${replicaId ? ` from ${replicaId}` : ' (the replica could not be told)'} (${move.counterText})`, linkDownMade));
    }
    if (move.refused > 0 && move.full === 0) {
      events.push(this.event(move, 'partial-resync-refused', fullReplicas[0] ?? partialReplicas[0] ?? null, 'unknown', `${move.servingId} refused ${move.refused} partial resync request(s) (${move.counterText})`));
    }
    return events;
  }

  /**
   * Whether the link was in the middle of a full sync at the poll before
   * the move: the replica said so (master_sync_in_progress, after
   * +FULLRESYNC, or its master listed it state=wait_bgsave: the sync is
   * accepted, the snapshot not started), or its master listed it waiting
   * for or receiving its transfer (wait_bgsave, send_bulk). Such a replica
   * is no candidate for a partial resync of the move: it has nothing to
   * continue from (a fresh replica has no cached master, one that got
   * +FULLRESYNC discarded its cache, and one still waiting for the snapshot
   * to start would ask again with the PSYNC just refused). Only finishing
   * the transfer, going online and dropping again between two polls could
   * make it one, and then its connection is new (the young-connection
   * evidence). Its sync_full was counted when the master took its SYNC or
   * PSYNC, before this move.
   */
  private fullSyncInFlightBefore(linkId: string, move: CounterMove): boolean {
    const before = move.linksBefore.get(linkId);
    if (!before || before.stale) return false;
    return before.state === 'syncing' || before.masterSideState === 'wait_bgsave' || before.masterSideState === 'send_bulk';
  }

  /**
   * Whether the link's only trouble in the look-back was an end that did not
   * answer (a replica too busy to answer a poll in time, or stopped) while
   * its state stayed online: online at the poll before the move, not seen
   * down, syncing or missing since a poll before the serving node's last
   * counters (a group's initial syncs, seconds ago), not cut by this
   * console, its replica not restarted. That says nothing of a reconnect: such a link is no step-1
   * candidate for a partial resync (one that did reconnect has a new
   * connection, the young-connection evidence).
   */
  private onlySilent(linkId: string, move: CounterMove, current: TopologySnapshot): boolean {
    const memory = this.sources.memory;
    if (move.linksBefore.get(linkId)?.state !== 'online') return false;
    // Down by its state lately, and not seen online again before the counters the move is measured from were read.
    if (memory.linkDownBetween(linkId, move.detectedAt - LOOKBACK_MS, move.detectedAt) && !memory.downSettledBefore(linkId, move.servingBefore.sampledAt)) return false;
    if (memory.linkCutBetween(linkId, move.detectedAt - LOOKBACK_MS, move.detectedAt)) return false;
    const link = current.links.find((candidate) => candidate.id === linkId);
    const replica = link ? current.nodes.find((node) => node.id === link.replicaId) : undefined;
    // A replica refusing the dial is decided by its next answer (attribute waits for it, refusedButListed):
    // a new run_id is a restart, whose PSYNC this may be; else the connection its master lists is the old one.
    return !(replica !== undefined && memory.restartedRecently(replica, current.time));
  }

  /**
   * Whether the link's replica refused connections at its last dial, not
   * restarted as far as this console has seen, while its master lists the
   * link online: the connection listed is old or new, and only the replica
   * can tell. Its listener is gone, but a refusal does not say the
   * connection is new: a replica killed between its master's INFO and its
   * own dial is listed online by an INFO read before the master saw the
   * socket close, and one that moved its listener (CONFIG SET port) streams
   * on its old connection. Its next answer tells: a new run_id is a restart
   * (seen on redis-server 7.0: a replica restarted from its RDB continues by
   * PSYNC, its master listing it online throughout, before the console's
   * dial reaches it), the same one a connection that never dropped; a master
   * no longer listing it saw the old connection close.
   */
  private refusedButListed(link: LinkSnapshot, current: TopologySnapshot): boolean {
    const replica = current.nodes.find((node) => node.id === link.replicaId);
    if (!(replica?.health === 'unreachable' && replica.healthProblem === 'refused')) return false;
    return link.masterSideState === 'online' && !this.sources.memory.restartedRecently(replica, current.time);
  }

  /**
   * Whether the link's last trouble a poll saw ended before this move, only
   * after the serving node's counters the move is measured from were read:
   * online at the poll before the move and seen online again after its
   * trouble (troubleSettledBefore, which a cut by this console unsettles),
   * not down by its state since, its replica not restarted. The resync that
   * ended it was counted either in that INFO or in this move; only the
   * replica's connection on the serving node can tell (a replica whose
   * initial sync ended at the console's first polls took the partial resync
   * of another replica killed a second later).
   */
  private settledJustBefore(linkId: string, move: CounterMove, current: TopologySnapshot): boolean {
    const memory = this.sources.memory;
    const before = move.linksBefore.get(linkId);
    if (!before || before.stale || before.state !== 'online') return false;
    if (!memory.troubleSettledBefore(linkId, move.detectedAt) || !memory.downSettledBefore(linkId, move.detectedAt)) return false;
    if (memory.linkCutBetween(linkId, move.detectedAt - LOOKBACK_MS, move.detectedAt)) return false;
    const link = current.links.find((candidate) => candidate.id === linkId);
    const replica = link ? current.nodes.find((node) => node.id === link.replicaId) : undefined;
    return !(replica !== undefined && memory.restartedRecently(replica, current.time));
  }

  private lookedFull(replicaId: string, move: CounterMove, current: TopologySnapshot, nodes: ReadonlyMap<string, NodeSnapshot>): boolean {
    const link = current.links.find((candidate) => candidate.masterId === move.servingId && candidate.replicaId === replicaId);
    const replica = nodes.get(replicaId);
    const before = move.nodesBefore.get(replicaId);
    if (link && link.state !== 'online') return true;
    if (replica && this.sources.memory.restartedRecently(replica, current.time)) return true;
    // The target of this console's Force full resync: its PSYNC carries an id the master never issued.
    if (this.sources.memory.fullSyncForcedBetween(`${move.servingId}->${replicaId}`, move.detectedAt - LOOKBACK_MS, move.detectedAt)) return true;
    return replica?.replid !== undefined && before?.replid !== undefined && replica.replid !== before.replid;
  }

  private async askYoung(move: CounterMove, current: TopologySnapshot, maxAgeSeconds?: number): Promise<Map<string, number> | null> {
    const serving = this.sources.client(move.servingId);
    if (!serving) return null;
    const replicas = new Map<string, Redis>();
    for (const link of current.links) {
      const client = link.masterId === move.servingId ? this.sources.client(link.replicaId) : undefined;
      if (client) replicas.set(link.replicaId, client);
    }
    const maxAge = maxAgeSeconds ?? Math.ceil((Date.now() - move.previousPollAt) / 1000) + 1;
    // Connections the node had at its previous answer (listed just before that INFO, or earlier) did not reconnect since.
    const restarted = move.servingNow.runId !== null && move.servingBefore.runId !== null && move.servingNow.runId !== move.servingBefore.runId;
    const listedBefore = restarted ? null : this.sources.connections.listedBy(move.servingId, move.servingBefore.sampledAt);
    return youngReplicaConnections(serving, replicas, maxAge, listedBefore);
  }

  private event(move: CounterMove, kind: SettledResync['kind'], replicaId: string | null, cause: CauseCode, message: string, linkDownMade?: Set<string>): SettledResync {
    const linkId = replicaId ? `${move.servingId}->${replicaId}` : null;
    if (linkId) this.sources.memory.noteResyncAttributed(linkId, move.detectedAt);
    let linkDown: SettledResync['linkDown'] = null;
    const onlineAt = linkId ? move.lastOnline.get(linkId) : undefined;
    // One link-down per replica and move, however many of its resyncs the move holds.
    if (linkId && replicaId && onlineAt !== undefined && !linkDownMade?.has(linkId) && !this.sources.memory.linkDownRecordedSince(linkId, onlineAt)) {
      linkDownMade?.add(linkId);
      const age = move.young?.get(replicaId);
      const time = age === undefined ? Math.max(move.previousPollAt + 1, move.detectedAt - 1) : Math.min(move.detectedAt - 1, Math.max(move.previousPollAt + 1, move.detectedAt - age * 1000));
      linkDown = {
        time,
        message: `link ${move.servingId} -> ${replicaId} dropped and came back between two polls (${age === undefined ? 'seen from the resync counters' : `its connection on ${move.servingId} is ${age} s old`})`,
      };
    }
    return { kind, time: move.detectedAt, servingId: move.servingId, replicaId, cause, message, numbers: move.numbers, counterText: move.counterText, linkDown, poll: move.poll ?? null };
  }
}
