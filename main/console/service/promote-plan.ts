/**
 * Promoting a replica, the cleanest way the deployment offers:
 *  - cluster: CLUSTER FAILOVER on the replica (the only way a cluster node
 *    changes role; REPLICAOF and FAILOVER are refused in cluster mode);
 *  - Sentinel: SENTINEL FAILOVER <group>, so the Sentinels reconfigure the
 *    other replicas and clients; Sentinel picks the replica itself (the
 *    lowest replica-priority, then offset, then run id, among those it does
 *    not skip: sentinel-candidates.ts). The verdict follows Sentinel's own
 *    view (SENTINEL REPLICAS: the priorities it last read, its flags): a
 *    target at priority 0 is refused (-NOGOODSLAVE when no other candidate),
 *    and so is one another candidate outranks;
 *  - master reachable: FAILOVER TO (6.2+): writes pause until the target has
 *    every byte, so the old master continues partially;
 *  - otherwise REPLICAOF NO ONE on the replica.
 * 'auto' picks the first that applies; an explicit method is checked against
 * the deployment kind.
 */
import type { ActionRequest } from '../../../shared/contract/actions';
import type { ActionPlan } from './action-plan';
import type { NodeSnapshot, SentinelGroup, TopologySnapshot } from '../../../shared/contract/snapshots';
import { sentinelCandidates, sentinelSkips, sentinelViewOf } from './sentinel-candidates';
import type { DeploymentMonitor } from '../monitor/deployment-monitor';
import { otherReplicasAfterFailover, READONLY_AFTER_FAILOVER } from './promote-effects';
import { ActionStepError, describeStepFailure } from './action-failure';
import { masterOf, unknownMasterReason } from './unknown-master';

/** How long FAILOVER TO may pause writes while the target catches up. */
const FAILOVER_TIMEOUT_MS = 10_000;

type PromoteRequest = Extract<ActionRequest, { kind: 'promote' }>;
export type PromoteMethod = Exclude<PromoteRequest['method'], 'auto'>;

export interface PromotePlan extends ActionPlan {
  readonly method: PromoteMethod;
  /** Why this method cannot be used here (the preflight is then refused). */
  readonly refusal: string | null;
}

/**
 * The node the target replicates from, by its id: the link's master (which
 * maps a proxy in between, like the demo's chaos proxy, back to the node),
 * else the address the target reports; null when neither is known.
 */
function masterIdOf(snapshot: TopologySnapshot, target: NodeSnapshot): string | null {
  return masterOf(target, snapshot.links.find((link) => link.replicaId === target.id));
}

function sentinelGroupOf(snapshot: TopologySnapshot, target: NodeSnapshot): string | null {
  const master = masterIdOf(snapshot, target);
  const group = master === null ? undefined : snapshot.groups.find((candidate) => candidate.kind === 'sentinel' && candidate.masterId === master);
  return group?.name ?? null;
}

function sentinelGroupNamed(snapshot: TopologySnapshot, name: string | null): SentinelGroup | undefined {
  return snapshot.groups.find((group): group is SentinelGroup => group.kind === 'sentinel' && group.name === name);
}

/**
 * The replica-priority Sentinel judges `target` by: the slave-priority SENTINEL REPLICAS lists (Sentinel re-reads it
 * from the replica's INFO every 10 s, so a CONFIG SET counts only once it shows there); the node's polled CONFIG GET
 * when Sentinel does not list it; null when neither is known.
 */
function sentinelPriority(group: SentinelGroup | undefined, target: NodeSnapshot): number | null {
  const listed = group ? sentinelViewOf(group, target)?.priority : undefined;
  if (listed !== undefined && listed !== null) return listed;
  const value = target.config?.['replica-priority'];
  return value === undefined ? null : Number(value);
}

/** The other replicas Sentinel may promote (sentinel-candidates.ts), named by their console ids. */
function siblingCandidates(snapshot: TopologySnapshot, group: SentinelGroup | undefined, target: NodeSnapshot): Array<{ id: string; priority: number }> {
  if (!group) return [];
  return sentinelCandidates(group, target).map((candidate) => ({
    id: snapshot.nodes.find((node) => node.id === candidate.id || `${node.host}:${node.port}` === candidate.id)?.id ?? candidate.id,
    priority: candidate.priority,
  }));
}

/**
 * Why Sentinel will not promote `target`, or null. Sentinel never picks a replica whose replica-priority is 0,
 * and among those it may pick, the lowest replica-priority wins before anything else (sentinel.c,
 * compareSlavesForPromotion: priority, then the larger replication offset, then the smaller run id), so
 * SENTINEL FAILOVER promotes a candidate with a lower priority than the target's. The candidates and their
 * priorities are Sentinel's own (SENTINEL REPLICAS): a replica it would skip (down, disconnected, its master
 * link down too long, ...) never outranks the target, and a target Sentinel would skip for a reason its own
 * fields show is refused.
 */
function sentinelWillNotPromote(snapshot: TopologySnapshot, target: NodeSnapshot, group: string): string | null {
  const view = sentinelGroupNamed(snapshot, group);
  const priority = sentinelPriority(view, target);
  const siblings = siblingCandidates(snapshot, view, target);
  if (priority === 0) {
    const candidates = siblings.map((node) => node.id);
    const instead = candidates.length > 0 ? `SENTINEL FAILOVER ${group} can promote only ${candidates.join(' or ')}, never this one` : `SENTINEL FAILOVER ${group} would answer -NOGOODSLAVE (no other replica may be promoted)`;
    return `Sentinel never promotes ${target.id}: its replica-priority is 0, and Sentinel skips such replicas when it picks one; ${instead}. Raise its replica-priority (CONFIG SET replica-priority 100) first and wait until SENTINEL REPLICAS shows it (Sentinel re-reads it from INFO every 10 s), or promote another replica.`;
  }
  // The target itself must be one Sentinel may pick: refused only for a skip Sentinel's own fields show.
  const listed = view ? sentinelViewOf(view, target) : undefined;
  const skip = view && listed ? sentinelSkips(view, listed) : null;
  if (skip?.known) {
    const instead = siblings.length > 0 ? `SENTINEL FAILOVER ${group} would promote ${siblings.map((node) => node.id).join(' or ')} instead` : `SENTINEL FAILOVER ${group} would answer -NOGOODSLAVE unless Sentinel may promote another replica (none is known to be one it may)`;
    return `Sentinel would not promote ${target.id} now: ${skip.reason}, and Sentinel skips such replicas when it picks one (sentinel.c, sentinelSelectSlave); ${instead}. Fix the replica first (SENTINEL REPLICAS ${group} shows what Sentinel sees), or promote another replica.`;
  }
  if (priority === null) return null;
  const lower = siblings.filter((node) => node.priority < priority);
  if (lower.length === 0) return null;
  const lowest = Math.min(...lower.map((node) => node.priority));
  const picked = lower.filter((node) => node.priority === lowest).map((node) => node.id);
  const fix = lowest > 1 ? `give ${target.id} the lowest (CONFIG SET replica-priority ${lowest - 1} on it)` : `raise ${picked.join(' and ')}'s above ${priority}`;
  return `SENTINEL FAILOVER ${group} would promote ${picked.join(' or ')}, not ${target.id}: Sentinel picks the lowest replica-priority first, and as it reads them (SENTINEL REPLICAS) ${picked.join(' and ')}'s replica-priority is ${lowest}, ${target.id}'s ${priority}. To promote ${target.id}, ${fix}, wait until SENTINEL REPLICAS shows it (Sentinel re-reads replica-priority from INFO every 10 s), then retry; or promote ${picked.join(' or ')}.`;
}

/**
 * The other replicas of the group's master that SENTINEL REPLICAS does not list because they are set
 * replica-announced no (their own CONFIG GET): Sentinel hides them from its listing (sentinel.c
 * addReplyDictOfRedisInstances) but sentinelSelectSlave does not skip them (redis 7.0.15), so it may promote one,
 * and what it sees of them (flags, link, INFO age) is not known here. Those at replica-priority 0 are left
 * out: sentinelSelectSlave skips slave_priority 0, and replica-announced no with replica-priority 0 is how
 * redis.conf says to hide a replica that must never be promoted.
 */
function unannouncedSiblings(snapshot: TopologySnapshot, view: SentinelGroup | undefined, target: NodeSnapshot): NodeSnapshot[] {
  if (!view || view.masterId === null) return [];
  const replicaIds = new Set(snapshot.links.filter((link) => link.masterId === view.masterId).map((link) => link.replicaId));
  return snapshot.nodes.filter((node) => node.id !== target.id && replicaIds.has(node.id) && node.config?.['replica-announced'] === 'no'
    && Number(node.config['replica-priority']) !== 0 && sentinelViewOf(view, node) === undefined);
}

/** The words naming the unannounced siblings Sentinel may pick (unannouncedSiblings), or '' when there are none. */
function unannouncedNote(snapshot: TopologySnapshot, view: SentinelGroup | undefined, target: NodeSnapshot, group: string | null): string {
  const hidden = unannouncedSiblings(snapshot, view, target);
  if (hidden.length === 0) return '';
  const targetPriority = sentinelPriority(view, target);
  const named = hidden.map((node) => {
    const priority = node.config?.['replica-priority'];
    const ranks = priority !== undefined && targetPriority !== null && Number(priority) > 0 && Number(priority) < targetPriority ? `, lower than ${target.id}'s ${targetPriority}: Sentinel picks it first unless it skips it` : '';
    return `${node.id} is not in SENTINEL REPLICAS ${group ?? '?'} (replica-announced no), yet Sentinel may promote it (sentinelSelectSlave does not skip unannounced replicas): its replica-priority ${priority ?? '(not known)'}${ranks}`;
  });
  return ` ${named.join('; ')}.`;
}

/** The first step of a SENTINEL FAILOVER: which replica Sentinel would pick, as its own view (SENTINEL REPLICAS) tells. */
function sentinelPickStep(snapshot: TopologySnapshot, target: NodeSnapshot, group: string | null): string {
  const command = `On a Sentinel: SENTINEL FAILOVER ${group ?? '?'}.`;
  const view = sentinelGroupNamed(snapshot, group);
  const unannounced = unannouncedNote(snapshot, view, target, group);
  if (unannounced !== '') return `${command} Sentinel picks the replica to promote (replica-priority, then the most data, then the smaller run id), and it may pick one its listing does not show.${unannounced}`;
  const listed = view ? sentinelViewOf(view, target) : undefined;
  const eligible = view !== undefined && listed !== undefined && sentinelSkips(view, listed) === null;
  const priority = sentinelPriority(view, target);
  const siblings = siblingCandidates(snapshot, view, target);
  if (eligible && priority !== null && priority > 0 && siblings.length > 0 && siblings.every((node) => node.priority > priority)) {
    return `${command} Sentinel would pick ${target.id}, if it still sees it as eligible when it runs: its replica-priority ${priority} is the lowest of the replicas it may promote (Sentinel picks by replica-priority first).`;
  }
  if (eligible && siblings.length === 0 && priority !== null && priority > 0) return `${command} Sentinel would pick ${target.id}, if it still sees it as eligible when it runs: it is the only replica Sentinel may promote now.`;
  return `${command} Sentinel picks the replica to promote (replica-priority, then the most data, then the smaller run id): with several replicas it may not be ${target.id}.`;
}

export function resolvePromoteMethod(snapshot: TopologySnapshot, target: NodeSnapshot, requested: PromoteRequest['method']): PromoteMethod {
  if (requested !== 'auto') return requested;
  if (snapshot.kind === 'cluster') return 'cluster-failover';
  if (snapshot.kind === 'sentinel' && sentinelGroupOf(snapshot, target)) return 'sentinel-failover';
  const masterId = masterIdOf(snapshot, target);
  const master = snapshot.nodes.find((candidate) => candidate.id === masterId);
  return master?.health === 'up' && target.masterLinkStatus === 'up' ? 'failover' : 'replicaof-no-one';
}

export function planPromote(snapshot: TopologySnapshot, target: NodeSnapshot, requested: PromoteRequest['method']): PromotePlan {
  const method = resolvePromoteMethod(snapshot, target, requested);
  const link = snapshot.links.find((candidate) => candidate.replicaId === target.id);
  // Named in the steps as "its master" when unknown; FAILOVER and SENTINEL FAILOVER are then refused (unknown-master.ts).
  const master = masterIdOf(snapshot, target) ?? 'its master';
  const unknown = unknownMasterReason(target, link);
  const inCluster = snapshot.kind === 'cluster';
  switch (method) {
    case 'cluster-failover':
      return {
        method,
        steps: [
          `On ${target.id}: CLUSTER FAILOVER. It asks its master ${master} to stop writes, waits until it has every byte, then takes over the slots with a new epoch.`,
          `${master} becomes a replica of ${target.id} and continues with a partial resync; the shard's other replicas follow ${target.id} (one hop from it).`,
          `Clients writing to ${master} are redirected with -MOVED to ${target.id} (cluster clients follow by themselves).`,
        ],
        commands: [`CLUSTER FAILOVER (on ${target.id})`],
        aclNames: ['cluster|failover'],
        prediction: 'partial',
        predictionReason: 'a manual cluster failover waits for the replica to catch up, so the old master continues partially',
        guardNodeId: target.id,
        refusal: inCluster ? null : 'CLUSTER FAILOVER only applies to Cluster deployments',
      };
    case 'sentinel-failover': {
      const group = sentinelGroupOf(snapshot, target);
      return {
        method,
        steps: [
          sentinelPickStep(snapshot, target, group),
          'The Sentinels re-point the other replicas and the old master to the new one (each one hop from it) and publish the new address to Sentinel-aware clients.',
          // Sentinel converts an old master only once it has reported "master" for 8 s after the
          // switch (sentinel.c, SENTINEL_PUBLISH_PERIOD * 4), and nothing pauses its writes meanwhile.
          `${master} is not stopped: it keeps taking writes until Sentinel turns it into a replica, at least 8 s after the switch (once it has reported itself a master that long). Writes it takes after the promotion are discarded when it resyncs from the new master (writes lost in failover): stop writing to it first if they matter.`,
          `Clients still writing to ${master} get "-READONLY You can't write against a read only replica." once Sentinel has made it a replica.`,
        ],
        // Refused with the master unknown: no command is built from it (unknown-master.ts).
        commands: unknown === null ? [`SENTINEL FAILOVER ${group ?? '?'} (on a Sentinel)`] : [],
        aclNames: [],
        prediction: 'unknown',
        predictionReason: 'Sentinel does not wait for the replicas to catch up: replicas re-pointed to the new master continue partially through replid2 when their offsets allow it',
        guardNodeId: target.id,
        refusal: unknown ?? (group === null ? `no Sentinel group of this session monitors ${master}` : sentinelWillNotPromote(snapshot, target, group)),
      };
    }
    case 'failover':
      return {
        method,
        steps: [
          `On ${master}: FAILOVER TO ${target.host} ${target.port} TIMEOUT ${FAILOVER_TIMEOUT_MS}: writes pause until ${target.id} has every byte.`,
          `${master} becomes a replica of ${target.id} with PSYNC ... FAILOVER; ${target.id} promotes itself.`,
          `${master} continues from ${target.id} with a partial resync.`,
          ...otherReplicasAfterFailover(snapshot, target.id, master),
          READONLY_AFTER_FAILOVER(master, target.id, FAILOVER_TIMEOUT_MS),
        ],
        commands: unknown === null ? [`FAILOVER TO ${target.host} ${target.port} TIMEOUT ${FAILOVER_TIMEOUT_MS} (on ${master})`] : [],
        aclNames: ['failover'],
        prediction: 'partial',
        predictionReason: 'FAILOVER waits until the target has acknowledged every byte, so the old master continues partially',
        guardNodeId: master,
        refusal: inCluster ? 'FAILOVER is not allowed in cluster mode: use CLUSTER FAILOVER' : unknown,
      };
    case 'replicaof-no-one':
      return {
        method,
        steps: [
          `On ${target.id}: REPLICAOF NO ONE. It keeps its data, takes a new replication id and keeps the old one as replid2.`,
          `Other replicas of ${master} are not moved: re-point them to ${target.id} (they can continue partially through replid2).`,
          `${master} keeps accepting writes if it is up: clients writing there are not redirected, and what they write never reaches ${target.id} (two masters of one history until ${master} is re-pointed).`,
        ],
        commands: [`REPLICAOF NO ONE (on ${target.id})`],
        aclNames: ['replicaof'],
        prediction: 'none',
        predictionReason: 'promotion itself transfers no data',
        guardNodeId: target.id,
        refusal: inCluster ? 'REPLICAOF is not allowed in cluster mode: use CLUSTER FAILOVER' : null,
      };
  }
}

export async function executePromote(monitor: DeploymentMonitor, snapshot: TopologySnapshot, target: NodeSnapshot, requested: PromoteRequest['method'], clientFor: (nodeId: string) => { call(...args: string[]): Promise<unknown> }): Promise<void> {
  const plan = planPromote(snapshot, target, requested);
  if (plan.refusal) throw new Error(plan.refusal);
  switch (plan.method) {
    case 'cluster-failover':
      await clientFor(target.id).call('CLUSTER', 'FAILOVER');
      return;
    case 'sentinel-failover': {
      const reply = monitor.sentinelCall('SENTINEL', 'FAILOVER', sentinelGroupOf(snapshot, target)!);
      if (!reply) throw new Error('this session has no Sentinel');
      await reply.catch((failure: unknown) => {
        throw new ActionStepError(describeStepFailure(failure, 'the Sentinel', ['SENTINEL', 'FAILOVER']));
      });
      return;
    }
    case 'failover':
      await clientFor(masterIdOf(snapshot, target)!).call('FAILOVER', 'TO', target.host, String(target.port), 'TIMEOUT', String(FAILOVER_TIMEOUT_MS));
      return;
    case 'replicaof-no-one':
      await clientFor(target.id).call('REPLICAOF', 'NO', 'ONE');
      return;
  }
}

/** The promotion as observed: the target is a master, or (Sentinel's choice) another former replica is. */
export function observePromotion(before: TopologySnapshot, now: TopologySnapshot, targetId: string): { message: string; promoted: NodeSnapshot } | null {
  const target = now.nodes.find((candidate) => candidate.id === targetId);
  if (target?.role === 'master') return { promoted: target, message: `${targetId} is a master (replid ${target.replid?.slice(0, 8)}, replid2 ${target.replid2?.slice(0, 8)})` };
  const wasReplica = (id: string): boolean => before.nodes.some((was) => was.id === id && was.role === 'replica');
  const other = now.nodes.find((candidate) => candidate.role === 'master' && candidate.id !== targetId && wasReplica(candidate.id));
  if (other) return { promoted: other, message: `Sentinel promoted ${other.id} instead of ${targetId} (replid ${other.replid?.slice(0, 8)}, replid2 ${other.replid2?.slice(0, 8)})` };
  return null;
}
