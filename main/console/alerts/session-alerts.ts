/**
 * The alert state machine of one session.
 *
 *   (nothing) --condition holds--> pending --held forSeconds--> open --condition gone CLEAR_AFTER_MS--> cleared
 *                                     ^                            |
 *                                     +---- condition gone --------+ (pending: forgotten at once)
 *
 * Invariant (no alert storms): at most one open alert per rule and subject.
 * Only the pending -> open step creates an alert (and may notify); while it
 * is open, the same condition seen again (every poll, or a full resync that
 * repeats in a loop) only keeps it open. A state alert clears once its
 * condition has been gone for CLEAR_AFTER_MS (one good poll between two bad
 * ones does not clear and re-fire it, nor does a stale figure's last known
 * state, which keeps an alert open but fires none: keepOnly); an event alert clears after the
 * rules' quietSeconds without a repeat, or at the event that ends it.
 */
import { randomUUID } from 'node:crypto';
import type { Alert, AlertRuleKind, AlertRules } from '../../../shared/contract/alerts';
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';
import type { PlannedRestart } from '../monitor/chaos-restart-health';
import { eventVerdict, forSecondsOf, STATE_RULES, stateConditions, type AlertCondition } from './alert-conditions';

/** The restart the demo's chaos runs on a node at the snapshot's time, or null. */
export type PlannedRestartOf = (nodeId: string) => PlannedRestart | null;

/**
 * Node down for a node the demo's chaos is restarting (Restart master: it saves its RDB, shuts
 * down, starts again): the operator asked for that silence, and the timeline already says the
 * demo restarted it, so it is no outage to page for (null). A restart that has not brought the
 * node back by the end of its window is one: it fires, saying which restart it did not survive.
 * A node stopped any other way (killed, shut down from a client) has no planned restart and
 * alerts as before.
 */
function nodeDownDuringRestart(condition: AlertCondition, restart: PlannedRestart | null, now: number): AlertCondition | null {
  if (restart === null) return condition;
  if (!restart.overdue) return null;
  const seconds = Math.round((now - restart.startedAt) / 1000);
  return { ...condition, message: `${condition.message} — it has not come back ${seconds} s after the demo's ${restart.title} began (${restart.evidence})` };
}

/** A state alert stays open until its condition has been gone this long. */
export const CLEAR_AFTER_MS = 3000;

interface OpenAlert {
  alert: Alert;
  /** Last time the condition was seen (poll or event). */
  lastSeenAt: number;
}

export interface SessionAlertHooks {
  rules(): AlertRules;
  silenced(rule: AlertRuleKind, subject: string, now: number): boolean;
  /** An alert fired (new) or changed (cleared); `fired` is true only for the first. */
  changed(alert: Alert, fired: boolean): void;
}

const keyOf = (rule: AlertRuleKind, subject: string): string => `${rule}\u0000${subject}`;

export class SessionAlerts {
  private readonly open = new Map<string, OpenAlert>();
  /** State conditions seen but not yet held for their forSeconds: when they started. */
  private readonly pending = new Map<string, number>();

  constructor(private readonly sessionId: string, private readonly hooks: SessionAlertHooks) {}

  /** Judges one snapshot: conditions that held long enough fire, those gone long enough clear. */
  observeSnapshot(snapshot: TopologySnapshot, plannedRestart?: PlannedRestartOf): void {
    const now = snapshot.time;
    const rules = this.hooks.rules();
    const seen = new Set<string>();
    for (const found of stateConditions(snapshot, rules)) {
      const condition = found.rule === 'node-down' && plannedRestart !== undefined ? nodeDownDuringRestart(found, plannedRestart(found.subject), now) : found;
      if (condition === null) continue;
      const key = keyOf(condition.rule, condition.subject);
      const open = this.open.get(key);
      if (open) {
        seen.add(key);
        open.lastSeenAt = now;
        if (condition.updatesMessage === true && condition.message !== open.alert.message) {
          open.alert = { ...open.alert, message: condition.message };
          this.hooks.changed(open.alert, false);
        }
        continue;
      }
      // A condition that only keeps an open alert open (a stale link's last known state) starts nothing.
      if (condition.keepOnly === true) continue;
      seen.add(key);
      const since = Math.min(this.pending.get(key) ?? now, now - condition.heldMs);
      this.pending.set(key, since);
      if (now - since >= forSecondsOf(rules, condition.rule) * 1000) {
        this.pending.delete(key);
        this.fire(condition, now);
      }
    }
    for (const key of this.pending.keys()) if (!seen.has(key)) this.pending.delete(key);
    for (const [key, open] of this.open) {
      const rule = open.alert.rule;
      const gone = STATE_RULES.has(rule) ? !seen.has(key) && now - open.lastSeenAt >= CLEAR_AFTER_MS : now - open.lastSeenAt >= rules.quietSeconds * 1000;
      if (gone || !enabled(rules, rule)) this.clear(key, now);
    }
  }

  /** Judges one event: a full resync, writes lost or +odown fires (or keeps open) its alert; -odown ends one. */
  observeEvent(event: ReplicationEvent): void {
    const verdict = eventVerdict(event, this.hooks.rules());
    if (verdict === null) return;
    if (verdict.kind === 'end') {
      if (this.open.has(keyOf(verdict.rule, verdict.subject))) this.clear(keyOf(verdict.rule, verdict.subject), event.time);
      return;
    }
    const key = keyOf(verdict.condition.rule, verdict.condition.subject);
    const open = this.open.get(key);
    if (open) open.lastSeenAt = Math.max(open.lastSeenAt, event.time);
    else this.fire(verdict.condition, event.time);
  }

  /**
   * Takes back open alerts an earlier session of the same deployment left
   * (a restart of the console): each is open again as if its condition was
   * just seen, so it stays while the condition holds (no second alert, no
   * second notification) and clears by the usual rule when it is gone.
   */
  resume(alerts: readonly Alert[], now: number): void {
    for (const alert of alerts) this.open.set(keyOf(alert.rule, alert.subject), { alert, lastSeenAt: now });
  }

  /** Clears every open alert (the session ends). */
  clearAll(now: number): void {
    for (const key of [...this.open.keys()]) this.clear(key, now);
  }

  private fire(condition: AlertCondition, now: number): void {
    const alert: Alert = {
      id: randomUUID(), sessionId: this.sessionId, rule: condition.rule, subject: condition.subject, nodeId: condition.nodeId,
      severity: condition.severity, title: condition.title, message: condition.message,
      firedAt: now, clearedAt: null, acknowledgedAt: null, silenced: this.hooks.silenced(condition.rule, condition.subject, now),
    };
    this.open.set(keyOf(condition.rule, condition.subject), { alert, lastSeenAt: now });
    this.hooks.changed(alert, true);
  }

  private clear(key: string, now: number): void {
    const open = this.open.get(key);
    if (!open) return;
    this.open.delete(key);
    this.hooks.changed({ ...open.alert, clearedAt: now }, false);
  }
}

function enabled(rules: AlertRules, rule: AlertRuleKind): boolean {
  switch (rule) {
    case 'link-down': return rules.linkDown.enabled;
    case 'lag-bytes': return rules.lagBytes.enabled;
    case 'ack-age': return rules.ackAge.enabled;
    case 'full-resync': return rules.fullResync.enabled;
    case 'writes-lost': return rules.writesLost.enabled;
    case 'split-brain': return rules.splitBrain.enabled;
    case 'backlog-coverage': return rules.backlogCoverage.enabled;
    case 'node-down': return rules.nodeDown.enabled;
    case 'sentinel-odown': return rules.sentinelOdown.enabled;
    case 'writes-refused': return rules.writesRefused.enabled;
    case 'writable-replica': return rules.writableReplica.enabled;
  }
}
