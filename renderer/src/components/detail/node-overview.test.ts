import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBridge } from '../../../test-support/fake-bridge';
import { syntheticLink, syntheticNode, syntheticSession } from '../../../test-support/synthetic-topology';
import { useBridgeStore } from '../../stores/bridge';
import { useSessionsStore } from '../../stores/sessions';
import { useTopologyStore } from '../../stores/topology';
import NodeOverview from './NodeOverview.vue';

const T = 1_700_000_000_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(T);
  setActivePinia(createPinia());
  useBridgeStore().install(new FakeBridge());
  useSessionsStore().receive([syntheticSession({ sessionId: 's1' })]);
});

afterEach(() => {
  useTopologyStore().poller.stop();
  vi.useRealTimers();
});

function ingest(stale: boolean): void {
  const master = syntheticNode('m:1', { masterReplOffset: 500_000, sampledAt: T });
  // A stopped replica keeps its last answer (12 s old); the master still lists it with an ACK 12 s old.
  const replica = syntheticNode('r:1', { role: 'replica', masterReplOffset: 300_000, sampledAt: stale ? T - 12_000 : T, stale, health: stale ? 'hung' : 'up' });
  const link = syntheticLink('m:1', 'r:1', stale
    ? { offsetSource: 'ack', ackOffset: 299_000, replicaOffset: 299_000, replicaOwnOffset: null, lagBytes: 201_000, ackAgeSeconds: 12, stale: true }
    : { offsetSource: 'replica', ackOffset: 499_000, replicaOffset: 500_000, replicaOwnOffset: 500_000, lagBytes: 0, ackAgeSeconds: 0 });
  useTopologyStore().ingest({ sessionId: 's1', kind: 'standalone', time: T, pollIntervalMs: 1000, nodes: [master, replica], links: [link], groups: [], outageSeconds: 60, splitBrains: [] });
}

describe('NodeOverview of a replica', () => {
  it('a silent replica: its Offset is its last answer\'s, with its age, and its Byte lag says it comes from the master\'s ACK figures', () => {
    ingest(true);
    const wrapper = mount(NodeOverview, { props: { node: useTopologyStore().nodeById.get('r:1')! } });
    expect(wrapper.get('[data-testid="card-offset"]').text()).toBe('Offset300,000master_repl_offset of its last answer, 12 s ago: it does not answer now');
    expect(wrapper.get('[data-testid="card-byte-lag"] .hint').text()).toBe('Behind the master, in bytes: m:1\'s master_repl_offset minus the offset this replica last acknowledged, as m:1 lists it (slaveN offset=, last ACK 12 s ago); not from the Offset above');
  });

  it('an answering replica: its own offset, read in the same poll as the master', () => {
    ingest(false);
    const wrapper = mount(NodeOverview, { props: { node: useTopologyStore().nodeById.get('r:1')! } });
    expect(wrapper.get('[data-testid="card-offset"] .hint').text()).toBe('master_repl_offset');
    expect(wrapper.get('[data-testid="card-byte-lag"] .hint').text()).toBe('Behind the master, in bytes: m:1\'s master_repl_offset minus this replica\'s own offset, read in the same poll');
  });
});
