/**
 * The alert state machine on its own, fed snapshots in the shape the
 * monitor pushes (one link, one replica): the timing rules the scenarios
 * cannot pin to the poll — a condition shorter than forSeconds never fires,
 * one good poll between bad ones neither clears nor re-fires (no storm), a
 * clear needs CLEAR_AFTER_MS without the condition, a rule switched off
 * clears its open alert, and an event alert repeating inside quietSeconds
 * stays one alert.
 */
import { describe, expect, it } from 'vitest';
import { CLEAR_AFTER_MS, SessionAlerts } from '../../main/console/alerts/session-alerts';
import { makeEvent } from '../../main/console/monitor/event-inference';
import { DEFAULT_ALERT_RULES, type Alert, type AlertRules } from '../../shared/contract/alerts';
import type { LinkSnapshot, LinkState, TopologySnapshot } from '../../shared/contract/snapshots';

const REPLICA = '127.0.0.1:7002';

function link(state: LinkState): LinkSnapshot {
  return {
    id: `127.0.0.1:7001->${REPLICA}`, masterId: '127.0.0.1:7001', replicaId: REPLICA, state, masterSideState: null,
    replicaOffset: 100, replicaOwnOffset: 100, ackOffset: 100, offsetSource: 'replica', lagBytes: 0, ackLagBytes: 0, ackAgeSeconds: 0,
    applyRateBytesPerSec: null, catchUpSeconds: null, fallingBehind: false, backlogHeadroomBytes: null, secondsUntilOutOfBacklog: null, staysInBacklog: false, outageCoveredSeconds: null,
    partialResyncCountdownSeconds: null, partialResyncPossible: null, downSinceSeconds: null, masterSilentSeconds: null, stale: false, staleReason: null,
  };
}

function snapshot(time: number, state: LinkState): TopologySnapshot {
  return { sessionId: 's', kind: 'standalone', time, pollIntervalMs: 1000, nodes: [], links: [link(state)], groups: [], outageSeconds: 60, splitBrains: [] };
}

function machine(rules: () => AlertRules): { alerts: SessionAlerts; pushes: Array<{ alert: Alert; fired: boolean }> } {
  const pushes: Array<{ alert: Alert; fired: boolean }> = [];
  const alerts = new SessionAlerts('s', { rules, silenced: () => false, changed: (alert, fired) => pushes.push({ alert, fired }) });
  return { alerts, pushes };
}

const linkDownAfter = (seconds: number): AlertRules => ({ ...DEFAULT_ALERT_RULES, linkDown: { enabled: true, forSeconds: seconds } });

describe('SessionAlerts', () => {
  it('a link down for less than forSeconds never fires; held past it, fires once', () => {
    const { alerts, pushes } = machine(() => linkDownAfter(5));
    alerts.observeSnapshot(snapshot(0, 'down'));
    alerts.observeSnapshot(snapshot(4000, 'down'));
    alerts.observeSnapshot(snapshot(4500, 'online'));
    alerts.observeSnapshot(snapshot(5000, 'down')); // a new episode: its 5 s start again
    alerts.observeSnapshot(snapshot(9000, 'down'));
    expect(pushes).toEqual([]);
    alerts.observeSnapshot(snapshot(10_000, 'down'));
    alerts.observeSnapshot(snapshot(11_000, 'down'));
    expect(pushes.map((push) => push.fired)).toEqual([true]);
    expect(pushes[0]!.alert).toMatchObject({ rule: 'link-down', subject: REPLICA, firedAt: 10_000, clearedAt: null });
  });

  it('flapping: a good poll between bad ones neither clears nor re-fires; a clear needs the condition gone for CLEAR_AFTER_MS', () => {
    const { alerts, pushes } = machine(() => linkDownAfter(0));
    alerts.observeSnapshot(snapshot(0, 'down'));
    for (let time = 1000; time <= 10_000; time += 1000) alerts.observeSnapshot(snapshot(time, time % 2000 === 0 ? 'online' : 'connecting'));
    expect(pushes).toHaveLength(1);
    // Last seen down at 9 s.
    alerts.observeSnapshot(snapshot(9000 + CLEAR_AFTER_MS - 500, 'online'));
    expect(pushes).toHaveLength(1);
    alerts.observeSnapshot(snapshot(9000 + CLEAR_AFTER_MS, 'online'));
    expect(pushes.map((push) => [push.fired, push.alert.clearedAt])).toEqual([[true, null], [false, 9000 + CLEAR_AFTER_MS]]);
  });

  it('switching the rule off clears its open alert at the next snapshot', () => {
    let rules = linkDownAfter(0);
    const { alerts, pushes } = machine(() => rules);
    alerts.observeSnapshot(snapshot(0, 'down'));
    rules = { ...rules, linkDown: { enabled: false, forSeconds: 0 } };
    alerts.observeSnapshot(snapshot(1000, 'down'));
    expect(pushes.map((push) => push.fired)).toEqual([true, false]);
  });

  it('a full resync repeating inside quietSeconds stays one alert; after quietSeconds without one it clears, and the next fires anew', () => {
    const { alerts, pushes } = machine(() => ({ ...DEFAULT_ALERT_RULES, quietSeconds: 60 }));
    const resync = (time: number) => makeEvent('s', time, 'full-resync', REPLICA, '127.0.0.1:7001', 'output-buffer-limit', true, 'full resync');
    for (let time = 0; time <= 50_000; time += 10_000) {
      alerts.observeEvent(resync(time));
      alerts.observeSnapshot(snapshot(time, 'online'));
    }
    expect(pushes).toHaveLength(1);
    alerts.observeSnapshot(snapshot(50_000 + 59_000, 'online'));
    expect(pushes).toHaveLength(1);
    alerts.observeSnapshot(snapshot(50_000 + 60_000, 'online'));
    expect(pushes.map((push) => push.fired)).toEqual([true, false]);
    alerts.observeEvent(resync(200_000));
    expect(pushes.map((push) => push.fired)).toEqual([true, false, true]);
    // A new replica's first sync is not an incident.
    alerts.observeEvent(makeEvent('s', 210_000, 'full-resync', '127.0.0.1:7003', '127.0.0.1:7001', 'requested-full', true, 'first sync'));
    expect(pushes).toHaveLength(3);
  });
});
