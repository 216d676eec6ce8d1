/**
 * Who changed a node's role, from evidence, in this order:
 *
 *  1. Sentinel: one of its notices names the node as the one it promoted
 *     (+selected-slave, +failover-state-send-slaveof-noone,
 *     +failover-state-wait-promotion, +promoted-slave, or +switch-master to
 *     it) or demoted (+convert-to-slave, +slave-reconf-sent,
 *     +fix-slave-config). What started the failover is read from the same
 *     notices, for this failover only (from its +try-failover on): the
 *     master was objectively down when some Sentinel's last word on that
 *     master before the +try-failover is +odown (-odown, or a +switch-master
 *     of the group, after which a Sentinel forgets the old master's state
 *     without publishing -odown, ends it); a +try-failover without one is a
 *     forced failover (SENTINEL FAILOVER). The +odown of an earlier failover
 *     of the group says nothing about this one.
 *  2. This console: an action it ran on the node (an intent noted just
 *     before running it; command-evidence.ts).
 *  3. Sentinel, its notice not heard (late, or from a Sentinel not watched):
 *     the only role command counted on the node is SLAVEOF, each in the
 *     transaction Sentinel sends it in (MULTI, SLAVEOF, CONFIG REWRITE,
 *     CLIENT KILL ×2, EXEC). Else an operator elsewhere: REPLICAOF / SLAVEOF / FAILOVER / CLUSTER
 *     FAILOVER counted in the node's INFO commandstats since before the
 *     change (for a promotion by FAILOVER, on its former master; for a
 *     demotion by CLUSTER FAILOVER, on its new master: the replica runs it,
 *     and its master then reconfigures itself as that replica's replica).
 *  4. In a Cluster, the Cluster itself (no REPLICAOF is allowed there): a
 *     replica becomes a master only by winning an election, which without
 *     CLUSTER FAILOVER follows its master being flagged fail; a master
 *     becomes a replica when another node claims its slots with a higher
 *     config epoch ("Configuration change detected. Reconfiguring myself as
 *     a replica of <id>"), as a master killed and restarted does once its
 *     replica was elected. The evidence is the node's own CLUSTER NODES:
 *     the former master's fail flag, the config epoch of the new master.
 *  5. Unknown, saying what was checked (and that the node restarted, when
 *     it did: a node that loses its config comes back as a master).
 *
 * Where Sentinels are watched, a change is held up to HOLD_MS for their
 * notices: +promoted-slave is published only after Sentinel's next INFO of
 * the node, up to a second after the console may have seen the new role.
 * Not when FAILOVER or CLUSTER FAILOVER is counted on a node it concerns:
 * no Sentinel sends those.
 */
import type { Redis } from 'ioredis';
import type { CauseCode, ReplicationEvent } from '../../../shared/contract/events';
import type { NodeSnapshot } from '../../../shared/contract/snapshots';
import { sentinelSlaveofEvidence, type CommandEvidence } from './command-evidence';
import type { SentinelNotice } from './sentinel-notice';

const HOLD_MS = 5000;
/** How far back a Sentinel notice can explain a role change (a failover takes seconds; failover-timeout bounds it). */
const LOOKBACK_MS = 60_000;

/** Sentinel's hello PUBLISH period plus its PING period (sentinel.c SENTINEL_PUBLISH_PERIOD, SENTINEL_PING_PERIOD). */
const SENTINEL_HELLO_AND_PING_MS = 3000;

const PROMOTION_STEPS = new Set(['+selected-slave', '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion', '+promoted-slave']);
const DEMOTION_STEPS = new Set(['+convert-to-slave', '+slave-reconf-sent', '+fix-slave-config']);

export interface RoleChange {
  readonly kind: 'promotion' | 'demotion';
  /** The node now, and as it was when it last answered with its old role. */
  readonly node: NodeSnapshot;
  readonly before: NodeSnapshot;
  readonly detectedAt: number;
  /** The CommandEvidence poll number of the last poll that showed the old role. */
  readonly lastOldRolePoll: number;
  /** The time of the poll before the one that found the change (-1: none): the change happened after it. */
  readonly previousPollAt?: number;
  readonly restarted: boolean;
}

export interface AttributedRoleChange {
  readonly change: RoleChange;
  readonly cause: CauseCode;
  readonly attribution: 'sentinel' | 'operator' | 'cluster' | 'unknown';
  /** What showed it, in words an operator can check. */
  readonly evidence: string;
  /** Sentinel failovers: '+odown' or 'SENTINEL FAILOVER'; operator: the command seen. */
  readonly trigger: string | null;
}

export interface RoleEvidenceSources {
  /** The Sentinel notices received lately, or null when the deployment has no Sentinel watched. */
  notices(): readonly SentinelNotice[] | null;
  readonly commands: CommandEvidence;
  client(nodeId: string): Redis | undefined;
  /** A Sentinel group's down-after-milliseconds, as its Sentinels report it, or null when not read. */
  downAfterMs(group: string): number | null;
  /** The deployment is a Redis Cluster (its nodes elect and reconfigure themselves). */
  cluster(): boolean;
}

interface ClusterNodesLine {
  /** ip:port as announced (without the bus port and hostname). */
  readonly address: string;
  readonly clusterId: string;
  readonly flags: readonly string[];
  readonly masterId: string;
  readonly configEpoch: string;
}

function parseClusterNodesLines(text: string): ClusterNodesLine[] {
  return text.split('\n').map((line) => line.trim().split(' ')).filter((fields) => fields.length >= 8).map((fields) => ({
    clusterId: fields[0]!, address: fields[1]!.split(',')[0]!.split('@')[0]!, flags: fields[2]!.split(','), masterId: fields[3]!, configEpoch: fields[6]!,
  }));
}

/**
 * The Cluster's part in a role change, from the node's own CLUSTER NODES
 * (step 4 above), or null when it cannot be read.
 */
async function clusterEvidence(change: RoleChange, client: Redis | undefined): Promise<Omit<AttributedRoleChange, 'change'> | null> {
  if (!client) return null;
  let lines: ClusterNodesLine[];
  try {
    lines = parseClusterNodesLines(String(await client.call('CLUSTER', 'NODES')));
  } catch {
    return null;
  }
  const myself = lines.find((line) => line.flags.includes('myself'));
  if (!myself) return null;
  const restarted = change.restarted ? '; it restarted (run_id changed)' : '';
  if (change.kind === 'promotion') {
    const former = change.before.masterHost ? `${change.before.masterHost}:${change.before.masterPort}` : null;
    const formerLine = lines.find((line) => line.address === former);
    const failed = formerLine?.flags.find((flag) => flag === 'fail' || flag === 'fail?');
    const why = failed !== undefined
      ? `its master ${former} is flagged ${failed} in CLUSTER NODES, and it won the election (config epoch ${myself.configEpoch})`
      : `it won an election (config epoch ${myself.configEpoch}) with no CLUSTER FAILOVER counted on it; its former master ${former ?? '?'} is ${formerLine ? `flagged ${formerLine.flags.join(',')}` : 'not in its CLUSTER NODES'}`;
    return { cause: 'cluster-failover', attribution: 'cluster', trigger: failed !== undefined ? 'master failed' : 'election', evidence: `Cluster failover: ${why}${restarted}` };
  }
  const newMaster = `${change.node.masterHost}:${change.node.masterPort}`;
  const masterLine = lines.find((line) => line.clusterId === myself.masterId);
  return {
    cause: 'cluster-failover', attribution: 'cluster', trigger: 'configuration change',
    evidence: `the Cluster reconfigured it: ${newMaster} took over its slots (config epoch ${masterLine?.configEpoch ?? '?'})${restarted}`,
  };
}

function sentinelEvidence(change: RoleChange, notices: readonly SentinelNotice[]): Omit<AttributedRoleChange, 'change'> | null {
  const id = change.node.id;
  const recent = notices.filter((notice) => notice.time >= change.detectedAt - LOOKBACK_MS);
  const steps = change.kind === 'promotion'
    ? recent.filter((notice) => (PROMOTION_STEPS.has(notice.channel) && notice.instanceId === id) || (notice.channel === '+switch-master' && notice.switchedTo === id))
    : recent.filter((notice) => DEMOTION_STEPS.has(notice.channel) && notice.instanceId === id);
  const last = steps[steps.length - 1];
  if (!last) return null;
  if (change.kind === 'demotion') {
    const seen = [...new Set(steps.map((step) => step.channel))].join(', ');
    return { cause: 'sentinel-failover', attribution: 'sentinel', trigger: steps[0]!.channel, evidence: `${steps[0]!.sentinelId} published ${seen} for it` };
  }
  const group = last.group;
  const ofGroup = recent.filter((notice) => notice.group === group);
  // This failover began with the last +try-failover before its latest step.
  const start = ofGroup.filter((notice) => notice.channel === '+try-failover' && notice.time <= last.time).pop();
  const ownSteps = start ? steps.filter((step) => step.time >= start.time) : steps;
  const first = ownSteps[0] ?? last;
  const seen = [...new Set(ownSteps.map((step) => step.channel))].join(', ');
  const startedAt = start?.time ?? first.time;
  const odown = odownInForce(ofGroup.filter((notice) => notice.time <= startedAt), start?.instanceId ?? null);
  const tried = start !== undefined;
  const trigger = odown ? '+odown' : tried ? 'SENTINEL FAILOVER' : 'unknown';
  const why = odown ? 'after the master was objectively down (+odown)' : tried ? 'forced without +odown (SENTINEL FAILOVER)' : 'its start was not heard';
  return { cause: 'sentinel-failover', attribution: 'sentinel', trigger, evidence: `Sentinel failover of ${group ?? '?'} ${why}; ${first.sentinelId} published ${seen}` };
}

/**
 * Whether some Sentinel's latest word on `masterId` being objectively down,
 * among one group's `notices` (oldest first), is +odown. Without a master
 * id (the +try-failover was not heard), any master of the group counts.
 */
function odownInForce(notices: readonly SentinelNotice[], masterId: string | null): boolean {
  const latest = new Map<string, boolean>();
  for (const notice of notices) {
    if (notice.channel === '+switch-master') latest.set(notice.sentinelId, false);
    else if ((notice.channel === '+odown' || notice.channel === '-odown') && (masterId === null || notice.instanceId === masterId)) latest.set(notice.sentinelId, notice.channel === '+odown');
  }
  return [...latest.values()].includes(true);
}

export class RoleAttribution {
  private readonly pending: RoleChange[] = [];

  constructor(private readonly sources: RoleEvidenceSources) {}

  add(change: RoleChange): void {
    this.pending.push(change);
  }

  /** The nodes whose promotion waits for its attribution. */
  pendingPromotions(): string[] {
    return this.pending.filter((change) => change.kind === 'promotion').map((change) => change.node.id);
  }

  /** The nodes whose demotion waits for its attribution. */
  pendingDemotions(): string[] {
    return this.pending.filter((change) => change.kind === 'demotion').map((change) => change.node.id);
  }

  /** The role changes that can be attributed now (or have waited long enough), oldest first. */
  async settle(now: number): Promise<AttributedRoleChange[]> {
    const settled: AttributedRoleChange[] = [];
    const notices = this.sources.notices();
    for (let index = 0; index < this.pending.length; ) {
      const change = this.pending[index]!;
      const verdict = await this.attribute(change, notices, now);
      if (!verdict) {
        index++;
        continue;
      }
      this.pending.splice(index, 1);
      settled.push({ change, ...verdict });
    }
    return settled;
  }

  /**
   * Whether a command only a person runs (FAILOVER, CLUSTER FAILOVER: Sentinel
   * sends only REPLICAOF/SLAVEOF) is counted since before the change on a
   * node it concerns: the node, its former master (FAILOVER promotes its
   * replica), its new master (CLUSTER FAILOVER runs there). Sentinel's notices
   * then need not be waited for. Found with FAILOVER TO run by hand in a
   * Sentinel-watched group: the demotion and the old master's partial resync
   * were recorded 5.2 s after its log's "Successful partial
   * resynchronization with master" (sentinel-group-failover-command.test.ts).
   */
  private async operatorOnlyCommandCounted(change: RoleChange): Promise<boolean> {
    const related = [change.node.id];
    if (change.kind === 'promotion' && change.before.masterHost) related.push(`${change.before.masterHost}:${change.before.masterPort}`);
    if (change.kind === 'demotion' && change.node.masterHost) related.push(`${change.node.masterHost}:${change.node.masterPort}`);
    for (const id of related) {
      const counted = await this.sources.commands.commandsSince(id, change.lastOldRolePoll, this.sources.client(id));
      if (counted?.some((command) => command.startsWith('FAILOVER') || command.startsWith('CLUSTER FAILOVER'))) return true;
    }
    return false;
  }

  /**
   * What this console saw of the former master while Sentinel held it down,
   * for a failover started by +odown: Sentinel's verdict is about replies on
   * its own connection, not the node's health. Found in a new-user walk:
   * CLIENT PAUSE 8000 WRITE on a redis-server 7.0 master made three Sentinels
   * (down-after 3 s) fail it over while it answered this console's INFO every
   * poll; the promotion said only "after the master was objectively down".
   * A paused master holds Sentinel's hello PUBLISH (a may-replicate command,
   * held by CLIENT PAUSE WRITE), and the PINGs Sentinel sends after it on the
   * same connection wait behind it (a blocked client's further commands are
   * not read), so Sentinel sees no PING reply for down-after-milliseconds.
   * CLIENT PAUSE ALL holds the PINGs themselves.
   *
   * Says (each part only when seen) how many of this console's polls the
   * former master answered promptly between the first +sdown of it and the
   * promotion, and the CLIENT PAUSEs counted on it (INFO commandstats) since
   * a baseline taken down-after-milliseconds before that +sdown.
   */
  private async formerMasterWhileDown(change: RoleChange, notices: readonly SentinelNotice[]): Promise<string> {
    const former = change.before.masterHost ? `${change.before.masterHost}:${change.before.masterPort}` : null;
    if (!former) return '';
    // The first +sdown of the former master since a Sentinel last published -sdown for it (an earlier spell ended).
    let sdown: SentinelNotice | null = null;
    for (const notice of notices) {
      if (notice.instanceId !== former || notice.time > change.detectedAt || notice.time < change.detectedAt - LOOKBACK_MS) continue;
      if (notice.channel === '-sdown') sdown = null;
      else if (notice.channel === '+sdown' && notice.instanceType === 'master') sdown ??= notice;
    }
    if (!sdown) return '';
    const commands = this.sources.commands;
    const parts: string[] = [];
    const answers = commands.promptAnswersBetween(former, sdown.time, change.detectedAt);
    if (answers > 0) {
      parts.push(`${former} answered this console's polls ${answers} times between ${sdown.sentinelId}'s +sdown of it at ${new Date(sdown.time).toISOString()} and the promotion: Sentinel's PINGs went unanswered on its own connection while the node answered others`);
    }
    const downAfter = (sdown.group ? this.sources.downAfterMs(sdown.group) : null) ?? LOOKBACK_MS;
    // Sentinel counts down-after from its oldest unanswered PING, which it may send up to a hello period (2 s)
    // and a PING period (1 s) after the pause began (the PUBLISH that stalls the connection comes every 2 s):
    // the baseline is taken from before that, with a second to spare.
    const pauses = await commands.clientPausesSince(former, sdown.time - downAfter - SENTINEL_HELLO_AND_PING_MS - 1000, this.sources.client(former));
    if (pauses && pauses.count > 0) {
      parts.push(`CLIENT PAUSE ran on ${former} (cmdstat_client|pause +${pauses.count} since ${new Date(pauses.since).toISOString()}, INFO commandstats): a paused master leaves Sentinel's PINGs unanswered (CLIENT PAUSE WRITE holds Sentinel's hello PUBLISH and the PINGs queued behind it on that connection; ALL holds them all) while it is up`);
    }
    return parts.map((part) => `; ${part}`).join('');
  }

  private async attribute(change: RoleChange, notices: readonly SentinelNotice[] | null, now: number): Promise<Omit<AttributedRoleChange, 'change'> | null> {
    const fromSentinel = notices ? sentinelEvidence(change, notices) : null;
    const intent = this.sources.commands.intentFor(change.node.id, change.detectedAt);
    if (fromSentinel) {
      const downVerdict = change.kind === 'promotion' && fromSentinel.trigger === '+odown' && notices ? await this.formerMasterWhileDown(change, notices) : '';
      return { ...fromSentinel, evidence: `${fromSentinel.evidence}${downVerdict}${intent?.viaSentinel ? `; requested from this console (${intent.description})` : ''}` };
    }
    if (notices && now - change.detectedAt < HOLD_MS && !(await this.operatorOnlyCommandCounted(change))) return null;
    if (intent && !intent.viaSentinel) return { cause: 'manual', attribution: 'operator', trigger: intent.description, evidence: `this console ran ${intent.description}` };
    const commands = this.sources.commands;
    // One reading of the node's counters: its role commands and Sentinel's SLAVEOF transactions among them. Sentinel
    // promotes with SLAVEOF NO ONE and demotes with SLAVEOF <master>, each inside MULTI / EXEC with CONFIG REWRITE and
    // CLIENT KILL; its notice may not reach this console in time, or at all (a Sentinel it does not watch).
    const reading = await commands.roleCommandsSince(change.node.id, change.lastOldRolePoll, this.sources.client(change.node.id));
    const onNode = reading?.commands ?? null;
    const formerMaster = change.kind === 'promotion' && change.before.masterHost ? `${change.before.masterHost}:${change.before.masterPort}` : null;
    const onFormerMaster = formerMaster ? await commands.commandsSince(formerMaster, change.lastOldRolePoll, this.sources.client(formerMaster)) : null;
    const failoverOnFormer = onFormerMaster?.filter((command) => command.startsWith('FAILOVER')) ?? [];
    const newMaster = change.kind === 'demotion' ? `${change.node.masterHost}:${change.node.masterPort}` : null;
    const onNewMaster = newMaster ? await commands.commandsSince(newMaster, change.lastOldRolePoll, this.sources.client(newMaster)) : null;
    const clusterFailoverOnNew = onNewMaster?.filter((command) => command.startsWith('CLUSTER FAILOVER')) ?? [];
    const bySentinel = reading !== null ? sentinelSlaveofEvidence(reading, reading.commands) : null;
    if (bySentinel !== null) return { cause: 'sentinel-failover', attribution: 'sentinel', trigger: 'SLAVEOF in a Sentinel transaction', evidence: `${bySentinel}${notices ? '; no Sentinel notice for it reached this console' : ' (no Sentinel is watched by this console)'}` };
    if (onNode && onNode.length > 0) return { cause: 'operator-command', attribution: 'operator', trigger: onNode.join(', '), evidence: `${onNode.join(', ')} ran on ${change.node.id} (INFO commandstats), not from this console${notices ? ' and with no Sentinel notice' : ''}` };
    if (failoverOnFormer.length > 0) return { cause: 'operator-command', attribution: 'operator', trigger: failoverOnFormer.join(', '), evidence: `${failoverOnFormer.join(', ')} ran on its former master ${formerMaster} (INFO commandstats)` };
    if (clusterFailoverOnNew.length > 0) return { cause: 'operator-command', attribution: 'operator', trigger: clusterFailoverOnNew.join(', '), evidence: `${clusterFailoverOnNew.join(', ')} ran on its new master ${newMaster} (INFO commandstats), not from this console` };
    if (intent?.viaSentinel) return { cause: 'sentinel-failover', attribution: 'sentinel', trigger: 'SENTINEL FAILOVER', evidence: `requested from this console (${intent.description}); no Sentinel notice was received` };
    const fromCluster = this.sources.cluster() ? await clusterEvidence(change, this.sources.client(change.node.id)) : null;
    if (fromCluster) return fromCluster;
    const checked = [notices ? 'no Sentinel notice names it' : null, 'no action of this console', onNode === null ? 'its command counters could not be compared' : 'no REPLICAOF/FAILOVER in its command counters'].filter((part) => part !== null).join(', ');
    if (change.restarted) return { cause: 'unknown', attribution: 'unknown', trigger: 'restart', evidence: `it restarted (run_id changed) and came back as a ${change.node.role}; ${checked}` };
    return { cause: 'unknown', attribution: 'unknown', trigger: null, evidence: checked };
  }
}

/** Who made a role change, as the timeline says it ("promoted by Sentinel"). */
export function whoChangedRole(attribution: AttributedRoleChange['attribution']): string {
  return attribution === 'sentinel' ? 'by Sentinel' : attribution === 'operator' ? 'by an operator' : attribution === 'cluster' ? 'by the Cluster' : '(who did it is unknown)';
}

/** The timeline event for an attributed role change. */
export function roleChangeEvent(settled: AttributedRoleChange, make: (kind: 'promotion' | 'demotion', nodeId: string, peerId: string | null, cause: CauseCode, message: string, numbers: ReplicationEvent['numbers']) => ReplicationEvent): ReplicationEvent {
  const { change, cause, attribution, evidence, trigger } = settled;
  const node = change.node;
  const who = whoChangedRole(attribution);
  const numbers = { attribution, evidence, trigger };
  if (change.kind === 'promotion') {
    return make('promotion', node.id, null, cause, `${node.id} was promoted to master ${who}: ${evidence}. New replid ${short(node.replid)}, replid2 ${short(node.replid2)} valid up to offset ${node.secondReplOffset ?? '?'}`, {
      ...numbers, replid: node.replid, replid2: node.replid2, secondReplOffset: node.secondReplOffset,
    });
  }
  const master = `${node.masterHost}:${node.masterPort}`;
  return make('demotion', node.id, master, cause, `${node.id} became a replica of ${master} ${who}: ${evidence}`, { ...numbers, offsetAtDemotion: node.masterReplOffset });
}

function short(id: string | null): string {
  return id ? id.slice(0, 8) : '?';
}
