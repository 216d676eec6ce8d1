import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBridge, flush } from '../../test-support/fake-bridge';
import { syntheticSession, syntheticSnapshot } from '../../test-support/synthetic-topology';
import { nodeSeriesId, type ReplicationEvent } from '../api/contract';
import { DEFAULT_SETTINGS } from '../utils/settings-parse';
import { useBridgeStore } from './bridge';
import { useEventsStore } from './events';
import { useHistoryStore } from './history';
import { useNavigationStore } from './navigation';
import { useNotificationsStore } from './notifications';
import { useSessionsStore } from './sessions';
import { useSettingsStore } from './settings';
import { useTopologyStore } from './topology';

let bridge: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  bridge = new FakeBridge();
  useBridgeStore().install(bridge);
});

afterEach(() => {
  useTopologyStore().poller.stop();
});

const demo = syntheticSession({ sessionId: 'demo', name: 'demo', kind: 'demo', environment: 'demo', safetyMode: 'demo', profileId: null });
const staging = syntheticSession({ sessionId: 'staging', name: 'staging' });

function event(id: string, time: number, sessionId = 'staging'): ReplicationEvent {
  return { id, time, sessionId, kind: 'link-down', nodeId: 'r:1', peerId: 'm:1', cause: 'network', inferred: true, message: `event ${id}`, numbers: {} };
}

describe('sessions store', () => {
  it('opens on the demo session when there is one, even if another was viewed last', async () => {
    localStorage.setItem('replscope.viewPrefs.v1', JSON.stringify({ lastSessionId: 'staging' }));
    setActivePinia(createPinia());
    useBridgeStore().install(bridge);
    bridge.answer('sessions.list', [staging, demo]);
    const sessions = useSessionsStore();
    await sessions.refresh();
    expect(sessions.activeSessionId).toBe('demo');
  });

  it('keeps the operator on their session when a later list arrives', async () => {
    const sessions = useSessionsStore();
    sessions.receive([staging]);
    expect(sessions.activeSessionId).toBe('staging');
    sessions.receive([staging, demo]);
    expect(sessions.activeSessionId).toBe('staging');
    sessions.receive([demo]);
    expect(sessions.activeSessionId).toBe('demo');
  });

  it('drops a sessions.list answer overtaken by a pushed list', async () => {
    const sessions = useSessionsStore();
    const pending = sessions.refresh();
    sessions.receive([staging, demo]);
    bridge.callsTo('sessions.list')[0]?.resolve({ ok: true, data: [] });
    await pending;
    expect(sessions.sessions.map((session) => session.sessionId)).toEqual(['staging', 'demo']);
  });
});

describe('navigation store', () => {
  it('a selection belongs to its session: switching sessions clears it (no "Gone" panel)', async () => {
    const sessions = useSessionsStore();
    const navigation = useNavigationStore();
    useTopologyStore();
    sessions.receive([staging, demo]);
    sessions.select('staging');
    await flush();
    navigation.select({ kind: 'node', id: '10.0.0.1:6379' });
    sessions.select('demo');
    await flush();
    expect(navigation.selection).toBeNull();
    navigation.select({ kind: 'node', id: '127.0.0.1:7001' });
    // A session list that keeps the session on screen keeps the selection.
    sessions.receive([staging, demo]);
    await flush();
    expect(navigation.selection).toEqual({ kind: 'node', id: '127.0.0.1:7001' });
  });

  it('lands on the boot view only while the user has not picked one', () => {
    const navigation = useNavigationStore();
    navigation.land('demo');
    expect(navigation.view).toBe('demo');
    navigation.go('connections');
    navigation.land('demo');
    expect(navigation.view).toBe('connections');
  });
});

describe('topology store', () => {
  it('drops a topology.get answer for a session no longer on screen', async () => {
    const sessions = useSessionsStore();
    const topology = useTopologyStore();
    sessions.receive([staging, demo]);
    sessions.select('staging');
    await flush();
    const firstFetch = bridge.callsTo('topology.get').at(-1);
    expect(firstFetch?.payload).toEqual({ sessionId: 'staging' });
    sessions.select('demo');
    await flush();
    firstFetch?.resolve({ ok: true, data: syntheticSnapshot({ sessionId: 'staging', masters: 1, replicasPerMaster: 1 }, 1) });
    await flush();
    expect(topology.snapshot).toBeNull();
    const demoFetch = bridge.callsTo('topology.get').at(-1);
    expect(demoFetch?.payload).toEqual({ sessionId: 'demo' });
    demoFetch?.resolve({ ok: true, data: syntheticSnapshot({ sessionId: 'demo', masters: 1, replicasPerMaster: 1 }, 1) });
    await flush();
    expect(topology.snapshot?.sessionId).toBe('demo');
  });

  it('keeps the newest snapshot: a slow fetch never replaces a newer push', async () => {
    const sessions = useSessionsStore();
    const topology = useTopologyStore();
    sessions.receive([staging]);
    await flush();
    const fetch = bridge.callsTo('topology.get').at(-1);
    const newer = syntheticSnapshot({ sessionId: 'staging', masters: 1, replicasPerMaster: 1 }, 10);
    expect(topology.ingest(newer)).toBe(true);
    fetch?.resolve({ ok: true, data: syntheticSnapshot({ sessionId: 'staging', masters: 1, replicasPerMaster: 1 }, 5) });
    await flush();
    expect(topology.snapshot?.time).toBe(newer.time);
  });

  it('caches snapshots of sessions not on screen and shows them on switch', async () => {
    const sessions = useSessionsStore();
    const topology = useTopologyStore();
    sessions.receive([staging, demo]);
    sessions.select('staging');
    await flush();
    const demoSnapshot = syntheticSnapshot({ sessionId: 'demo', masters: 1, replicasPerMaster: 2, kind: 'demo' }, 3);
    topology.ingest(demoSnapshot);
    expect(topology.snapshot).toBeNull();
    sessions.select('demo');
    await flush();
    expect(topology.snapshot).toBe(demoSnapshot);
    expect(topology.linksByMaster.get(demoSnapshot.links[0]?.masterId ?? '')?.length).toBe(2);
  });

  it('appends pushed snapshots to the chart history, and backfills only the series asked for', async () => {
    const sessions = useSessionsStore();
    const topology = useTopologyStore();
    const history = useHistoryStore();
    sessions.receive([staging]);
    await flush();
    const shape = { sessionId: 'staging', masters: 1, replicasPerMaster: 1 };
    topology.ingest(syntheticSnapshot(shape, 10));
    topology.ingest(syntheticSnapshot(shape, 11));
    const masterId = syntheticSnapshot(shape, 0).links[0]?.masterId ?? '';
    const series = nodeSeriesId(masterId, 'writeRate');
    expect(bridge.callsTo('history.get')).toHaveLength(0);
    const ensuring = history.ensure([series, series]);
    void history.ensure([series]);
    const calls = bridge.callsTo('history.get');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.payload).toMatchObject({ sessionId: 'staging', series: [series] });
    const older = [syntheticSnapshot(shape, 8), syntheticSnapshot(shape, 9), syntheticSnapshot(shape, 10)];
    calls[0]?.resolve({ ok: true, data: { sessionId: 'staging', times: older.map((entry) => entry.time), series: { [series]: [1, 2, 3] } } });
    await ensuring;
    expect(history.buffer.times).toEqual([8, 9, 10, 11].map((tick) => syntheticSnapshot(shape, tick).time));
    expect(history.buffer.column(series)?.slice(0, 2)).toEqual([1, 2]);
  });

  it('drops a history answer for a session no longer on screen', async () => {
    const sessions = useSessionsStore();
    const history = useHistoryStore();
    useTopologyStore();
    sessions.receive([staging, demo]);
    sessions.select('staging');
    await flush();
    const ensuring = history.ensure(['node.writeRate@m:1']);
    sessions.select('demo');
    await flush();
    bridge.callsTo('history.get')[0]?.resolve({ ok: true, data: { sessionId: 'staging', times: [1, 2], series: { 'node.writeRate@m:1': [5, 6] } } });
    await ensuring;
    expect(bridge.callsTo('history.get')).toHaveLength(1);
    expect(history.sessionId).toBe('demo');
    expect(history.buffer.length).toBe(0);
  });
});

describe('settings store', () => {
  it('rebuilds what settings.get returns field by field', async () => {
    bridge.answer('settings.get', { pollIntervalMs: 2500, thresholds: { lagBytesWarn: 'x' }, theme: 'dark', outageSeconds: -5 });
    const settings = useSettingsStore();
    await settings.load();
    expect(settings.settings).toEqual({ ...DEFAULT_SETTINGS, pollIntervalMs: 2500, theme: 'dark' });
  });

  it('a load answered after a save does not undo the save', async () => {
    const settings = useSettingsStore();
    const load = settings.load();
    bridge.handlers.set('settings.set', (payload) => ({ ok: true, data: payload }));
    await settings.save({ ...DEFAULT_SETTINGS, pollIntervalMs: 5000 });
    bridge.callsTo('settings.get')[0]?.resolve({ ok: true, data: DEFAULT_SETTINGS });
    await load;
    expect(settings.settings.pollIntervalMs).toBe(5000);
  });

  it('a failed save surfaces as a notification', async () => {
    bridge.fail('settings.set', 'invalid-request', 'pollIntervalMs: too small');
    const ok = await useSettingsStore().save(DEFAULT_SETTINGS);
    expect(ok).toBe(false);
    expect(useNotificationsStore().notices.map((notice) => `${notice.title}: ${notice.message}`)).toContain('Saving settings: Request refused: pollIntervalMs: too small');
  });
});

describe('events store', () => {
  it('merges pushes that overtake the list, sorted and without duplicates', async () => {
    const sessions = useSessionsStore();
    const events = useEventsStore();
    sessions.receive([staging]);
    await flush();
    events.receive(event('b', 2000));
    events.receive(event('c', 3000));
    events.receive(event('x', 1500, 'demo'));
    bridge.callsTo('events.list').at(-1)?.resolve({ ok: true, data: [event('a', 1000), event('b', 2000)] });
    await flush();
    expect(events.events.map((entry) => entry.id)).toEqual(['a', 'b', 'c']);
    expect(events.filtered.map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
  });

  it('lists a chaos before the link-down it caused in the same millisecond, whichever arrived first', async () => {
    const sessions = useSessionsStore();
    const events = useEventsStore();
    sessions.receive([staging]);
    await flush();
    // ids chosen so that the id tie-break alone would put the chaos last
    events.receive(event('a-link-down', 5000));
    events.receive({ ...event('z-chaos', 5000), kind: 'chaos', cause: 'chaos', inferred: false });
    events.receive(event('b-later', 5001));
    expect(events.events.map((entry) => entry.id)).toEqual(['z-chaos', 'a-link-down', 'b-later']);
    expect(events.filtered.map((entry) => entry.id)).toEqual(['b-later', 'a-link-down', 'z-chaos']);
  });

  it('drops the list of a session no longer on screen', async () => {
    const sessions = useSessionsStore();
    const events = useEventsStore();
    sessions.receive([staging, demo]);
    sessions.select('staging');
    await flush();
    const stagingList = bridge.callsTo('events.list').at(-1);
    sessions.select('demo');
    await flush();
    stagingList?.resolve({ ok: true, data: [event('a', 1000)] });
    await flush();
    expect(events.events).toEqual([]);
  });

  it('filters by category, origin, node and text', () => {
    const events = useEventsStore();
    events.events = [
      { ...event('1', 1), kind: 'full-resync', cause: 'out-of-backlog', inferred: false, message: 'full resync: offset 10 out of backlog' },
      { ...event('2', 2), kind: 'link-down', nodeId: 'r:2' },
      { ...event('3', 3), kind: 'config-change', message: 'repl-backlog-size 1mb -> 16kb' },
    ];
    events.filter = { categories: ['resyncs', 'links'], nodeId: '', origin: 'all', text: '' };
    expect(events.filtered.map((entry) => entry.id)).toEqual(['2', '1']);
    events.filter = { categories: ['resyncs', 'links', 'config'], nodeId: '', origin: 'exact', text: '' };
    expect(events.filtered.map((entry) => entry.id)).toEqual(['1']);
    events.filter = { categories: ['resyncs', 'links', 'config'], nodeId: 'r:2', origin: 'all', text: '' };
    expect(events.filtered.map((entry) => entry.id)).toEqual(['2']);
    events.filter = { categories: ['resyncs', 'links', 'config'], nodeId: '', origin: 'all', text: 'BACKLOG' };
    expect(events.filtered.map((entry) => entry.id)).toEqual(['3', '1']);
  });
});
