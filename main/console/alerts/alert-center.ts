/**
 * Alerts of every live session, in one place in the console service: each
 * session's snapshots and events go through its SessionAlerts (with the
 * rules of its profile, read at every judgement so a change applies at the
 * next poll); the alerts are kept here, acknowledged and silenced here, and
 * every change is pushed once.
 *
 * Notification rule: `notify` is true only on the push of a new alert that
 * no silence covers. A silence made while an alert is open marks it silenced
 * (it stops counting as unread). A session's alerts go when the session
 * closes (its events stay in the event log).
 */
import type { Alert, AlertRuleKind, AlertSilence, AlertSummary, SilenceRequest } from '../../../shared/contract/alerts';
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';
import type { AlertRulesStore } from './alert-rules-store';
import { SessionAlerts } from './session-alerts';

/** Alerts kept per session (the oldest cleared ones go first). */
const KEPT_PER_SESSION = 200;

export class AlertCenter {
  private readonly sessions = new Map<string, SessionAlerts>();
  /** Every alert kept, by id, oldest first. */
  private readonly alerts = new Map<string, Alert>();
  private silences: AlertSilence[] = [];

  constructor(private readonly rules: AlertRulesStore, private readonly push: (alert: Alert, notify: boolean) => void) {}

  attach(sessionId: string, profileId: string | null): void {
    this.sessions.set(sessionId, new SessionAlerts(sessionId, {
      rules: () => this.rules.rulesFor(profileId),
      silenced: (rule, subject, now) => this.isSilenced(sessionId, rule, subject, now),
      changed: (alert, fired) => this.changed(alert, fired),
    }));
  }

  detach(sessionId: string): void {
    this.sessions.get(sessionId)?.clearAll(Date.now());
    this.sessions.delete(sessionId);
    for (const [id, alert] of this.alerts) if (alert.sessionId === sessionId) this.alerts.delete(id);
    this.silences = this.silences.filter((silence) => silence.sessionId !== sessionId);
  }

  onSnapshot(snapshot: TopologySnapshot): void {
    this.sessions.get(snapshot.sessionId)?.observeSnapshot(snapshot);
  }

  onEvent(event: ReplicationEvent): void {
    this.sessions.get(event.sessionId)?.observeEvent(event);
  }

  /** Newest first. */
  list(sessionId?: string): Alert[] {
    return [...this.alerts.values()].filter((alert) => sessionId === undefined || alert.sessionId === sessionId).reverse();
  }

  acknowledge(sessionId: string, alertIds: readonly string[] | undefined, now = Date.now()): number {
    const wanted = alertIds === undefined ? null : new Set(alertIds);
    let count = 0;
    for (const alert of this.alerts.values()) {
      if (alert.sessionId !== sessionId || alert.acknowledgedAt !== null || (wanted !== null && !wanted.has(alert.id))) continue;
      this.update({ ...alert, acknowledgedAt: now });
      count++;
    }
    return count;
  }

  silence(request: SilenceRequest, now = Date.now()): AlertSilence {
    const silence: AlertSilence = { sessionId: request.sessionId, rule: request.rule, subject: request.subject, until: now + request.minutes * 60_000 };
    this.silences = [...this.silences.filter((old) => old.until > now), silence];
    for (const alert of this.alerts.values()) {
      if (alert.clearedAt === null && !alert.silenced && this.isSilenced(alert.sessionId, alert.rule, alert.subject, now)) this.update({ ...alert, silenced: true });
    }
    return silence;
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

  /** A new alert, or an open one cleared (merged into what is kept: acknowledged or silenced since it fired). */
  private changed(alert: Alert, fired: boolean): void {
    if (fired) {
      this.alerts.set(alert.id, alert);
      this.trim(alert.sessionId);
      this.push(alert, !alert.silenced);
      return;
    }
    const kept = this.alerts.get(alert.id);
    this.update(kept ? { ...kept, clearedAt: alert.clearedAt } : alert);
  }

  private update(alert: Alert): void {
    if (this.alerts.has(alert.id)) this.alerts.set(alert.id, alert);
    this.push(alert, false);
  }

  private trim(sessionId: string): void {
    const ofSession = [...this.alerts.values()].filter((alert) => alert.sessionId === sessionId);
    let excess = ofSession.length - KEPT_PER_SESSION;
    for (const alert of ofSession) {
      if (excess <= 0) break;
      if (alert.clearedAt === null) continue;
      this.alerts.delete(alert.id);
      excess--;
    }
  }
}
