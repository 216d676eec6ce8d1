/**
 * Why a replica that restarted was served a full resync. Two replicas
 * look alike to the console (both have a new run_id) and differ in what
 * they ask (redis-server 7.0, replication.c):
 *
 *  - one with nothing to continue from (no persistence, or an RDB without
 *    replication info) asks PSYNC ? -1: the master counts it in sync_full
 *    alone ("Full resync requested by replica");
 *  - one that loaded an RDB carrying its master's replication id and offset
 *    ("using my own master parameters to synthesize a cached master")
 *    presents them, and a refusal counts in sync_partial_err as well as
 *    sync_full. The master checks the id first ("Replication ID mismatch"),
 *    then the offset against its backlog ("Unable to partial resync with
 *    replica ... for lack of backlog (Replica request was: N)"): an RDB
 *    saved before writes that have since left the backlog, or a replica
 *    down longer than the backlog lasts.
 *
 * The history it presented is the one it last followed (a replica saves its
 * master's id and offset; a restart does not change them): its last answer
 * before the resync says which. That answer, when given after the restart
 * (same run_id), is the RDB's own offset, the one its PSYNC asked after.
 */
import type { CauseCode } from '../../../shared/contract/events';
import type { NodeSnapshot } from '../../../shared/contract/snapshots';

export interface RestartedReplicaResync {
  /** The replica as it answers now (restarted: its run_id changed lately). */
  readonly replica: NodeSnapshot;
  /** Its last answer before the resync: before the restart, or after it (same run_id) with the RDB's position. */
  readonly replicaBefore: NodeSnapshot | null;
  /** The serving node now, and in the poll its counters moved (its backlog then). */
  readonly master: NodeSnapshot;
  readonly masterAtDetection: NodeSnapshot;
  /** Every full sync counted with this one followed a refused PSYNC (sync_partial_err moved as much as sync_full). */
  readonly everyFullRefused: boolean;
}

export function restartedReplicaCause(context: RestartedReplicaResync): { cause: CauseCode; why: string } | null {
  const { replica, replicaBefore, master } = context;
  if (!context.everyFullRefused) return { cause: 'replica-restarted-without-cache', why: `${replica.id} restarted (run_id changed) and had no cached master to continue from (it asked for everything: ${master.id}'s sync_full moved without sync_partial_err)` };
  const presented = `${replica.id} restarted (run_id changed) and presented the replication history of the RDB it loaded, which ${master.id} refused (its sync_partial_err moved with sync_full; a replica with nothing to continue from asks PSYNC ? -1, counted in sync_full alone)`;
  const replid = replicaBefore?.replid ?? null;
  if (replid === null || replicaBefore === null) return null;
  if (replid === master.replid) {
    const afterRestart = replicaBefore.runId === replica.runId;
    const firstByte = context.masterAtDetection.backlog?.firstByteOffset ?? null;
    const asked = afterRestart && replicaBefore.masterReplOffset !== null ? `: its PSYNC asked for offset ${replicaBefore.masterReplOffset + 1} (its offset after loading the RDB)` : '';
    const backlog = firstByte === null ? '' : `, which starts at ${firstByte}`;
    return { cause: 'out-of-backlog', why: `${presented}: on ${master.id}'s own history, so the offset the RDB was saved at had left ${master.id}'s backlog${backlog}${asked}` };
  }
  if (replid !== master.replid2) return { cause: 'replid-mismatch', why: `${presented}: it followed history ${replid.slice(0, 8)}, which ${master.id} does not have (its ids: ${master.replid?.slice(0, 8) ?? '?'} and ${master.replid2?.slice(0, 8) ?? '?'})` };
  // On the history this master took over at a promotion: past the promotion point or out of the backlog,
  // told by the checks that follow (resync-cause.ts).
  return null;
}
