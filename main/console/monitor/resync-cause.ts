/**
 * Why an external master started a full resync, inferred from what the
 * console saw before it (Redis does not say). Checked in this order, the
 * first that holds wins:
 *
 *  replica-restarted-without-cache
 *                        the replica's run_id changed in the last 30 s:
 *                        it restarted and could not present a cached master
 *                        (no RDB with replication info to load);
 *  requested-full        this link was not seen before the resync: a new replica asks
 *                        for everything (PSYNC ? -1);
 *  backlog-expired       the master's backlog was inactive at the previous
 *                        poll: repl-backlog-ttl freed it after its last replica
 *                        left, so nothing could be continued;
 *  output-buffer-limit   the replica's previous full sync never reached
 *                        "online" (it was seen syncing, or a full sync of it
 *                        was seen starting and never finishing): a replica caught in repeated full syncs is
 *                        almost always cut by `client-output-buffer-limit
 *                        replica` while the snapshot is transferred (the
 *                        master's log says "overcoming of output buffer limits");
 *  out-of-backlog        PSYNC was refused and the replica's offset was
 *                        already outside the master's backlog window;
 *  replid-mismatch       PSYNC was refused otherwise (the replica follows a
 *                        history this master does not have, e.g. after a
 *                        promotion elsewhere);
 *  unknown.
 *
 * The memory spans polls: the last run_id seen for each node, the links ever
 * seen, and which replicas have a full sync that has not finished yet.
 */
import type { CauseCode } from '../../../shared/contract/events';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';

/** A restart this long before a full sync is taken as its cause. */
const RESTART_WINDOW_MS = 30_000;

/** A full resync seen in a master's counters, waiting until its replica can be told (see full-resync-attribution.ts). */
export interface PendingFullResync {
  readonly masterId: string;
  readonly detectedAt: number;
  readonly count: number;
  readonly masterBefore: NodeSnapshot;
  /** The master's links as they were at the poll before the counter moved. */
  readonly linksBefore: ReadonlyMap<string, LinkSnapshot>;
  readonly partialRefused: boolean;
  readonly counterText: string;
  readonly numbers: Record<string, number | string | null>;
}

export class ResyncMemory {
  readonly pending: PendingFullResync[] = [];
  private readonly runIds = new Map<string, string>();
  private readonly restartedAt = new Map<string, number>();
  private readonly unfinishedFullSyncs = new Set<string>();
  private readonly linksFirstSeen = new Map<string, number>();
  /** The last time each known link was seen not online (or stale), or missing from a snapshot. */
  private readonly linksTroubledAt = new Map<string, number>();

  /** Call after every snapshot: remembers run ids, links and which full syncs completed. */
  observe(snapshot: TopologySnapshot): void {
    for (const node of snapshot.nodes) {
      if (!node.runId || node.health !== 'up') continue;
      const known = this.runIds.get(node.id);
      if (known && known !== node.runId) this.restartedAt.set(node.id, snapshot.time);
      this.runIds.set(node.id, node.runId);
    }
    const present = new Set<string>();
    for (const link of snapshot.links) {
      present.add(link.id);
      if (!this.linksFirstSeen.has(link.id)) this.linksFirstSeen.set(link.id, snapshot.time);
      // A stale link (an end did not answer this poll) is not known to be online.
      if (link.state === 'online' && !link.stale) this.unfinishedFullSyncs.delete(link.replicaId);
      else this.linksTroubledAt.set(link.id, snapshot.time);
    }
    for (const id of this.linksFirstSeen.keys()) if (!present.has(id)) this.linksTroubledAt.set(id, snapshot.time);
  }

  /** Whether the link was down, syncing or missing at some poll in [from, to]. */
  linkTroubledBetween(linkId: string, from: number, to: number): boolean {
    const at = this.linksTroubledAt.get(linkId);
    return at !== undefined && at >= from && at <= to;
  }

  /** Whether this link was in a snapshot taken before `time`. */
  seenLinkBefore(linkId: string, time: number): boolean {
    const first = this.linksFirstSeen.get(linkId);
    return first !== undefined && first < time;
  }

  /** Whether the node restarted (new run_id) within the window before `time`, this snapshot included. */
  restartedRecently(node: NodeSnapshot, time: number): boolean {
    const known = this.runIds.get(node.id);
    if (node.runId && known && known !== node.runId) return true;
    const at = this.restartedAt.get(node.id);
    return at !== undefined && time - at <= RESTART_WINDOW_MS;
  }

  fullSyncStarted(replicaId: string): void {
    this.unfinishedFullSyncs.add(replicaId);
  }

  hasUnfinishedFullSync(replicaId: string): boolean {
    return this.unfinishedFullSyncs.has(replicaId);
  }
}

export interface FullResyncContext {
  /** When the master's sync_full moved. */
  readonly detectedAt: number;
  readonly master: NodeSnapshot;
  readonly masterBefore: NodeSnapshot;
  /** The replica that resynced, when it can be told apart (exactly one candidate link). */
  readonly link: LinkSnapshot | null;
  readonly linkBefore: LinkSnapshot | null;
  readonly replica: NodeSnapshot | null;
  readonly partialRefused: boolean;
}

export function fullResyncCause(context: FullResyncContext, memory: ResyncMemory): { cause: CauseCode; why: string } {
  const { link, linkBefore, replica, masterBefore, partialRefused } = context;
  if (replica && memory.restartedRecently(replica, context.master.sampledAt)) return { cause: 'replica-restarted-without-cache', why: `${replica.id} restarted (run_id changed) and had no cached master to continue from` };
  if (link && !memory.seenLinkBefore(link.id, context.detectedAt)) return { cause: 'requested-full', why: 'a new replica asks for the whole dataset' };
  if (masterBefore.backlog && !masterBefore.backlog.active) return { cause: 'backlog-expired', why: 'the master had freed its backlog (repl-backlog-ttl after its last replica left), so nothing could be continued' };
  if (link && (memory.hasUnfinishedFullSync(link.replicaId) || linkBefore?.state === 'syncing')) return { cause: 'output-buffer-limit', why: `the previous full sync of ${link.replicaId} never finished: a replica caught in repeated full syncs is usually cut by client-output-buffer-limit replica during the transfer (see the master's log)` };
  if (partialRefused && linkBefore?.partialResyncPossible === false) return { cause: 'out-of-backlog', why: 'the replica had fallen out of the backlog' };
  if (partialRefused) return { cause: 'replid-mismatch', why: 'its PSYNC was refused: the master does not know its replication history' };
  return { cause: 'unknown', why: '' };
}
