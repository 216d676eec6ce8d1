import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeBridge } from '../../../test-support/fake-bridge';
import { syntheticSession } from '../../../test-support/synthetic-topology';
import type { SessionInfo } from '../../api/contract';
import { useBridgeStore } from '../../stores/bridge';
import { useSessionsStore } from '../../stores/sessions';
import SessionHeader from './SessionHeader.vue';

beforeEach(() => {
  setActivePinia(createPinia());
  useBridgeStore().install(new FakeBridge());
});

/** The title row's visible words (the safety badge's meaning is for hover and screen readers). */
function titleWords(session: SessionInfo): string {
  useSessionsStore().receive([session]);
  useSessionsStore().select(session.sessionId);
  const header = mount(SessionHeader);
  header.findAll('.visually-hidden').forEach((hidden) => hidden.element.remove());
  return [...header.get('.title-row').element.children].map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim()).filter((text) => text !== '').join(' ');
}

describe('SessionHeader', () => {
  it('the local demo says "demo" once: its name, then the demo badge\'s icon with its meaning', () => {
    // The console's demo session: named "Local demo", kind, environment and safety mode all "demo".
    const demo = syntheticSession({ sessionId: 'demo', profileId: null, name: 'Local demo', kind: 'demo', environment: 'demo', safetyMode: 'demo' });
    const words = titleWords(demo);
    expect(words).toBe('Local demo ⚗');
    expect(words.match(/demo/gi)).toHaveLength(1);
    const badge = mount(SessionHeader).get('[data-testid="session-safety"]');
    expect(badge.attributes('title')).toBe('Demo: actions and chaos on the embedded nodes');
  });

  it('a session whose name says none of them shows its environment, safety mode and kind', () => {
    expect(titleWords(syntheticSession({ name: 'orders-cache', kind: 'sentinel', environment: 'prod', safetyMode: 'monitor-only' }))).toBe('orders-cache PROD ⊙monitor-only sentinel');
  });
});
