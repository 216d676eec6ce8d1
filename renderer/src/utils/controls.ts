/**
 * Which controls a node offers and why one is off. A forbidden control is
 * never hidden: it is shown disabled with the reason (safety mode, role,
 * reachability, ACL), so the operator knows what would make it available.
 * The console re-checks everything in actions.preflight; this is the
 * honest first answer, not the gate.
 */
import { aclRefusal, type ActionKind, type Capabilities, type NodeSnapshot, type SafetyMode, type TopologySnapshot } from '../api/contract';
import { actionTitle } from './figure-labels';

export interface ControlState {
  readonly kind: ActionKind;
  readonly label: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly reason: string | null;
}

export interface ControlContext {
  readonly safetyMode: SafetyMode;
  readonly capabilities: Capabilities | null;
  readonly snapshot: TopologySnapshot;
  /** The side Disconnect kills from (the panel's choice; 'master' when not given): each side needs other commands. */
  readonly disconnectSide?: DisconnectSide;
}

export type DisconnectSide = 'master' | 'replica';

/**
 * The commands each side of Disconnect needs, as its plan (main/console/service/disconnect-plan.ts):
 * the master side reads the link's address with CLIENT LIST on the replica, then CLIENT KILL on the
 * master; the replica side only CLIENT KILL.
 */
const DISCONNECT_COMMANDS: Record<DisconnectSide, readonly string[]> = { master: ['client|list', 'client|kill'], replica: ['client|kill'] };

/** Descriptions and commands; the labels are actionTitle's words (shared/contract/action-words.ts), as the dialog and timeline say them. */
const LABELS: Record<ActionKind, { description: string; commands: readonly string[] }> = {
  'disconnect-link': { description: 'Drop the replication connection; the replica reconnects and tries a partial resync.', commands: DISCONNECT_COMMANDS.master },
  // REPLICAOF NO ONE, then REPLICAOF <its master> (main/console/service/actions.ts).
  'force-full-resync': { description: 'Make the replica discard its place and load a fresh snapshot.', commands: ['replicaof'] },
  promote: { description: 'Turn this replica into a master (keeps its history as replid2).', commands: ['replicaof'] },
  repoint: { description: 'Make this replica follow another master.', commands: ['replicaof'] },
  'set-backlog-size': { description: 'CONFIG SET repl-backlog-size on this node.', commands: ['config|set'] },
};

export const NOT_EMBEDDED_REASON = 'The demo acts only on its embedded nodes, and this one is not: attach it with a profile of its own to act on it.';

export const MONITOR_ONLY_REASON = 'This profile is monitor-only: Replscope never changes it. Edit the profile and choose the "ops" safety mode to act.';

/**
 * The preflight's ACL refusal, in its words (shared/contract/acl-refusal.ts), for the commands the
 * action's plan runs. Not `capabilities.features`: those are named for people ("disconnect a link")
 * and need both sides' commands at once, so they cannot say what one action on one side needs.
 */
function aclReason(kind: ActionKind, capabilities: Capabilities | null, side: DisconnectSide): string | null {
  if (capabilities === null) return null;
  const refusal = aclRefusal(capabilities, kind === 'disconnect-link' ? DISCONNECT_COMMANDS[side] : LABELS[kind].commands);
  return refusal === null ? null : `${refusal.charAt(0).toUpperCase()}${refusal.slice(1)}.`;
}

function roleReason(kind: ActionKind, node: NodeSnapshot, snapshot: TopologySnapshot): string | null {
  const hasUpstream = snapshot.links.some((link) => link.replicaId === node.id);
  switch (kind) {
    case 'disconnect-link':
    case 'force-full-resync':
      return node.role === 'replica' && hasUpstream ? null : 'Only a replica with a master link can be disconnected or resynced.';
    case 'promote':
      if (node.role === 'master') return 'Already a master.';
      return node.role === 'replica' ? null : 'Only a replica can be promoted.';
    case 'repoint': {
      if (node.role === 'master') {
        return repointCandidates(node, snapshot).length > 0 ? null : 'Only a replica can be re-pointed, or a master while another node answers as master (as two do after a promotion by REPLICAOF NO ONE); no other node does.';
      }
      if (node.role !== 'replica') return 'Only a replica can be re-pointed.';
      return repointCandidates(node, snapshot).length === 0 ? 'No other reachable node to follow.' : null;
    }
    case 'set-backlog-size':
      return node.role === 'sentinel' ? 'Sentinels have no replication backlog.' : null;
  }
}

/**
 * The nodes `node` could be made to follow. A replica: any other reachable node. A master: only
 * another master, the pair a promotion by REPLICAOF NO ONE leaves behind (the old master answers
 * master too); demoting it puts the pair back together, and Redis lets it continue partially when
 * it wrote nothing past the promotion (the promoted node keeps the old id as replid2).
 */
export function repointCandidates(node: NodeSnapshot, snapshot: TopologySnapshot): NodeSnapshot[] {
  return snapshot.nodes.filter((other) => other.id !== node.id && other.health === 'up' && (node.role === 'master' ? other.role === 'master' : other.role !== 'sentinel'));
}

/** Re-point on a master is a demotion, and says so (its label: actionTitle's "Make replica of"). */
const DEMOTE_DESCRIPTION = 'Demote this master: it follows the other master and offers its own history for a partial resync.';

export function controlStates(node: NodeSnapshot, context: ControlContext): ControlState[] {
  const kinds: ActionKind[] = ['disconnect-link', 'force-full-resync', 'promote', 'repoint', 'set-backlog-size'];
  return kinds.map((kind) => {
    const label = actionTitle(kind, node.role);
    const description = kind === 'repoint' && node.role === 'master' ? DEMOTE_DESCRIPTION : LABELS[kind].description;
    let reason: string | null = null;
    if (context.safetyMode === 'monitor-only') reason = MONITOR_ONLY_REASON;
    else if (context.safetyMode === 'demo' && !node.embedded) reason = NOT_EMBEDDED_REASON;
    else if (node.health !== 'up') reason = `The node is ${node.health}${node.healthDetail ? ` (${node.healthDetail})` : ''}.`;
    else reason = roleReason(kind, node, context.snapshot) ?? aclReason(kind, context.capabilities, context.disconnectSide ?? 'master');
    return { kind, label, description, enabled: reason === null, reason };
  });
}

/** The sides Disconnect may kill from: the panel keeps its side choice open while either is, so a user with CLIENT KILL alone can pick the replica side. */
export function allowedDisconnectSides(node: NodeSnapshot, context: ControlContext): DisconnectSide[] {
  return (['master', 'replica'] as const).filter((side) => controlStates(node, { ...context, disconnectSide: side }).find((state) => state.kind === 'disconnect-link')?.enabled === true);
}

/** The same reasoning for the demo's chaos controls: only on demo sessions. */
export function chaosDisabledReason(safetyMode: SafetyMode | null, running: boolean): string | null {
  if (!running) return 'Start the demo first.';
  if (safetyMode !== null && safetyMode !== 'demo') return 'Chaos controls act only on the embedded demo.';
  return null;
}
