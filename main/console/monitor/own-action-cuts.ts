/**
 * What an action of this console is about to do to the replication links:
 * the links it cuts (OwnCuts), the role changes it intends
 * (CommandEvidence), the CLIENT KILLs it runs, and the nodes it makes
 * masters for an instant, noted before it runs so that what follows is put
 * down to it (event-detector.ts noteAction).
 */
import type { ActionRequest } from '../../../shared/contract/actions';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';
import type { CommandEvidence } from './command-evidence';
import { OWN_DISCONNECT_AFTER_MS, type OwnCuts } from './own-cuts';
import type { ReplicationMemory } from './replication-memory';

export interface OwnActionNotes {
  readonly memory: Pick<ReplicationMemory, 'noteLinkCut' | 'noteFullSyncForced'>;
  readonly commands: Pick<CommandEvidence, 'noteOwnClientKill' | 'noteIntent'>;
  readonly cuts: OwnCuts;
  /** Nodes this console makes masters for an instant (force-full-resync), until when. */
  readonly transientMasters: Map<string, number>;
}

/**
 * This console is about to run an action (recorded before it runs): the
 * role changes and link-downs it causes are put down to it. `by` names who
 * runs it ("the ACL user "ops""). Notes the cuts, intents and own kills
 * it makes in `notes`.
 */
export function noteOwnAction(action: ActionRequest, snapshot: TopologySnapshot, by: string, now: number, notes: OwnActionNotes): void {
  const node = (id: string) => snapshot.nodes.find((candidate) => candidate.id === id);
  switch (action.kind) {
    case 'disconnect-link': {
      const cut = snapshot.links.find((link) => link.replicaId === action.replicaId);
      const masterId = cut?.masterId ?? 'its master';
      if (cut) notes.memory.noteLinkCut(cut.id, now);
      notes.commands.noteOwnClientKill(action.side === 'replica' ? action.replicaId : masterId, now);
      const how = action.side === 'replica' ? `replica side: CLIENT KILL TYPE master on ${action.replicaId}` : `master side: CLIENT KILL ADDR … TYPE replica on ${masterId}`;
      notes.cuts.note({
        replicaId: action.replicaId, startedAt: now, cause: 'manual', action: 'disconnect-link', masterId: cut?.masterId ?? null, linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS,
        evidence: `this console's Disconnect link (${how}), run at ${new Date(now).toISOString()} by ${by}`,
      });
      return;
    }
    case 'promote': {
      const target = node(action.nodeId);
      // The node it follows: the link's master (a proxy in between, like the demo's chaos proxy,
      // is mapped back to the node), else the address it reports.
      const masterId = snapshot.links.find((link) => link.replicaId === action.nodeId)?.masterId ?? (target?.masterHost ? `${target.masterHost}:${target.masterPort}` : null);
      const siblings = snapshot.links.filter((link) => link.masterId === masterId).map((link) => link.replicaId);
      const viaSentinel = action.method === 'sentinel-failover' || (action.method === 'auto' && snapshot.kind === 'sentinel');
      const nodeIds = [action.nodeId, ...(masterId ? [masterId] : []), ...(viaSentinel ? siblings : [])];
      notes.commands.noteIntent({ nodeIds, description: `promote ${action.nodeId} (${action.method})`, viaSentinel }, now);
      // The target leaves its master; by FAILOVER the old master follows it and, like any node
      // turned replica, drops its own replicas, which reconnect and continue from it. Under
      // Sentinel those are Sentinel's doing (its notices say so).
      if (!viaSentinel) {
        const evidence = `this console's Promote to master of ${action.nodeId} (${action.method}), run at ${new Date(now).toISOString()} by ${by}`;
        const cut = { startedAt: now, cause: 'manual', action: 'promote', linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS, evidence } as const;
        // The promoted node's link does not come back; the old master's comes up with it; its other replicas' with the old master again.
        notes.cuts.note({ ...cut, replicaId: action.nodeId, masterId: null });
        if (masterId) notes.cuts.note({ ...cut, replicaId: masterId, masterId: action.nodeId, noLinkToDrop: true });
        for (const replicaId of siblings) if (replicaId !== action.nodeId) notes.cuts.note({ ...cut, replicaId, masterId });
      }
      return;
    }
    case 'force-full-resync': {
      notes.transientMasters.set(action.replicaId, now + 15_000);
      notes.commands.noteIntent({ nodeIds: [action.replicaId], description: `force-full-resync of ${action.replicaId} (REPLICAOF NO ONE, then REPLICAOF)`, viaSentinel: false }, now);
      // REPLICAOF NO ONE closes the target's link, and its own replicas' (a node that becomes a
      // master keeps them, but they are dropped when it turns replica again).
      const target = node(action.replicaId);
      const evidence = `this console's Force full resync of ${action.replicaId} (REPLICAOF NO ONE, then REPLICAOF ${target?.masterHost ?? '?'} ${target?.masterPort ?? '?'}), run at ${new Date(now).toISOString()} by ${by}`;
      // The target's link and its replicas' links are cut; the target's resync is a full one.
      const forced = snapshot.links.find((link) => link.replicaId === action.replicaId);
      if (forced) notes.memory.noteFullSyncForced(forced.id, now);
      for (const link of snapshot.links) if (link.masterId === action.replicaId) notes.memory.noteLinkCut(link.id, now);
      const below = snapshot.links.filter((link) => link.masterId === action.replicaId).map((link) => link.replicaId);
      const cut = { startedAt: now, cause: 'manual', action: 'force-full-resync', linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS, evidence } as const;
      notes.cuts.note({ ...cut, replicaId: action.replicaId, masterId: forced?.masterId ?? null });
      for (const replicaId of below) notes.cuts.note({ ...cut, replicaId, masterId: action.replicaId });
      return;
    }
    case 'repoint': {
      // REPLICAOF <new master> closes the replica's link with its old master (both sides
      // log it) and it resyncs with the new one: both are the action's. Its own replicas keep
      // their links (a replica that changes master keeps its sub-replicas in 7.0).
      const target = node(action.masterId);
      const evidence = `this console's Re-point replica of ${action.replicaId} to ${action.masterId} (REPLICAOF ${target?.host ?? '?'} ${target?.port ?? '?'}), run at ${new Date(now).toISOString()} by ${by}`;
      const droppedMasterId = snapshot.links.find((link) => link.replicaId === action.replicaId)?.masterId ?? null;
      notes.cuts.note({ replicaId: action.replicaId, startedAt: now, cause: 'manual', action: 'repoint', masterId: action.masterId, droppedMasterId, linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS, evidence });
      return;
    }
    default:
      return;
  }
}
