import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeBridge } from '../../test-support/fake-bridge';
import { syntheticSession } from '../../test-support/synthetic-topology';
import type { Alert } from '../api/contract';
import { mergeAlerts, useAlertsStore } from './alerts';
import { useBridgeStore } from './bridge';
import { useSessionsStore } from './sessions';

function alert(id: string, sessionId: string, changes: Partial<Alert> = {}): Alert {
  return {
    id, sessionId, rule: 'link-down', subject: 'r:1', nodeId: 'r:1', severity: 'critical', title: 'Link down', message: `alert ${id}`,
    firedAt: Number(id.replace(/\D/g, '')), clearedAt: null, acknowledgedAt: null, silenced: false, ...changes,
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
  useBridgeStore().install(new FakeBridge());
  useSessionsStore().receive([syntheticSession({ sessionId: 'staging', name: 'staging' }), syntheticSession({ sessionId: 'prod', name: 'prod' })]);
});

describe('alerts store', () => {
  it('a later push of an alert replaces the kept copy; newest first', () => {
    const merged = mergeAlerts([alert('a1', 'staging'), alert('a3', 'staging')], [alert('a2', 'staging'), alert('a1', 'staging', { clearedAt: 9 })]);
    expect(merged.map((kept) => [kept.id, kept.clearedAt])).toEqual([['a3', null], ['a2', null], ['a1', 9]]);
  });

  it('unread leaves out acknowledged and silenced alerts and those of closed sessions; counts per session for the fleet view', () => {
    const store = useAlertsStore();
    store.receive(alert('a1', 'staging'), false);
    store.receive(alert('a2', 'staging', { clearedAt: 5 }), false);
    store.receive(alert('a3', 'staging', { acknowledgedAt: 4 }), false);
    store.receive(alert('a4', 'prod', { silenced: true }), false);
    store.receive(alert('a5', 'gone'), false);
    expect(store.unread).toBe(2);
    expect(store.firing).toBe(3);
    expect(Object.fromEntries(store.bySession)).toEqual({ staging: { firing: 2, unread: 2 }, prod: { firing: 1, unread: 0 } });
  });
});
