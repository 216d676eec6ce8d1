/**
 * What each alert rule sees in one snapshot or one event: the conditions
 * that hold now, as plain data. No state here: timing (a condition must
 * hold for the rule's forSeconds), one-alert-per-subject and clearing are
 * session-alerts.ts's.
 *
 * Figures that are not this poll's (a stale node or link: it did not answer,
 * or a node above it in a chain did not) raise no link or backlog condition:
 * the node-down rule says it once for the node that does not answer, instead
 * of one alert per figure it could not refresh. A link whose last known
 * state is down keeps an open Link down alert open (keepOnly) but fires
 * none: a link that went down has not come back because one end missed
 * polls (its replica may even answer that it is still down), and clearing
 * it would fire it again, with a second notification, once the end
 * answers; a link first seen down while stale is the silent node's Node
 * down alert's, not a second alert. So does a stale link's last known byte
 * lag or ACK age over its rule (a replica held behind has not caught up
 * because its master missed a poll), unless those figures are its answering
 * master's own (slaveN offset= and lag=) and only the replica is silent: a
 * stopped replica's ACKs stop, and the master's current word that it falls
 * behind fires them (stopped-replica-lag-alert.test.ts). A master's refusal of
 * writes is the exception: a stale master keeps its last known verdict
 * (snapshot-builder.ts), and a master that missed a poll has not stopped
 * refusing; its alert stays open rather than clear and fire again. So does
 * a writable replica's.
 */
import type { AlertRuleKind, AlertRules, AlertSeverity } from '../../../shared/contract/alerts';
import { BACKLOG_SAFETY_FACTOR, recommendBacklogBytes, recommendationRate } from '../../../shared/contract/backlog-recommendation';
import type { ReplicationEvent } from '../../../shared/contract/events';
import { WRITABLE_REPLICA_TEXT, writeRefusalText } from '../../../shared/contract/min-replicas-text';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';

export interface AlertCondition {
  readonly rule: AlertRuleKind;
  readonly subject: string;
  readonly nodeId: string | null;
  readonly severity: AlertSeverity;
  readonly title: string;
  readonly message: string;
  /** How long it has held already by the nodes' own account (a link down since N s), 0 when unknown. */
  readonly heldMs: number;
  /** Keeps an open alert of its rule and subject open, never fires one (a stale link's last known down state or lag). */
  readonly keepOnly?: boolean;
  /** An open alert of its rule and subject takes this message when it changes (a split-brain's failover window as Sentinel goes on), without a second notification. */
  readonly updatesMessage?: boolean;
}

/** Rules fired by a state that lasts, cleared when it ends. */
export const STATE_RULES: ReadonlySet<AlertRuleKind> = new Set(['link-down', 'lag-bytes', 'ack-age', 'split-brain', 'backlog-coverage', 'node-down', 'writes-refused', 'writable-replica']);

export const RULE_TITLES: Readonly<Record<AlertRuleKind, string>> = {
  'link-down': 'Link down',
  'lag-bytes': 'Byte lag',
  'ack-age': 'ACK age',
  'full-resync': 'Full resync',
  'writes-lost': 'Writes lost in failover',
  'split-brain': 'Split-brain',
  'backlog-coverage': 'Backlog too small',
  'node-down': 'Node down',
  'sentinel-odown': 'Master down (Sentinel +odown)',
  'writes-refused': 'Writes refused (min-replicas-to-write)',
  'writable-replica': 'Writable replica (replica-read-only no)',
};

/** How long a rule's condition must hold before it fires (0 for event rules). */
export function forSecondsOf(rules: AlertRules, rule: AlertRuleKind): number {
  switch (rule) {
    case 'link-down': return rules.linkDown.forSeconds;
    case 'lag-bytes': return rules.lagBytes.forSeconds;
    case 'ack-age': return rules.ackAge.forSeconds;
    case 'backlog-coverage': return rules.backlogCoverage.forSeconds;
    case 'node-down': return rules.nodeDown.forSeconds;
    default: return 0;
  }
}

const DOWN_STATES = new Set<LinkSnapshot['state']>(['down', 'connecting', 'handshake']);

function bytes(value: number): string {
  if (value < 1024) return `${Math.round(value)} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Whether a link's byte lag and ACK age are its master's current word though
 * the link is stale: the master answered this poll and still lists the
 * replica (slaveN), and the position used is the offset the replica last
 * acknowledged there. Only the replica is silent (stopped, hung): the
 * master's `offset=` and `lag=` are this poll's facts about it, and exactly
 * how a frozen replica shows (its ACKs stop, so its offset falls behind and
 * its lag grows each second until repl-timeout drops it).
 */
function lagFromCurrentMaster(link: LinkSnapshot, master: NodeSnapshot | undefined): boolean {
  return link.stale && master !== undefined && !master.stale && (master.health === 'up' || master.health === 'loading')
    && link.masterSideState === 'online' && link.offsetSource === 'ack';
}

function linkConditions(link: LinkSnapshot, master: NodeSnapshot | undefined, rules: AlertRules): AlertCondition[] {
  const found: AlertCondition[] = [];
  const base = { subject: link.replicaId, nodeId: link.replicaId };
  // A stale link's last known state keeps an open alert open but fires none (keepOnly): the link has not come back, nor the replica caught up, because an end missed a poll.
  const keep = link.stale ? { keepOnly: true } : {};
  const stale = link.stale ? ` Its figures are not current (${link.staleReason ?? 'an end did not answer this poll'}): this is its last known state.` : '';
  // ... except a silent replica's lag as its answering master reports it: current, so it fires.
  const masterWord = lagFromCurrentMaster(link, master);
  const lagKeep = masterWord ? {} : keep;
  const lagStale = masterWord ? ` ${link.replicaId} itself does not answer (${link.staleReason ?? 'no answer this poll'}); these are ${link.masterId}'s figures from this poll.` : stale;
  if (rules.linkDown.enabled && DOWN_STATES.has(link.state)) {
    const since = link.downSinceSeconds;
    found.push({
      ...base, rule: 'link-down', severity: 'critical', title: RULE_TITLES['link-down'], heldMs: since === null ? 0 : since * 1000,
      message: `The link from ${link.replicaId} to its master ${link.masterId} is ${link.state}${since === null ? '' : ` (for ${Math.round(since)} s)`}; the rule fires after ${rules.linkDown.forSeconds} s.`
        + (link.partialResyncCountdownSeconds !== null ? ` A partial resync stays possible for about ${Math.round(link.partialResyncCountdownSeconds)} s more at the current write rate.` : '') + stale,
      ...keep,
    });
  }
  if (link.state !== 'online') return found;
  if (rules.lagBytes.enabled && link.lagBytes !== null && link.lagBytes > rules.lagBytes.bytes) {
    found.push({
      ...base, rule: 'lag-bytes', severity: 'warning', title: RULE_TITLES['lag-bytes'], heldMs: 0, ...lagKeep,
      message: `${link.replicaId} is ${bytes(link.lagBytes)} behind ${link.masterId} (by its ${link.offsetSource === 'ack' ? 'acknowledged' : 'own'} offset), over the ${bytes(rules.lagBytes.bytes)} of the rule for more than ${rules.lagBytes.forSeconds} s.${lagStale}`,
    });
  }
  if (rules.ackAge.enabled && link.ackAgeSeconds !== null && link.ackAgeSeconds > rules.ackAge.seconds) {
    found.push({
      ...base, rule: 'ack-age', severity: 'warning', title: RULE_TITLES['ack-age'], heldMs: 0, ...lagKeep,
      message: `${link.replicaId} last acknowledged ${link.ackAgeSeconds} s ago (INFO lag on ${link.masterId}), over the rule's ${rules.ackAge.seconds} s for more than ${rules.ackAge.forSeconds} s: it is not reading its link.${lagStale}`,
    });
  }
  return found;
}

/**
 * A master whose backlog holds fewer seconds of writes (at the current rate)
 * than the outage the rule says it must survive. The size it asks for is the
 * Backlog tab's recommendation for the rule's outage (peak rate x outage x
 * the safety factor, rounded: backlog-recommendation.ts), not rate x outage,
 * which a write burst or a slow reconnect would already overrun.
 */
function backlogCondition(node: NodeSnapshot, snapshot: TopologySnapshot, rules: AlertRules): AlertCondition | null {
  if (!rules.backlogCoverage.enabled || node.role !== 'master' || node.health !== 'up' || node.stale) return null;
  const backlog = node.backlog;
  const rate = node.writeRateBytesPerSec;
  if (!backlog?.active || rate === null || rate <= 0) return null;
  if (!snapshot.links.some((link) => link.masterId === node.id)) return null;
  const coveredSeconds = backlog.sizeBytes / rate;
  const wanted = rules.backlogCoverage.outageSeconds;
  if (coveredSeconds >= wanted) return null;
  const peak = recommendationRate(node) ?? rate;
  const recommended = recommendBacklogBytes(peak, wanted);
  return {
    rule: 'backlog-coverage', subject: node.id, nodeId: node.id, severity: 'warning', title: RULE_TITLES['backlog-coverage'], heldMs: 0,
    message: `The backlog of ${node.id} (repl-backlog-size ${bytes(backlog.sizeBytes)}) holds ${coveredSeconds.toFixed(1)} s of writes at ${bytes(rate)}/s: a replica cut off for the rule's ${wanted} s would need a full resync. `
      + `Raise repl-backlog-size to at least ${bytes(recommended)} (${recommended} bytes: peak write rate ${bytes(peak)}/s × ${wanted} s × ${BACKLOG_SAFETY_FACTOR} for safety, as the Backlog tab recommends).`,
  };
}

function nodeDownCondition(node: NodeSnapshot, now: number, rules: AlertRules): AlertCondition | null {
  if (!rules.nodeDown.enabled || (node.health !== 'hung' && node.health !== 'unreachable')) return null;
  return {
    rule: 'node-down', subject: node.id, nodeId: node.id, severity: 'critical', title: RULE_TITLES['node-down'],
    heldMs: node.sampledAt > 0 ? Math.max(0, now - node.sampledAt) : 0,
    message: `${node.id} is ${node.health}${node.healthDetail ? `: ${node.healthDetail}` : ''}`,
  };
}

/** Every state condition that holds in this snapshot, for the rules enabled. */
export function stateConditions(snapshot: TopologySnapshot, rules: AlertRules): AlertCondition[] {
  const found: AlertCondition[] = [];
  const nodes = new Map(snapshot.nodes.map((node) => [node.id, node]));
  for (const link of snapshot.links) found.push(...linkConditions(link, nodes.get(link.masterId), rules));
  for (const node of snapshot.nodes) {
    const down = nodeDownCondition(node, snapshot.time, rules);
    if (down) found.push(down);
    const backlog = backlogCondition(node, snapshot, rules);
    if (backlog) found.push(backlog);
    const refusal = writeRefusalText(node.minReplicas);
    const stale = node.stale ? ` Its figures are not current (${node.staleReason ?? 'no answer this poll'}): this is its last known state.` : '';
    if (rules.writesRefused.enabled && refusal !== null) {
      found.push({ rule: 'writes-refused', subject: node.id, nodeId: node.id, severity: 'critical', title: RULE_TITLES['writes-refused'], heldMs: 0, message: `${node.id} ${refusal.replace(/^Refuses/, 'refuses')}.${stale}` });
    }
    // The replica's own INFO (slave_read_only:0), its last known while stale, like the refusal above.
    if (rules.writableReplica.enabled && node.role === 'replica' && node.replicaReadOnly === false && (node.health === 'up' || node.stale)) {
      found.push({ rule: 'writable-replica', subject: node.id, nodeId: node.id, severity: 'warning', title: RULE_TITLES['writable-replica'], heldMs: 0, message: `${node.id}: ${WRITABLE_REPLICA_TEXT}.${stale}` });
    }
  }
  if (rules.splitBrain.enabled) {
    for (const split of snapshot.splitBrains) {
      const masters = [...split.masterIds].sort();
      found.push({
        rule: 'split-brain', subject: masters.join(', '), nodeId: masters[0] ?? null, severity: 'critical', title: RULE_TITLES['split-brain'], updatesMessage: true,
        heldMs: Math.max(0, snapshot.time - split.since),
        // A failover's window stays critical: both really take writes, and a client still on the old master loses what it writes.
        message: split.failover ? `${masters.length} writable masters: ${masters.join(' and ')} (${split.reason}): ${split.failover}.` : `${masters.length} writable masters: ${masters.join(' and ')} (${split.reason}). Writes to either are lost when the other wins: demote one.`,
      });
    }
  }
  return found;
}

/** What an event means for the event rules: a condition to fire (or refresh), or the end of one. */
export type EventVerdict =
  | { readonly kind: 'fire'; readonly condition: AlertCondition }
  | { readonly kind: 'end'; readonly rule: AlertRuleKind; readonly subject: string }
  | null;

export function eventVerdict(event: ReplicationEvent, rules: AlertRules): EventVerdict {
  const fire = (rule: AlertRuleKind, severity: AlertSeverity): EventVerdict => ({
    kind: 'fire', condition: { rule, subject: event.nodeId, nodeId: event.nodeId, severity, title: RULE_TITLES[rule], message: event.message, heldMs: 0 },
  });
  // A new replica's first sync (PSYNC ? -1, "requested-full") is how replication starts, not an incident;
  // nor is one this console's own action caused (Force full resync: byThisConsole, event-detector.ts), which the timeline records as such.
  if (event.kind === 'full-resync' && rules.fullResync.enabled && event.cause !== 'requested-full' && event.numbers.byThisConsole === undefined) return fire('full-resync', 'warning');
  if (event.kind === 'writes-lost' && rules.writesLost.enabled) return fire('writes-lost', 'critical');
  if (event.kind !== 'sentinel') return null;
  const channel = event.numbers.channel;
  if (channel === '+odown' && rules.sentinelOdown.enabled) return fire('sentinel-odown', 'critical');
  if (channel === '-odown') return { kind: 'end', rule: 'sentinel-odown', subject: event.nodeId };
  if (channel === '+switch-master') {
    // "<group> <old ip> <old port> <new ip> <new port>": the failover replaced the master that was down.
    const words = String(event.numbers.text ?? '').split(' ');
    if (words.length >= 5) return { kind: 'end', rule: 'sentinel-odown', subject: `${words[1]}:${words[2]}` };
  }
  return null;
}
