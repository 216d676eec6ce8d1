/**
 * Alerts of every live session, in one place in the console service: each
 * session's snapshots and events go through its SessionAlerts (with the
 * rules of its profile, read at every judgement so a change applies at the
 * next poll); the alerts are kept here, acknowledged and silenced here, and
 * every change is pushed once.
 *
 * Notification rule: `notify` is true only on the push of a new alert that
 * no silence covers. A silence made while an alert is open marks it silenced
 * (it stops counting as unread).
 *
 * Kept across restarts (alert-store.ts): a profile's alerts and silences are
 * saved after every change and when its session closes, open ones still
 * open (the console stopped watching; it does not know the condition
 * ended). The next session of that profile adopts them: they are listed
 * again under the new session id, pushed once without notify, and the open
 * ones are handed back to the state machine, so a condition that still
 * holds keeps its alert (no second notification after a restart) and one
 * that ended clears it as usual. The demo's alerts are not kept (each run
 * has new nodes): they clear and go when its session closes.
 */
import type { Alert, AlertRuleKind, AlertSilence, AlertSummary, SilenceRef, SilenceRequest } from '../../../shared/contract/alerts';
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';
import type { AlertRulesStore } from './alert-rules-store';
import { KEPT_ALERTS, type AlertStore } from './alert-store';
import { SessionAlerts, type PlannedRestartOf } from './session-alerts';

interface AttachedSession {
  readonly machine: SessionAlerts;
  /** null: the demo, whose alerts are not kept. */
  readonly profileId: string | null;
}

export class AlertCenter {
  private readonly sessions = new Map<string, AttachedSession>();
  /** Every alert kept, by id, oldest first. */
  private readonly alerts = new Map<string, Alert>();
  private silences: AlertSilence[] = [];

  constructor(private readonly rules: AlertRulesStore, private readonly push: (alert: Alert, notify: boolean) => void, private readonly store: AlertStore | null = null) {}

  /** Starts judging a session; a profile's session adopts what its earlier sessions left (see the header). */
  attach(sessionId: string, profileId: string | null, now = Date.now()): void {
    const machine = new SessionAlerts(sessionId, {
      rules: () => this.rules.rulesFor(profileId),
      silenced: (rule, subject, at) => this.isSilenced(sessionId, rule, subject, at),
      changed: (alert, fired) => this.changed(alert, fired),
    });
    this.sessions.set(sessionId, { machine, profileId });
    if (profileId === null || this.store === null) return;
    const stored = this.store.load(profileId, now);
    const adopted = stored.alerts.map((alert) => ({ ...alert, sessionId }));
    for (const alert of adopted) this.alerts.set(alert.id, alert);
    this.silences = [...this.silences, ...stored.silences.map((silence) => ({ ...silence, sessionId }))];
    machine.resume(adopted.filter((alert) => alert.clearedAt === null), now);
    for (const alert of adopted) this.push(alert, false);
  }

  /** Stops judging a session: a profile's alerts are saved as they are; the demo's clear. Either way they leave the list. */
  detach(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session?.profileId === null) session.machine.clearAll(Date.now());
    else this.persist(sessionId);
    this.sessions.delete(sessionId);
    for (const [id, alert] of this.alerts) if (alert.sessionId === sessionId) this.alerts.delete(id);
    this.silences = this.silences.filter((silence) => silence.sessionId !== sessionId);
  }

  /** A deleted profile's kept alerts go with it; a session of it still attached keeps judging, but nothing of it is saved any more. */
  forget(profileId: string): void {
    for (const [sessionId, session] of this.sessions) if (session.profileId === profileId) this.sessions.set(sessionId, { ...session, profileId: null });
    this.store?.forget(profileId);
  }

  /** `plannedRestart`: the demo's restart a node is in (its silence is asked for), when the session has a demo. */
  onSnapshot(snapshot: TopologySnapshot, plannedRestart?: PlannedRestartOf): void {
    this.sessions.get(snapshot.sessionId)?.machine.observeSnapshot(snapshot, plannedRestart);
  }

  onEvent(event: ReplicationEvent): void {
    this.sessions.get(event.sessionId)?.machine.observeEvent(event);
  }

  /** Newest first (by the time they fired: adopted alerts join the map after newer ones of other sessions). */
  list(sessionId?: string): Alert[] {
    return [...this.alerts.values()].filter((alert) => sessionId === undefined || alert.sessionId === sessionId).reverse().sort((a, b) => b.firedAt - a.firedAt);
  }

  acknowledge(sessionId: string, alertIds: readonly string[] | undefined, now = Date.now()): number {
    const wanted = alertIds === undefined ? null : new Set(alertIds);
    let count = 0;
    for (const alert of this.alerts.values()) {
      if (alert.sessionId !== sessionId || alert.acknowledgedAt !== null || (wanted !== null && !wanted.has(alert.id))) continue;
      this.update({ ...alert, acknowledgedAt: now });
      count++;
    }
    if (count > 0) this.persist(sessionId);
    return count;
  }

  /** Silences a rule on one subject, or on all of the session's (subject null); replaces a silence of the same rule and subject. */
  silence(request: SilenceRequest, now = Date.now()): AlertSilence {
    const silence: AlertSilence = { sessionId: request.sessionId, rule: request.rule, subject: request.subject, until: now + request.minutes * 60_000 };
    this.silences = [...this.silences.filter((old) => old.until > now && !sameSilence(old, request)), silence];
    for (const alert of this.alerts.values()) {
      if (alert.clearedAt === null && !alert.silenced && this.isSilenced(alert.sessionId, alert.rule, alert.subject, now)) this.update({ ...alert, silenced: true });
    }
    this.persist(request.sessionId);
    return silence;
  }

  /** Silences running now, soonest to end first. */
  silencesOf(sessionId?: string, now = Date.now()): AlertSilence[] {
    return this.silences.filter((silence) => silence.until > now && (sessionId === undefined || silence.sessionId === sessionId)).sort((a, b) => a.until - b.until);
  }

  /** Ends a silence early; alerts it covered keep their silenced mark (they were not notified). */
  unsilence(ref: SilenceRef): boolean {
    const before = this.silences.length;
    this.silences = this.silences.filter((silence) => !sameSilence(silence, ref));
    if (this.silences.length === before) return false;
    this.persist(ref.sessionId);
    return true;
  }

  /** One row per live session. */
  summary(): AlertSummary[] {
    return [...this.sessions.keys()].map((sessionId) => {
      const alerts = this.list(sessionId);
      const firing = alerts.filter((alert) => alert.clearedAt === null);
      return {
        sessionId,
        firing: firing.length,
        unacknowledged: alerts.filter((alert) => alert.acknowledgedAt === null && !alert.silenced).length,
        worstFiring: firing.some((alert) => alert.severity === 'critical') ? 'critical' : firing.length > 0 ? 'warning' : null,
        lastFiredAt: alerts[0]?.firedAt ?? null,
      };
    });
  }

  private isSilenced(sessionId: string, rule: AlertRuleKind, subject: string, now: number): boolean {
    return this.silences.some((silence) => silence.sessionId === sessionId && silence.rule === rule && (silence.subject === null || silence.subject === subject) && silence.until > now);
  }

  /** A new alert, or an open one cleared or its message updated (merged into what is kept: acknowledged or silenced since it fired). */
  private changed(alert: Alert, fired: boolean): void {
    if (fired) {
      this.alerts.set(alert.id, alert);
      this.trim(alert.sessionId);
      this.persist(alert.sessionId);
      this.push(alert, !alert.silenced);
      return;
    }
    const kept = this.alerts.get(alert.id);
    this.update(kept ? { ...kept, clearedAt: alert.clearedAt, message: alert.message } : alert);
    this.persist(alert.sessionId);
  }

  /** Saves a profile session's alerts (oldest first) and live silences; nothing for the demo. */
  private persist(sessionId: string): void {
    const profileId = this.sessions.get(sessionId)?.profileId;
    if (profileId === undefined || profileId === null || this.store === null) return;
    this.store.save(profileId, {
      alerts: [...this.alerts.values()].filter((alert) => alert.sessionId === sessionId),
      silences: this.silences.filter((silence) => silence.sessionId === sessionId),
    });
  }

  private update(alert: Alert): void {
    if (this.alerts.has(alert.id)) this.alerts.set(alert.id, alert);
    this.push(alert, false);
  }

  private trim(sessionId: string): void {
    const ofSession = [...this.alerts.values()].filter((alert) => alert.sessionId === sessionId);
    let excess = ofSession.length - KEPT_ALERTS;
    for (const alert of ofSession) {
      if (excess <= 0) break;
      if (alert.clearedAt === null) continue;
      this.alerts.delete(alert.id);
      excess--;
    }
  }
}

const sameSilence = (a: SilenceRef, b: SilenceRef): boolean => a.sessionId === b.sessionId && a.rule === b.rule && a.subject === b.subject;
