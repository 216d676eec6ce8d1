/**
 * The outcome of an action as the nodes show it, not "command sent": the
 * console polls until the effect is visible in INFO (or gives up after
 * OBSERVE_TIMEOUT_MS) and reports two things separately:
 *
 *  - outcome: what happened to the topology (a link resynced, a replica was
 *    promoted, a config changed...);
 *  - resync: the resynchronization the action caused, read from the serving
 *    master's counters (sync_partial_ok / sync_full deltas): partial, full,
 *    or none. This is what the preflight predicted, so the verdict compares
 *    the prediction with it — a promotion by FAILOVER predicted "partial"
 *    (the old master continues from the new one) and is held against the
 *    old master's resync, not against the word "promoted".
 */
import type { ActionRequest, ActionResult, ResyncPrediction } from '../../../shared/contract/actions';
import type { LinkSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import type { DeploymentMonitor } from '../monitor/deployment-monitor';
import { observePromotion, type PromoteMethod } from './promote-plan';
import { repointVerdict } from './repoint-verdict';

const OBSERVE_TIMEOUT_MS = 15_000;
const POLL_EVERY_MS = 200;

export type ObservedResync = NonNullable<ActionResult['resync']>;

export interface Observation {
  readonly outcome: ActionResult['outcome'];
  readonly resync: ActionResult['resync'];
  readonly message: string;
  readonly numbers: ActionResult['observed'];
}

/** Whether the prediction held: null when nothing was predicted or no resync could be observed. */
export function predictionHeld(prediction: ResyncPrediction, resync: ActionResult['resync']): boolean | null {
  if (prediction === 'unknown' || resync === null) return null;
  return prediction === resync;
}

function linkOf(snapshot: TopologySnapshot, replicaId: string): LinkSnapshot | undefined {
  return snapshot.links.find((link) => link.replicaId === replicaId);
}

/** The resync `replicaId` made with `masterId` since `before`: its link is online (and current) and the master's counters moved. */
function resyncSince(before: TopologySnapshot, now: TopologySnapshot, replicaId: string, masterId: string): { resync: ObservedResync; full: number; partial: number; link: LinkSnapshot } | null {
  const link = linkOf(now, replicaId);
  const master = now.nodes.find((node) => node.id === masterId);
  // A replica the console cannot read (its ACL user lacks INFO, or it hangs) leaves its link stale, and the
  // link's state is then the master's own listing (slaveN state=online): with the master's counters, the
  // master's word for the resync, as long as the master answered this poll.
  const mastersWord = master !== undefined && master.health === 'up' && !master.stale;
  if (!link || link.masterId !== masterId || link.state !== 'online' || (link.stale && !mastersWord)) return null;
  const then = before.nodes.find((node) => node.id === masterId)?.counters;
  const after = master?.counters;
  if (!then || !after) return null;
  const full = after.syncFull - then.syncFull;
  const partial = after.syncPartialOk - then.syncPartialOk;
  if (full <= 0 && partial <= 0) return null;
  return { resync: full > 0 ? 'full' : 'partial', full, partial, link };
}

/**
 * A re-point's result: the resync the new master's counters show, and its cause from the two nodes'
 * ids and offsets read just before the command (repoint-verdict.ts). Should the counters disagree
 * with those, the message says so rather than giving a cause that did not hold.
 */
function repointMessage(before: TopologySnapshot, replicaId: string, masterId: string, seen: { resync: ObservedResync; full: number; partial: number }): string {
  const counters = seen.resync === 'full' ? `${masterId}'s sync_full +${seen.full}` : `${masterId}'s sync_partial_ok +${seen.partial}`;
  const observed = `${replicaId} streams from ${masterId} after a ${seen.resync} resync (${counters})`;
  const replica = before.nodes.find((node) => node.id === replicaId);
  const master = before.nodes.find((node) => node.id === masterId);
  if (!replica || !master) return observed;
  const verdict = repointVerdict(replica, master);
  if (verdict.prediction === seen.resync) return `${observed}: ${verdict.reason}`;
  return `${observed}; the ids and offsets read just before the command pointed to ${verdict.prediction === 'unknown' ? 'no verdict' : `a ${verdict.prediction} resync`} (${verdict.reason}): the nodes changed in between`;
}

/**
 * Where the old master stands when the watch of a promotion ends before its
 * resync from the new master was seen: a replica of it still syncing (under
 * Sentinel, converted only 8 s after the switch, then held for the new
 * master's repl-diskless-sync-delay: seen on redis-server 7.0, role:slave
 * with the new master 4 s before the watch ended), still a master, not
 * answering, or following another node. "Not seen following it" was said of
 * an old master INFO showed following it. A link already online did finish
 * its sync: its resync was only not seen in the new master's counters (they
 * were stale or missing), so "not finished" is said only of a link not online.
 */
export function oldMasterAtTimeout(now: TopologySnapshot, oldMasterId: string | null, promotedId: string): string {
  const waited = `${OBSERVE_TIMEOUT_MS / 1000} s`;
  if (oldMasterId === null) return `the old master was not seen following it within ${waited}`;
  const node = now.nodes.find((candidate) => candidate.id === oldMasterId);
  if (node === undefined || node.health !== 'up' || node.stale) return `${oldMasterId} did not answer the last poll of the ${waited} watched, so whether it follows it is not known`;
  if (node.role === 'master') return `${oldMasterId} still answered as a master after ${waited}`;
  const link = linkOf(now, oldMasterId);
  if (node.role === 'replica' && link?.masterId === promotedId) {
    return link.state === 'online'
      ? `${oldMasterId} follows it (its replica, link online), its resync was not seen in ${promotedId}'s counters within ${waited}`
      : `${oldMasterId} follows it (its replica, link ${link.state}), its resync not finished within ${waited}`;
  }
  return `${oldMasterId} was not seen following it within ${waited}${link !== undefined ? ` (it follows ${link.masterId})` : ''}`;
}

/** Polls until the action's effect is visible (or OBSERVE_TIMEOUT_MS). `method`: the promotion method the plan chose. */
export async function observe(monitor: DeploymentMonitor, action: ActionRequest, before: TopologySnapshot, method: PromoteMethod | null): Promise<Observation> {
  const deadline = Date.now() + OBSERVE_TIMEOUT_MS;
  let promoted: { id: string; message: string; numbers: ActionResult['observed'] } | null = null;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    const now = await monitor.pollNow();
    const timedOut = Date.now() > deadline;
    switch (action.kind) {
      case 'set-backlog-size': {
        const size = now.nodes.find((candidate) => candidate.id === action.nodeId)?.backlog?.sizeBytes ?? null;
        if (size === action.bytes) return { outcome: 'config-changed', resync: 'none', message: `repl-backlog-size is ${size} bytes on ${action.nodeId}`, numbers: { sizeBytes: size } };
        break;
      }
      case 'promote': {
        if (!promoted) {
          const seen = observePromotion(before, now, action.nodeId);
          if (seen) promoted = { id: seen.promoted.id, message: seen.message, numbers: { promoted: seen.promoted.id, replid: seen.promoted.replid, replid2: seen.promoted.replid2, secondReplOffset: seen.promoted.secondReplOffset } };
        }
        if (!promoted) break;
        if (method === 'replicaof-no-one') return { outcome: 'promoted', resync: 'none', message: promoted.message, numbers: promoted.numbers };
        // FAILOVER, CLUSTER FAILOVER, SENTINEL FAILOVER: the old master follows the new one; its resync is the verdict.
        const target = before.nodes.find((node) => node.id === action.nodeId);
        const oldMasterId = target ? linkOf(before, target.id)?.masterId ?? null : null;
        const followed = oldMasterId ? resyncSince(before, now, oldMasterId, promoted.id) : null;
        if (followed) {
          return {
            outcome: 'promoted',
            resync: followed.resync,
            message: `${promoted.message}; ${oldMasterId} follows it after a ${followed.resync} resync`,
            numbers: { ...promoted.numbers, oldMaster: oldMasterId, syncFullDelta: followed.full, syncPartialOkDelta: followed.partial },
          };
        }
        if (timedOut) return { outcome: 'promoted', resync: null, message: `${promoted.message}; ${oldMasterAtTimeout(now, oldMasterId, promoted.id)}`, numbers: promoted.numbers };
        break;
      }
      default: {
        const replicaId = action.replicaId;
        const masterId = action.kind === 'repoint' ? action.masterId : linkOf(before, replicaId)?.masterId ?? null;
        if (!masterId) break;
        const seen = resyncSince(before, now, replicaId, masterId);
        if (seen) {
          return {
            outcome: seen.resync === 'full' ? 'full-resync' : 'partial-resync',
            resync: seen.resync,
            message: action.kind === 'repoint' ? repointMessage(before, replicaId, masterId, seen) : `${replicaId} is streaming from ${masterId} again after a ${seen.resync} resync`,
            numbers: { syncFullDelta: seen.full, syncPartialOkDelta: seen.partial, replicaOffset: seen.link.replicaOffset },
          };
        }
        // A replica re-pointed at the master it already follows streams on without a PSYNC.
        const link = linkOf(now, replicaId);
        if (action.kind === 'repoint' && link?.masterId === masterId && link.state === 'online' && !link.stale) {
          return { outcome: 'repointed', resync: 'none', message: `${replicaId} streams from ${masterId}; ${masterId}'s counters show no resync`, numbers: { replicaOffset: link.replicaOffset } };
        }
      }
    }
    if (timedOut) return { outcome: 'timed-out', resync: null, message: `the effect was not observed within ${OBSERVE_TIMEOUT_MS / 1000} s`, numbers: {} };
  }
}
