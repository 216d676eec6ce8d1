import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBridge } from '../../../test-support/fake-bridge';
import { syntheticLink, syntheticNode, syntheticSession } from '../../../test-support/synthetic-topology';
import type { TopologySnapshot } from '../../api/contract';
import { useBridgeStore } from '../../stores/bridge';
import { useSessionsStore } from '../../stores/sessions';
import { useTopologyStore } from '../../stores/topology';
import BacklogAdvisor from './BacklogAdvisor.vue';
import BacklogWindow from './BacklogWindow.vue';

const MiB = 1024 * 1024;
const KiB = 1024;
const T = 1_700_000_000_000;

function topology(): TopologySnapshot {
  const masterOffset = 10 * MiB;
  const firstByteOffset = masterOffset - MiB + 1;
  const replicas = [
    { replicaId: 'r1:1', offset: masterOffset },
    { replicaId: 'r2:1', offset: masterOffset - 768 * KiB },
    { replicaId: 'r3:1', offset: firstByteOffset - 100 },
  ].map((marker) => ({ ...marker, ackOffset: marker.offset, offsetSource: 'replica' as const, headroomBytes: marker.offset - firstByteOffset + 1, insideWindow: marker.offset + 1 >= firstByteOffset }));
  const master = syntheticNode('m:1', {
    backlog: { active: true, sizeBytes: MiB, histlenBytes: MiB, firstByteOffset, masterOffset, replicas },
    writeRateBytesPerSec: 64 * KiB,
    peakWriteRateBytesPerSec: 100 * KiB,
    sampledAt: T,
    masterReplOffset: masterOffset,
  });
  return {
    sessionId: 's1',
    kind: 'standalone',
    time: T,
    pollIntervalMs: 1000,
    nodes: [master, ...replicas.map((marker) => syntheticNode(marker.replicaId, { role: 'replica', sampledAt: T }))],
    links: [
      syntheticLink('m:1', 'r1:1'),
      syntheticLink('m:1', 'r2:1', { state: 'down', partialResyncCountdownSeconds: 4, lagBytes: 768 * KiB }),
      syntheticLink('m:1', 'r3:1', { state: 'down', partialResyncCountdownSeconds: null }),
    ],
    groups: [],
    outageSeconds: 60,
    splitBrains: [],
  };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(T);
  setActivePinia(createPinia());
  useBridgeStore().install(new FakeBridge());
  useSessionsStore().receive([syntheticSession({ sessionId: 's1' })]);
  useTopologyStore().ingest(topology());
});

afterEach(() => {
  useTopologyStore().poller.stop();
  vi.useRealTimers();
});

describe('BacklogWindow', () => {
  it('marks every replica at its offset, with headroom and partial-resync status', () => {
    const master = useTopologyStore().nodeById.get('m:1');
    if (master === undefined) throw new Error('fixture');
    const wrapper = mount(BacklogWindow, { props: { master, highlightReplicaId: 'r2:1' } });
    const left = (id: string): number => Number.parseFloat((wrapper.get(`[data-testid="backlog-marker-${id}"]`).element as HTMLElement).style.left);
    expect(left('r1:1')).toBe(100);
    expect(left('r2:1')).toBe(25);
    expect(left('r3:1')).toBe(0);
    const figures = (id: string): string[] => wrapper.get(`[data-testid="backlog-row-${id}"] .figures-row`).findAll('td').map((cell) => cell.text());
    const status = (id: string): string => wrapper.get(`[data-testid="backlog-row-${id}"] .status-row`).text();
    expect(figures('r1:1')).toEqual(['1', 'r1:1', '10,485,760 own', '0 B', '1 MiB · 16 s']);
    // A yes/no answer, not the link's state.
    expect(status('r1:1')).toMatch(/^Partial resync:\s*possible: a reconnect now would continue from the backlog$/);
    expect(status('r2:1')).toMatch(/^Partial resync:\s*possible \(link down\)\s*4 s left$/);
    expect(figures('r2:1').slice(3)).toEqual(['768 KiB', '256 KiB · 4 s left']);
    expect(status('r3:1')).toMatch(/^Partial resync:\s*not possible: its offset left the backlog, the next sync is a full resync$/);
    expect(wrapper.text()).toContain('lasts 16 s at 64 KiB/s');
  });

  it('a replica still online whose offset left the backlog: the full resync is said as what a disconnect now would bring', async () => {
    const store = useTopologyStore();
    const snapshot = topology();
    store.ingest({ ...snapshot, time: T + 1, links: snapshot.links.map((link) => (link.replicaId === 'r3:1' ? { ...link, state: 'online' as const } : link)) });
    const master = store.nodeById.get('m:1');
    if (master === undefined) throw new Error('fixture');
    const wrapper = mount(BacklogWindow, { props: { master } });
    const answer = wrapper.get('[data-testid="partial-resync-r3:1"]').text();
    expect(answer).toBe('not possible: its offset left the backlog; it streams on while connected, but if it disconnected now its reconnect would be a full resync');
    expect(answer).not.toContain('the next sync is');
  });

  it('a silent replica still online whose ACK left the backlog: a reconnect is not known, never called a full resync', async () => {
    // The master streams on to it, and it applies what it was sent before it reconnects: seen on redis-server 7.0,
    // an ACK of 384,106 before the first byte 776,721, and after CLIENT KILL + SIGCONT a PSYNC at 2,040,117 accepted.
    const store = useTopologyStore();
    const snapshot = topology();
    const silent = (link: (typeof snapshot.links)[number]) => ({ ...link, state: 'online' as const, partialResyncPossible: null, offsetSource: 'ack' as const, stale: true, staleReason: 'r3:1 no answer' });
    store.ingest({ ...snapshot, time: T + 1, links: snapshot.links.map((link) => (link.replicaId === 'r3:1' ? silent(link) : link)) });
    const master = store.nodeById.get('m:1');
    if (master === undefined) throw new Error('fixture');
    const wrapper = mount(BacklogWindow, { props: { master } });
    const answer = wrapper.get('[data-testid="partial-resync-r3:1"]');
    expect(answer.text()).toMatch(/^not known: the offset it last acknowledged left the backlog/);
    expect(answer.text()).not.toMatch(/full resync|not possible/);
    expect(answer.classes()).toContain('level-warn');
    expect(wrapper.get('[data-testid="backlog-marker-r3:1"]').attributes('title')).toContain('partial resync not known');
  });

  it('a replica its master dropped, silent: its row stays at the last ACK, marked dropped, with the most it can have', () => {
    // Seen on redis-server 7.0: a SIGSTOPped replica dropped after repl-timeout had no row until it woke.
    const store = useTopologyStore();
    const snapshot = topology();
    const master = snapshot.nodes.find((node) => node.id === 'm:1')!;
    const backlog = master.backlog!;
    const lastAck = backlog.firstByteOffset - 100;
    const withDropped = (mostOffset: number) => ({
      ...snapshot,
      time: T + 1,
      nodes: snapshot.nodes.map((node) => (node.id === 'm:1' ? { ...node, backlog: { ...backlog, replicas: backlog.replicas.map((marker) => (marker.replicaId === 'r3:1' ? { ...marker, offset: lastAck, ackOffset: lastAck, offsetSource: 'ack' as const, headroomBytes: 0, insideWindow: false, dropped: { lastListedAt: T - 5_000, mostOffset } } : marker)) } } : node)),
      links: snapshot.links.map((link) => (link.replicaId === 'r3:1' ? { ...link, state: 'down' as const, partialResyncPossible: null, offsetSource: null, replicaOffset: null } : link)),
    });
    // The most it can have is still inside the window: not known.
    store.ingest(withDropped(backlog.firstByteOffset + 10));
    const inside = mount(BacklogWindow, { props: { master: store.nodeById.get('m:1')! } });
    const offsetCell = inside.get('[data-testid="backlog-row-r3:1"] .figures-row').findAll('td')[2]!;
    expect(offsetCell.text()).toBe(`${lastAck.toLocaleString('en-US')} last ACK · dropped`);
    expect(offsetCell.attributes('title')).toContain(`m:1 no longer lists this replica, which does not answer: the offset it last acknowledged, as m:1 listed it at ${new Date(T - 5_000).toISOString().slice(11, 19)} UTC`);
    const answer = inside.get('[data-testid="partial-resync-r3:1"]');
    expect(answer.text()).toBe(`not known: dropped by its master; its last ACK left the backlog, but woken it may have applied up to offset ${backlog.firstByteOffset + 10}, which is still inside`);
    expect(answer.classes()).toContain('level-warn');
    // Even the most it can have left the window: a full resync.
    store.ingest({ ...withDropped(backlog.firstByteOffset - 2), time: T + 2 });
    const outside = mount(BacklogWindow, { props: { master: store.nodeById.get('m:1')! } });
    expect(outside.get('[data-testid="partial-resync-r3:1"]').text()).toBe(`not possible: dropped by its master, and even the most it can have received (offset ${backlog.firstByteOffset - 2}) left the backlog; the next sync is a full resync`);
  });

  it('says how much history is held, and why it can be more than repl-backlog-size', async () => {
    const master = useTopologyStore().nodeById.get('m:1');
    if (master === undefined || master.backlog === null) throw new Error('fixture');
    const wrapper = mount(BacklogWindow, { props: { master: { ...master, backlog: { ...master.backlog, histlenBytes: 768 * KiB } } } });
    expect(wrapper.get('[data-testid="backlog-held"]').text()).toBe('holds 768 KiB (75%)');
    // Redis 7 trims the backlog by whole replication-buffer blocks (and keeps
    // blocks a replica still reads), so histlen may exceed the configured size.
    await wrapper.setProps({ master: { ...master, backlog: { ...master.backlog, sizeBytes: 16 * KiB, histlenBytes: 29 * KiB } } });
    const held = wrapper.get('[data-testid="backlog-held"]');
    expect(held.text()).toBe('29 KiB held (configured 16 KiB; Redis keeps whole blocks)');
    expect(held.text()).not.toContain('%');
    expect(held.attributes('title')).toMatch(/trims the backlog by whole replication-buffer blocks/);
  });

  it('counts a disconnected replica down between polls until a partial resync is impossible', async () => {
    const master = useTopologyStore().nodeById.get('m:1');
    if (master === undefined) throw new Error('fixture');
    const wrapper = mount(BacklogWindow, { props: { master } });
    expect(wrapper.get('[data-testid="countdown-r2:1"]').text()).toBe('4 s left');
    await vi.advanceTimersByTimeAsync(2500);
    expect(wrapper.get('[data-testid="countdown-r2:1"]').text()).toBe('1.5 s left');
    // One figure: the headroom cell counts down with the status row, not the last poll's 4 s beside a live 1.5 s.
    expect(wrapper.get('[data-testid="headroom-r2:1"]').text()).toBe('256 KiB · 1.5 s left');
    await vi.advanceTimersByTimeAsync(2000);
    expect(wrapper.find('[data-testid="countdown-r2:1"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="partial-resync-r2:1"]').text()).toBe('not possible: the link has been down longer than the backlog lasts');
  });
});

describe('BacklogAdvisor', () => {
  it('recommends a size for the chosen outage and says whether the current one is enough', async () => {
    const master = useTopologyStore().nodeById.get('m:1');
    if (master === undefined) throw new Error('fixture');
    const wrapper = mount(BacklogAdvisor, { props: { master } });
    // 100 KiB/s x 60 s x 2 = 11.7 MiB -> 12 MiB; 1 MiB lasts 10.24 s at the peak.
    expect(wrapper.get('[data-testid="recommended-backlog"]').text()).toBe('12 MiB');
    expect(wrapper.text()).toContain('about 10 s of outage');
    expect(wrapper.text()).toContain('Too small for 1 min.');
    await wrapper.get('[data-testid="outage-seconds"]').setValue('5');
    expect(wrapper.get('[data-testid="recommended-backlog"]').text()).toBe('1 MiB');
    expect(wrapper.text()).toContain('Enough for 5 s');
    // 8 s: 1 MiB outlasts it (10.24 s) but not with the margin (2 MiB recommended).
    await wrapper.get('[data-testid="outage-seconds"]').setValue('8');
    expect(wrapper.get('[data-testid="recommended-backlog"]').text()).toBe('2 MiB');
    expect(wrapper.get('[data-testid="backlog-verdict"]').text()).toMatch(/^Survives 8 s at the peak rate \(a link down that long resyncs partially\), without the ×2 margin/);
    await wrapper.get('[data-testid="outage-seconds"]').setValue('11');
    expect(wrapper.get('[data-testid="backlog-verdict"]').text()).toBe('Too small for 11 s. A link down that long at the peak rate ends in a full resync.');
  });
});
