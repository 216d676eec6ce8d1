/**
 * Why an external node started a full resync of one of its replicas,
 * inferred from what the console saw before it (Redis does not say).
 * Checked in this order, the first that holds wins:
 *
 *  demoted-master        the replica was a master until lately (demoted within
 *                        two minutes, or its last answer, not yet followed by
 *                        one as a replica, said master while the serving node
 *                        lists it as its replica): it restarted (empty, or with its
 *                        RDB's keys but a new replication id), or it
 *                        had written past the point where the new master was
 *                        promoted (its PSYNC asks for an offset beyond
 *                        second_repl_offset: "Requested offset for second ID
 *                        was X, but I can reply up to Y"), or the new master
 *                        does not know its history at all;
 *  replica-restarted-without-cache
 *                        the replica's run_id changed in the last 30 s: it
 *                        restarted and could not present a cached master
 *                        (no PSYNC refused); one that presented the RDB's
 *                        history and was refused is out-of-backlog or
 *                        replid-mismatch (restarted-replica-cause.ts);
 *  upstream-resync       the node serving the sync is itself a replica that
 *                        just restarted or full-synced: its backlog started
 *                        anew, so its own replicas cannot continue;
 *  offset-past-promotion the replica followed the old master's history past
 *                        the point where its new master was promoted (same
 *                        PSYNC refusal as above): those bytes are discarded
 *                        (how many exactly when it was polled already
 *                        following the new master, else at least);
 *  offset-past-promotion the replica's PSYNC was refused while it followed
 *    (refused)           the history this master was promoted from, with an
 *                        offset still inside its backlog: Redis refuses a
 *                        PSYNC on its replid2 only for an offset past
 *                        second_repl_offset (or outside the backlog), so the
 *                        replica had received old-master writes the console
 *                        did not poll (Sentinel re-points a replica a moment
 *                        after the promotion, while the old master writes on);
 *  requested-full        this link was not seen before the resync: a new
 *                        replica asks for everything (PSYNC ? -1). Never when
 *                        every full sync of the poll followed a refused PSYNC:
 *                        Redis counts a PSYNC ? -1 in sync_full alone, a
 *                        refused PSYNC in sync_partial_err as well;
 *  backlog-expired       the master's backlog was inactive at the previous
 *                        poll: repl-backlog-ttl freed it after its last
 *                        replica left, so nothing could be continued (only
 *                        for a replica on a history this node was seen
 *                        with: Redis checks the id first);
 *  output-buffer-limit   the replica's previous full sync never reached
 *                        "online": a replica caught in repeated full syncs
 *                        is almost always cut by `client-output-buffer-limit
 *                        replica` while the snapshot is transferred (the
 *                        master's log says "overcoming of output buffer limits").
 *                        Only when no PSYNC was refused: a replica takes
 *                        +FULLRESYNC by dropping its cached master, so one cut
 *                        during a transfer asks next with PSYNC ? -1, which
 *                        Redis does not count in sync_partial_err. A refused
 *                        PSYNC means the replica had a whole history to offer,
 *                        and a 'syncing' link seen just before was this very
 *                        sync starting (the master and the replica are read
 *                        one after the other in a poll);
 *  out-of-backlog        PSYNC was refused and the replica's last offset on
 *                        the master's history was before the first byte of
 *                        the master's backlog when the counters moved (not
 *                        when the replica had last been seen on a history
 *                        the master never had: that is a mismatch);
 *  replid-mismatch       PSYNC was refused otherwise (the replica follows a
 *                        history this master does not have);
 *  unknown.
 */
import type { CauseCode } from '../../../shared/contract/events';
import type { LinkSnapshot, NodeSnapshot } from '../../../shared/contract/snapshots';
import type { ReplicationMemory } from './replication-memory';
import { restartedReplicaCause } from './restarted-replica-cause';
import { datasetChangesAfter } from './writes-lost';

export interface FullResyncContext {
  /** When the serving node's sync_full moved. */
  readonly detectedAt: number;
  /** The node that served the full sync (a master, or a replica in a chain), now and at the poll before. */
  readonly master: NodeSnapshot;
  readonly masterBefore: NodeSnapshot;
  /** The serving node in the poll where its counters moved. */
  readonly masterAtDetection: NodeSnapshot;
  /** The replica that resynced, when it can be told apart. */
  readonly link: LinkSnapshot | null;
  readonly linkBefore: LinkSnapshot | null;
  readonly replica: NodeSnapshot | null;
  /** The replica as it last answered before the resync (its history and offset then). */
  readonly replicaBefore: NodeSnapshot | null;
  readonly partialRefused: boolean;
  /**
   * Every full sync counted with this one followed a refused PSYNC
   * (sync_partial_err moved as much as sync_full): none was a PSYNC ? -1.
   */
  readonly everyFullRefused: boolean;
  /** The serving node had a full sync of its own start recently (possibly settled in this same poll). */
  readonly upstreamResynced: boolean;
}

/**
 * A replica's last polled offset, named as the lower bound it is (unless it was polled with its link down): a replica
 * only moves forward, and it may apply more before it asks (a stopped one, resumed, first applies what its socket still
 * holds, then finds the link closed). Its PSYNC request is in the master's log ("Replica request was: N"), in no INFO
 * field.
 */
function polledOffset(offset: number, replicaBefore: NodeSnapshot, context: FullResyncContext): string {
  const age = Math.max(0, (context.masterAtDetection.sampledAt - replicaBefore.sampledAt) / 1000);
  // Exact when that answer was given with its link down: a replica that receives nothing applies nothing, and
  // its PSYNC asks for the byte after its cached master's offset, the one it reported (slave_repl_offset). Seen
  // on redis-server 7.0 with a replica held down by a refused AUTH: "Replica request was: 6814", polled at 6813.
  const ownOffset = replicaBefore.slaveReplOffset ?? replicaBefore.masterReplOffset;
  // Not with a sync under way: that answer came after the PSYNC, with the cached master already discarded.
  if (replicaBefore.role === 'replica' && !replicaBefore.stale && replicaBefore.health === 'up' && replicaBefore.masterLinkStatus === 'down' && replicaBefore.sync === null && ownOffset === offset) {
    return `its offset was ${offset} (polled with its link down ${age.toFixed(1)} s before the master's counters showed its PSYNC refused: a replica whose link is down applies nothing more)`;
  }
  return `its offset was at least ${offset} (last polled ${age.toFixed(1)} s before the master's counters showed its PSYNC refused)`;
}

/**
 * Whether the replica's last answer already followed `master` (its
 * master_host:master_port), still on the history `master` took over and at
 * `offset`: it had left the old master, whose stream no longer reached it,
 * so its PSYNC asks for offset + 1 exactly (Redis continues a cached
 * master from its reploff), as the serving node's refusal says ("Requested
 * offset for second ID was offset + 1"). Polled between REPLICAOF and the
 * PSYNC: a new master slow to answer the handshake, or asleep.
 */
function leftOldMasterAt(replicaBefore: NodeSnapshot, master: NodeSnapshot, offset: number): boolean {
  return replicaBefore.role === 'replica' && `${replicaBefore.masterHost}:${replicaBefore.masterPort}` === master.id
    && replicaBefore.replid === master.replid2 && replicaBefore.masterReplOffset === offset;
}

/** Whether a replica on history `replid` at `offset` is past where `master` took that history over. */
function pastPromotionPoint(master: NodeSnapshot, replid: string | null, offset: number | null): boolean {
  return replid !== null && offset !== null && replid === master.replid2 && master.secondReplOffset !== null && master.secondReplOffset > 0 && offset + 1 > master.secondReplOffset;
}

/**
 * What the stream bytes a demoted master took past the promotion point held.
 * Bytes are not writes: Sentinel PUBLISHes its hello to every master it
 * watches every 2 s and PUBLISH is propagated, so an old master nobody writes
 * to still moves its offset. Redis's own count of dataset changes (INFO
 * rdb_changes_since_last_save, which PUBLISH does not move) is the most that
 * can be said of data: `changes` counted across the bytes (some may precede
 * the promotion point, hence "at most"), or null when no two readings under
 * one save bracket them.
 */
function streamContents(changes: number | null, lastPolled: number | null): string {
  if (changes === null) return 'how many of them changed its dataset could not be told (no INFO rdb_changes_since_last_save reading at both ends under one save)';
  // A bound: the node took more after the last poll, and what those held was never read.
  const upTo = lastPolled === null ? '' : ` up to offset ${lastPolled}, the last polled (what it took after that was not read)`;
  if (changes === 0) return `none of them a change to its dataset${upTo} (its INFO rdb_changes_since_last_save did not move: no data writes, only PUBLISH, such as Sentinel's hellos)`;
  return `carrying at most ${changes} change${changes === 1 ? '' : 's'} to its dataset${upTo} (its INFO rdb_changes_since_last_save moved by ${changes}; the rest is stream that changes no data, such as Sentinel's hello PUBLISHes)`;
}

/** What is lost with the discarded bytes, by the same count. */
function discardedWith(changes: number | null, exact: boolean): string {
  if (changes === null || (!exact && changes > 0)) return 'so those bytes are discarded, with whatever writes they held';
  if (changes === 0) return exact ? 'so those bytes are discarded, with no data lost' : 'so those bytes are discarded, with no data lost up to the last polled offset';
  return `so those bytes are discarded, and with them at most ${changes} write${changes === 1 ? '' : 's'}`;
}

function demotedMasterWhy(context: FullResyncContext, memory: ReplicationMemory): string {
  const { master, replica, replicaBefore } = context;
  const id = replica?.id ?? replicaBefore?.id ?? '?';
  if (replica && memory.restartedRecently(replica, context.detectedAt)) {
    // A node that restarts draws a new replication id (a redis-server 7.0 master that loads its RDB keeps the RDB's
    // history only as replid2), and a converted master asks PSYNC with that new id: unknown to the new master,
    // whatever data it loaded. What it loaded at start is INFO rdb_last_load_keys_loaded as polled after the restart
    // and before this resync (same run_id); its keyspace is no evidence, clients may have written to it since.
    const before = replicaBefore !== null && replicaBefore.runId === replica.runId ? replicaBefore : null;
    const loaded = before?.lastLoadKeysLoaded ?? null;
    if (loaded !== null && loaded > 0) return `${id} is a demoted master resyncing: it restarted (run_id changed) and came back with ${loaded} key${loaded === 1 ? '' : 's'} loaded from its RDB (INFO rdb_last_load_keys_loaded) but a new replication id, which ${master.id} does not know: the full sync replaces that data`;
    // No reading between the restart and the resync (both fell between two polls, or the field was not given):
    // the full sync's load overwrites the count, so what it came back with cannot be told afterwards.
    if (loaded === null) return `${id} is a demoted master resyncing: it restarted (run_id changed) with a new replication id, which ${master.id} does not know; whether it came back with data is not known (INFO rdb_last_load_keys_loaded was not read between its restart and this resync)`;
    return `${id} is a demoted master resyncing: it restarted without its data (run_id changed), so it had no history ${master.id} could continue`;
  }
  const history = master.replid2 ?? '';
  const position = memory.positionOn(id, history);
  if (position && pastPromotionPoint(master, history, position.offset)) {
    const bytes = position.offset + 1 - master.secondReplOffset!;
    // Exact only when the offset was read after the demotion (a demoted master takes no writes);
    // otherwise it is the last one polled while the node was master, and it wrote on after it.
    const [took, asked] = position.offsetSeenAsReplica
      ? [`${bytes} bytes`, `offset ${position.offset + 1}`]
      : [`at least ${bytes} bytes`, `an offset past ${position.offset} (the last it was polled at as master)`];
    const refused = `its PSYNC asked for ${asked} of history ${history.slice(0, 8)}, which ${master.id} can serve only up to ${master.secondReplOffset}`;
    const past = `${id} is a demoted master resyncing: it had ${took} of replication stream past the point where ${master.id} was promoted`;
    const changes = datasetChangesAfter(position.readings, master.secondReplOffset! - 1, position.offset);
    const exact = position.offsetSeenAsReplica;
    return `${past}, ${streamContents(changes, exact ? null : position.offset)} — ${refused} — ${discardedWith(changes, exact)}`;
  }
  const replid = replicaBefore?.replid ?? null;
  if (replid && replid !== master.replid && replid !== master.replid2) return `${id} is a demoted master resyncing: its history (replid ${replid.slice(0, 8)}) is unknown to ${master.id}`;
  return `${id} is a demoted master resyncing: its PSYNC could not be continued by ${master.id}`;
}

/**
 * A refused PSYNC of a replica last seen on the serving node's replid2, at an
 * offset the console polled before the promotion point (else the check on
 * its position has answered). Redis refuses a PSYNC on its replid2 only for
 * an offset outside the backlog or past second_repl_offset ("Requested
 * offset for second ID was X, but I can reply up to Y"): inside the backlog,
 * the replica had received more of the old master's history after it was
 * last polled.
 */
function refusedPastPromotion(context: FullResyncContext, memory: ReplicationMemory): { cause: CauseCode; why: string } | null {
  const { master, replicaBefore } = context;
  if (!context.everyFullRefused || !replicaBefore?.replid || replicaBefore.replid !== master.replid2 || master.secondReplOffset === null || master.secondReplOffset <= 0) return null;
  const offset = memory.positionOn(replicaBefore.id, replicaBefore.replid)?.offset ?? replicaBefore.slaveReplOffset ?? replicaBefore.masterReplOffset;
  const firstByte = context.masterAtDetection.backlog?.firstByteOffset ?? null;
  if (offset === null) return null;
  if (firstByte !== null && offset + 1 < firstByte) return { cause: 'out-of-backlog', why: `the replica had fallen out of the backlog: ${polledOffset(offset, replicaBefore, context)} on history ${replicaBefore.replid.slice(0, 8)}, the backlog started at ${firstByte}` };
  return {
    cause: 'offset-past-promotion',
    why: `its PSYNC on history ${replicaBefore.replid.slice(0, 8)} was refused, which ${master.id} continues only up to offset ${master.secondReplOffset} (where it was promoted): ${replicaBefore.id}, last polled at offset ${offset}, had since received writes the old master took after the promotion, and they are discarded`,
  };
}

/**
 * Whether the replica is a master demoted that has not answered since: its
 * last answer (stale now) said master, and the serving node lists it as its
 * replica. Its own answer as a replica is what records a demotion, and may
 * come after the resync is settled (a console connection Sentinel's CLIENT
 * KILL broke, re-dialled under load): the listing stands in for it, so the
 * resync does not wait for that answer nor turn into another cause. Not the target of this console's
 * Force full resync (a master for an instant: REPLICAOF NO ONE, then
 * REPLICAOF), whose resync is the replid mismatch.
 */
function demotedUnanswered(context: FullResyncContext, memory: ReplicationMemory): boolean {
  const { replica, link } = context;
  if (!replica || !link || link.masterSideState === null) return false;
  if (!(replica.stale || replica.health !== 'up') || replica.role !== 'master') return false;
  return !memory.fullSyncForcedBetween(link.id, context.detectedAt - DEMOTION_EVIDENCE_LOOKBACK_MS, context.detectedAt);
}

/** How far back this console's own Force full resync of the link explains a master-for-an-instant replica. */
const DEMOTION_EVIDENCE_LOOKBACK_MS = 30_000;

export function fullResyncCause(context: FullResyncContext, memory: ReplicationMemory): { cause: CauseCode; why: string } {
  const { link, linkBefore, replica, replicaBefore, master, masterBefore, partialRefused } = context;
  const replicaId = replica?.id ?? link?.replicaId ?? null;
  if (replicaId && memory.demotedWithin(replicaId, context.detectedAt)) return { cause: 'demoted-master', why: demotedMasterWhy(context, memory) };
  if (replicaId && demotedUnanswered(context, memory)) {
    return { cause: 'demoted-master', why: `${demotedMasterWhy(context, memory)} (${master.id} lists ${replicaId} as its replica; ${replicaId} has not answered this console as one yet: its last answer, as a master, is from ${new Date(replica!.sampledAt).toISOString()})` };
  }
  if (replica && memory.restartedRecently(replica, master.sampledAt)) {
    const restarted = restartedReplicaCause({ replica, replicaBefore, master, masterAtDetection: context.masterAtDetection, everyFullRefused: context.everyFullRefused });
    if (restarted) return restarted;
  }
  if (master.role === 'replica' && (context.upstreamResynced || memory.restartedRecently(master, context.detectedAt))) {
    const what = memory.restartedRecently(master, context.detectedAt) ? 'restarted' : `full-synced from ${master.masterHost}:${master.masterPort}`;
    return { cause: 'upstream-resync', why: `its own master ${master.id} had just ${what}, so ${master.id}'s backlog started anew and could not continue ${replicaId ?? 'its replica'}` };
  }
  const position = replicaBefore?.replid ? memory.positionOn(replicaBefore.id, replicaBefore.replid) : undefined;
  if (replicaBefore && position && pastPromotionPoint(master, replicaBefore.replid, position.offset)) {
    const bytes = position.offset + 1 - master.secondReplOffset!;
    const promotedAt = `past the point where ${master.id} was promoted (offset ${master.secondReplOffset})`;
    if (leftOldMasterAt(replicaBefore, master, position.offset)) {
      return { cause: 'offset-past-promotion', why: `${replicaBefore.id} had received ${bytes} bytes of the old master's history ${promotedAt}: its PSYNC asked for offset ${position.offset + 1} (its offset was polled after it had left the old master to follow ${master.id}), and they are discarded` };
    }
    // The replica's last polled offset: it may have received more before it was re-pointed.
    return { cause: 'offset-past-promotion', why: `${replicaBefore.id} had received at least ${bytes} bytes of the old master's history ${promotedAt}: they are discarded` };
  }
  const refusedOnReplid2 = refusedPastPromotion(context, memory);
  if (refusedOnReplid2) return refusedOnReplid2;
  if (link && !context.everyFullRefused && !memory.seenLinkBefore(link.id, context.detectedAt)) return { cause: 'requested-full', why: 'a new replica asks for the whole dataset' };
  // Only for a replica on a history this node had: Redis checks the replication id before the backlog
  // ("Replication ID mismatch" first), and a master that never had a replica has no backlog either. Seen on
  // redis-server 7.0: a replica re-pointed (REPLICAOF) to a master of another history, with no replica before,
  // was put down to a freed backlog.
  const ownHistory = !replicaBefore?.replid || memory.positionOn(master.id, replicaBefore.replid) !== undefined;
  if (masterBefore.backlog && !masterBefore.backlog.active && ownHistory) return { cause: 'backlog-expired', why: 'the master had freed its backlog (repl-backlog-ttl after its last replica left), so nothing could be continued' };
  if (link && !partialRefused && (memory.hasUnfinishedFullSync(link.replicaId) || linkBefore?.state === 'syncing')) return { cause: 'output-buffer-limit', why: `the previous full sync of ${link.replicaId} never finished: a replica caught in repeated full syncs is usually cut by client-output-buffer-limit replica during the transfer (see the master's log)` };
  // The replica's offset before the resync against the backlog when the counters moved (its first byte only grows).
  const replicaOffset = replicaBefore && replicaBefore.replid === master.replid ? replicaBefore.slaveReplOffset ?? replicaBefore.masterReplOffset : null;
  const firstByte = context.masterAtDetection.backlog?.firstByteOffset ?? null;
  if (partialRefused && replicaBefore && replicaOffset !== null && firstByte !== null && replicaOffset + 1 < firstByte) {
    return { cause: 'out-of-backlog', why: `the replica had fallen out of the backlog: ${polledOffset(replicaOffset, replicaBefore, context)}, the backlog started at ${firstByte}` };
  }
  // A replica that had taken a history the master never issued (REPLICAOF NO ONE makes a new id, as
  // Force full resync does) is refused for that ("Replication ID mismatch"), wherever its offset was.
  const foreignHistory = replicaBefore?.replid && replicaBefore.replid !== master.replid && replicaBefore.replid !== master.replid2 ? replicaBefore.replid : null;
  if (partialRefused && foreignHistory === null && linkBefore?.partialResyncPossible === false) return { cause: 'out-of-backlog', why: 'the replica had fallen out of the backlog' };
  if (partialRefused && foreignHistory !== null) return { cause: 'replid-mismatch', why: `its PSYNC was refused: it followed history ${foreignHistory.slice(0, 8)}, which ${master.id} never had (its ids: ${master.replid?.slice(0, 8) ?? '?'} and ${master.replid2?.slice(0, 8) ?? '?'})` };
  if (partialRefused) return { cause: 'replid-mismatch', why: 'its PSYNC was refused: the master does not know its replication history' };
  return { cause: 'unknown', why: '' };
}
