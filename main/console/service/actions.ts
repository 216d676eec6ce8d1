/**
 * Operator actions: preflight (what will happen, predicted partial or full
 * resync and why, the commands it needs), then run with the preflight's
 * token, then the outcome as observed by polling — not "command sent".
 *
 * Guards:
 *  - safety mode: monitor-only refuses every action; ops on a prod profile
 *    needs the node name typed as confirmation; demo allows all, on the
 *    demo's own engines only (a server discovery reached from them, such as
 *    a redis-server made a replica of a demo node, is refused);
 *  - ACL: an action whose commands the user may not run is refused with why;
 *  - tokens expire after a minute and are single-use: a double click never
 *    runs a failover twice (the second run is refused);
 *  - the node must still have the role it had at preflight time, else the
 *    run is refused with the reason (the topology changed under the operator).
 */
import { randomBytes } from 'node:crypto';
import type { ActionRequest, ActionResult, Preflight } from '../../../shared/contract/actions';
import type { ActionPlan } from './action-plan';
import type { ProfileFields } from '../../../shared/contract/profiles';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import type { DeploymentMonitor } from '../monitor/deployment-monitor';
import { executeDisconnect, planDisconnect } from './disconnect-plan';
import { ownMasterAddress } from './unknown-master';
import { observe, predictionHeld } from './action-observer';
import { executePromote, planPromote, type PromotePlan } from './promote-plan';
import { actionFailureMessage, commandsOn, type ActionCommands } from './action-failure';
import { repointVerdict } from './repoint-verdict';
import { actionTitle } from '../../../shared/contract/action-words';
import { aclRefusal } from '../../../shared/contract/acl-refusal';
import { writesRefusedWhileResyncing } from './min-replicas-plan';

const TOKEN_TTL_MS = 60_000;

export class ActionError extends Error {
  constructor(readonly code: 'forbidden-by-safety-mode' | 'permission-denied' | 'confirmation-required' | 'stale-preflight' | 'not-found' | 'conflict', message: string) {
    super(message);
  }
}

interface PendingAction {
  readonly preflight: Preflight;
  readonly guardRole: string;
  readonly sessionId: string;
}

export interface ActionSession {
  readonly sessionId: string;
  readonly profile: Pick<ProfileFields, 'environment' | 'safetyMode'>;
  readonly monitor: DeploymentMonitor;
}

export class ActionRunner {
  private readonly pending = new Map<string, PendingAction>();
  private readonly running = new Set<string>();

  preflight(session: ActionSession, action: ActionRequest): Preflight {
    const snapshot = session.monitor.snapshot();
    const plan = planAction(snapshot, action);
    let deniedReason: string | null = null;
    if (session.profile.safetyMode === 'monitor-only') deniedReason = 'this profile is monitor-only: actions are disabled';
    if (!deniedReason && session.profile.safetyMode === 'demo') deniedReason = notEmbeddedReason(snapshot, action);
    if (!deniedReason && plan.refusal) deniedReason = plan.refusal;
    if (!deniedReason) deniedReason = aclRefusal(session.monitor.capabilities, plan.aclNames);
    const guard = snapshot.nodes.find((node) => node.id === plan.guardNodeId);
    if (!deniedReason && (!guard || guard.health !== 'up')) deniedReason = guard ? notUpReason(guard) : `${plan.guardNodeId} is not reachable right now`;
    const token = randomBytes(16).toString('hex');
    const preflight: Preflight = {
      token,
      action,
      allowed: deniedReason === null,
      deniedReason,
      steps: plan.steps,
      prediction: plan.prediction,
      predictionReason: plan.predictionReason,
      commands: plan.commands,
      confirmationText: session.profile.environment === 'prod' && session.profile.safetyMode === 'ops' ? plan.guardNodeId : null,
      expiresAt: Date.now() + TOKEN_TTL_MS,
    };
    for (const [key, entry] of this.pending) if (entry.preflight.expiresAt < Date.now()) this.pending.delete(key);
    if (preflight.allowed) this.pending.set(token, { preflight, guardRole: guard?.role ?? 'unknown', sessionId: session.sessionId });
    return preflight;
  }

  async run(sessionFor: (sessionId: string) => ActionSession | undefined, token: string, confirmation: string | undefined): Promise<ActionResult> {
    const entry = this.pending.get(token);
    if (!entry) throw new ActionError('stale-preflight', 'this preflight was already used or has expired: run the preflight again');
    this.pending.delete(token); // single use, even if what follows fails
    const { preflight } = entry;
    if (preflight.expiresAt < Date.now()) throw new ActionError('stale-preflight', 'this preflight has expired: run it again');
    const session = sessionFor(entry.sessionId);
    if (!session) throw new ActionError('not-found', 'the session of this preflight is closed');
    if (preflight.confirmationText !== null && confirmation !== preflight.confirmationText) {
      throw new ActionError('confirmation-required', `type ${preflight.confirmationText} to confirm this action on a prod profile`);
    }
    const plan = planAction(session.monitor.snapshot(), preflight.action);
    const before = await session.monitor.pollNow();
    const guard = before.nodes.find((node) => node.id === plan.guardNodeId);
    if (!guard || guard.role !== entry.guardRole) {
      throw new ActionError('conflict', `${plan.guardNodeId} is now ${guard?.role ?? 'gone'} (it was ${entry.guardRole} at preflight): refused, run the preflight again`);
    }
    if (preflight.action.kind === 'force-full-resync') {
      // It sends the REPLICAOF address its preflight showed, or nothing: a replica that now follows
      // another (Sentinel moved it) or no longer says whom it follows is refused before REPLICAOF NO ONE.
      const now = planAction(before, preflight.action);
      if (now.refusal) throw new ActionError('conflict', `${now.refusal}: refused, run the preflight again`);
      if (now.commands.join('\n') !== preflight.commands.join('\n')) {
        throw new ActionError('conflict', `${plan.guardNodeId} now needs ${now.commands.join(', ')}, not ${preflight.commands.join(', ')} as at preflight: refused, run the preflight again`);
      }
    }
    const key = `${entry.sessionId}:${plan.guardNodeId}`;
    if (this.running.has(key)) throw new ActionError('conflict', `an action on ${plan.guardNodeId} is already running`);
    this.running.add(key);
    const startedAt = Date.now();
    const targetId = 'replicaId' in preflight.action ? preflight.action.replicaId : preflight.action.nodeId;
    const title = actionTitle(preflight.action.kind, before.nodes.find((node) => node.id === targetId)?.role ?? null);
    try {
      session.monitor.noteAction(preflight.action, startedAt); // role changes and link-downs it causes are attributed to this console
      await execute(session.monitor, preflight.action);
      const observed = await observe(session.monitor, preflight.action, before, preflight.action.kind === 'promote' ? (plan as PromotePlan).method : null);
      return {
        action: preflight.action,
        title,
        startedAt,
        finishedAt: Date.now(),
        outcome: observed.outcome,
        resync: observed.resync,
        predictionHeld: predictionHeld(preflight.prediction, observed.resync),
        message: observed.message,
        observed: observed.numbers,
      };
    } catch (failure) {
      return {
        action: preflight.action, title, startedAt, finishedAt: Date.now(), outcome: 'failed', resync: null, predictionHeld: null,
        message: actionFailureMessage(failure), observed: {},
      };
    } finally {
      this.running.delete(key);
    }
  }
}


/** Why the action waits for `guard` to answer: the console checks its role (in its INFO) before it acts. */
function notUpReason(guard: NodeSnapshot): string {
  const detail = guard.healthDetail ? ` (${guard.healthDetail})` : '';
  if (guard.health === 'denied') return `the console cannot check ${guard.id}'s role before acting${guard.healthDetail ? `: ${guard.healthDetail.replace(/\.$/, '')}` : ''}`;
  return `${guard.id} is ${guard.health === 'unreachable' ? 'not reachable' : guard.health} right now${detail}`;
}

/** Every node the action sends a command to or makes a node follow. */
function nodesTouched(snapshot: TopologySnapshot, action: ActionRequest): string[] {
  switch (action.kind) {
    case 'disconnect-link':
    case 'force-full-resync':
      return [action.replicaId, ...(linkOf(snapshot, action.replicaId) ? [linkOf(snapshot, action.replicaId)!.masterId] : [])];
    case 'promote':
      return [action.nodeId, ...(linkOf(snapshot, action.nodeId) ? [linkOf(snapshot, action.nodeId)!.masterId] : [])];
    case 'repoint':
      return [action.replicaId, action.masterId];
    case 'set-backlog-size':
      return [action.nodeId];
  }
}

/** In the demo's session (safety mode demo): why the action is refused when it touches a node that is not one of the demo's engines. */
function notEmbeddedReason(snapshot: TopologySnapshot, action: ActionRequest): string | null {
  const foreign = nodesTouched(snapshot, action).filter((id) => snapshot.nodes.find((candidate) => candidate.id === id)?.embedded !== true);
  if (foreign.length === 0) return null;
  return `the demo acts only on its embedded nodes: ${foreign.join(' and ')} ${foreign.length === 1 ? 'is' : 'are'} not one of them (attach ${foreign.length === 1 ? 'it' : 'them'} with a profile of ${foreign.length === 1 ? 'its' : 'their'} own to act there)`;
}

function linkOf(snapshot: TopologySnapshot, replicaId: string): LinkSnapshot | undefined {
  return snapshot.links.find((link) => link.replicaId === replicaId);
}

function node(snapshot: TopologySnapshot, id: string): NodeSnapshot {
  const found = snapshot.nodes.find((candidate) => candidate.id === id);
  if (!found) throw new ActionError('not-found', `no node ${id} in this session`);
  return found;
}

export function planAction(snapshot: TopologySnapshot, action: ActionRequest): ActionPlan {
  switch (action.kind) {
    case 'disconnect-link':
      return planDisconnect(snapshot, node(snapshot, action.replicaId), linkOf(snapshot, action.replicaId), action.side);
    case 'force-full-resync': {
      const replica = node(snapshot, action.replicaId);
      const link = linkOf(snapshot, replica.id);
      const own = ownMasterAddress(replica, link);
      if (own.refusal !== null) return { steps: [`Not possible now: ${own.refusal}.`], commands: [], aclNames: [], prediction: 'unknown', predictionReason: own.refusal, guardNodeId: replica.id, refusal: own.refusal };
      // Two different things, each in its own words: the address the replica dials (master_host:master_port,
      // which in the demo is the chaos proxy in front of the master) and the master node behind it, whose
      // replication id (master_replid in its INFO) is the one the replica's PSYNC will not carry.
      const address = `${own.host}:${own.port}`;
      const masterId = link?.masterId ?? address;
      const masterReplid = snapshot.nodes.find((candidate) => candidate.id === masterId)?.replid ?? null;
      const dialled = masterId === address ? address : `${address}, the address it follows for ${masterId}`;
      // Its own replicas lose their links too. Once it has loaded the master's snapshot its backlog
      // starts anew at the master's offset, and the id it had in between is gone: one that reconnected
      // in between (and took that id), or whose offset is behind the snapshot's, full-syncs.
      const below = snapshot.links.filter((link) => link.masterId === replica.id).map((link) => link.replicaId);
      return {
        steps: [
          `On ${replica.id}: REPLICAOF NO ONE (it becomes a master for an instant and takes a new replication id).`,
          `On ${replica.id}: REPLICAOF ${own.host} ${own.port} (${dialled}): its PSYNC carries the new id, which ${masterId} does not know (its replication id is ${masterReplid ?? 'unknown'}).`,
          'The master answers +FULLRESYNC: snapshot, transfer, load, then streaming.',
          ...[writesRefusedWhileResyncing(snapshot.nodes.find((candidate) => candidate.id === masterId), replica.id)].filter((step) => step !== null),
          ...below.map((id) => `${id}, which replicates from ${replica.id}, loses its link too and needs a full resync of its own from ${replica.id} once that has loaded the master's snapshot (its backlog starts anew at the master's offset), unless it did not reconnect in between and nothing was written between the two REPLICAOFs: then it continues.`),
        ],
        commands: [`REPLICAOF NO ONE (on ${replica.id})`, `REPLICAOF ${own.host} ${own.port} (on ${replica.id})`],
        aclNames: ['replicaof'],
        prediction: 'full',
        predictionReason: `a replica that was briefly a master asks with a replication id ${masterId} never issued (${masterId}'s own is ${masterReplid ?? 'unknown'})`,
        guardNodeId: replica.id,
        refusal: snapshot.kind === 'cluster' ? 'REPLICAOF is not allowed in cluster mode, and a cluster replica cannot be made to full-sync without leaving its shard' : null,
      };
    }
    case 'promote':
      return planPromote(snapshot, node(snapshot, action.nodeId), action.method);
    case 'repoint': {
      const replica = node(snapshot, action.replicaId);
      const master = node(snapshot, action.masterId);
      const verdict = repointVerdict(replica, master);
      const offset = replica.slaveReplOffset ?? replica.masterReplOffset;
      // A master being demoted keeps its data and offers its own history (replid, master_repl_offset) as the PSYNC.
      const demoted = replica.role === 'master'
        ? [`${replica.id} is a master: it stops taking writes, and offers its own replication id and offset as the place to continue from.`]
        : [];
      return {
        steps: [`On ${replica.id}: REPLICAOF ${master.host} ${master.port}.`, ...demoted, `${replica.id} sends PSYNC ${replica.replid?.slice(0, 8) ?? '?'}… ${offset === null ? '?' : offset + 1}.`],
        commands: [`REPLICAOF ${master.host} ${master.port} (on ${replica.id})`],
        aclNames: ['replicaof'],
        prediction: verdict.prediction,
        predictionReason: verdict.reason,
        guardNodeId: replica.id,
        refusal: snapshot.kind === 'cluster' ? 'REPLICAOF is not allowed in cluster mode: a cluster replica moves with CLUSTER REPLICATE <master node id>, which Replscope does not offer yet' : null,
      };
    }
    case 'set-backlog-size': {
      node(snapshot, action.nodeId);
      return {
        steps: [`On ${action.nodeId}: CONFIG SET repl-backlog-size ${action.bytes}. The window keeps its content (a smaller one drops the oldest bytes).`],
        commands: [`CONFIG SET repl-backlog-size ${action.bytes} (on ${action.nodeId})`],
        aclNames: ['config|set'],
        prediction: 'none',
        predictionReason: 'no link is touched',
        guardNodeId: action.nodeId,
      };
    }
  }
}

/** The commands an action sends to a node; a failure becomes a sentence naming the command and the node. */
function clientFor(monitor: DeploymentMonitor, nodeId: string): ActionCommands {
  const client = monitor.client(nodeId);
  if (!client) throw new ActionError('not-found', `no connection to ${nodeId}`);
  return commandsOn(nodeId, client);
}

async function execute(monitor: DeploymentMonitor, action: ActionRequest): Promise<void> {
  const snapshot = monitor.snapshot();
  switch (action.kind) {
    case 'disconnect-link':
      await executeDisconnect(monitor, linkOf(snapshot, action.replicaId), action, (nodeId) => clientFor(monitor, nodeId));
      return;
    case 'force-full-resync': {
      // Only the address the replica's own INFO gives, or nothing is sent: REPLICAOF NO ONE alone would leave it a master.
      const own = ownMasterAddress(node(snapshot, action.replicaId), linkOf(snapshot, action.replicaId));
      if (own.refusal !== null) throw new Error(own.refusal);
      const client = clientFor(monitor, action.replicaId);
      await client.call('REPLICAOF', 'NO', 'ONE');
      await client.call('REPLICAOF', own.host, String(own.port));
      return;
    }
    case 'promote':
      await executePromote(monitor, snapshot, node(snapshot, action.nodeId), action.method, (nodeId) => clientFor(monitor, nodeId));
      return;
    case 'repoint': {
      const master = node(snapshot, action.masterId);
      await clientFor(monitor, action.replicaId).call('REPLICAOF', master.host, String(master.port));
      return;
    }
    case 'set-backlog-size':
      await clientFor(monitor, action.nodeId).call('CONFIG', 'SET', 'repl-backlog-size', String(action.bytes));
      return;
  }
}

