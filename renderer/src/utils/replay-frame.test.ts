import { describe, expect, it } from 'vitest';
import type { IncidentBundle, ReplicationEvent, TopologySnapshot } from '../api/contract';
import { linkSeriesId, nodeSeriesId } from '../api/contract';
import { syntheticLink, syntheticNode } from '../../test-support/synthetic-topology';
import { eventsUntil, frameAt, lastAtOrBefore, stateAt } from './replay-frame';

const M = '10.0.0.1:6379';
const R = '10.0.0.2:6379';
const LINK = `${M}->${R}`;

function state(time: number, linkState: 'online' | 'down', replicaRole: 'replica' | 'master' = 'replica'): TopologySnapshot {
  return {
    sessionId: 's', kind: 'standalone', time, pollIntervalMs: 1000, outageSeconds: 60, groups: [], splitBrains: [],
    nodes: [syntheticNode(M, { role: 'master', masterReplOffset: 100 }), syntheticNode(R, { role: replicaRole })],
    links: [syntheticLink(M, R, { state: linkState, lagBytes: 5 })],
  };
}

function event(time: number, kind: ReplicationEvent['kind']): ReplicationEvent {
  return { id: `e${time}`, time, sessionId: 's', kind, nodeId: R, peerId: M, cause: 'network', inferred: true, message: kind, numbers: {} };
}

const bundle: IncidentBundle = {
  format: 'replscope-incident', version: 2, exportedAt: 10_000, exportedBy: 'Replscope test',
  session: { sessionId: 's', name: 'orders', kind: 'standalone', environment: 'prod' },
  range: { fromMs: 1000, toMs: 9000 },
  events: [event(3000, 'link-down'), event(6000, 'link-up')],
  topology: [state(900, 'online'), state(3000, 'down'), state(6000, 'online')],
  series: {
    resolution: 'second',
    times: [1000, 2000, 3000, 4000, 5000, 6000, 7000],
    series: {
      [nodeSeriesId(M, 'masterOffset')]: [1000, 2000, 3000, 4000, 5000, 6000, 7000],
      [linkSeriesId(LINK, 'lagBytes')]: [0, 10, null, null, null, 300, 0],
    },
  },
};

describe('replay frames', () => {
  it('lastAtOrBefore finds the last time at or before, -1 before the first', () => {
    expect(lastAtOrBefore([1, 3, 3, 5], 0)).toBe(-1);
    expect(lastAtOrBefore([1, 3, 3, 5], 3)).toBe(2);
    expect(lastAtOrBefore([1, 3, 3, 5], 4)).toBe(2);
    expect(lastAtOrBefore([1, 3, 3, 5], 99)).toBe(3);
    expect(lastAtOrBefore([], 5)).toBe(-1);
  });

  it('the state in effect is the last kept at or before the moment (the first before the range)', () => {
    expect(stateAt(bundle, 500).time).toBe(900);
    expect(stateAt(bundle, 2999).links[0]!.state).toBe('online');
    expect(stateAt(bundle, 3000).links[0]!.state).toBe('down');
    expect(stateAt(bundle, 8000).links[0]!.state).toBe('online');
  });

  it('lays the series row at or before the moment over the state: offsets and lag of that second', () => {
    const frame = frameAt(bundle, 2500);
    expect(frame.time).toBe(2000);
    expect(frame.nodes.find((node) => node.id === M)!.masterReplOffset).toBe(2000);
    expect(frame.links[0]).toMatchObject({ state: 'online', lagBytes: 10 });
    // During the outage: the state says down, the series has no lag figure.
    expect(frameAt(bundle, 4200).links[0]).toMatchObject({ state: 'down', lagBytes: null });
    expect(frameAt(bundle, 6500).links[0]).toMatchObject({ state: 'online', lagBytes: 300 });
    // Series ids the bundle lacks leave the state's own figures.
    expect(frameAt(bundle, 6500).links[0]!.ackAgeSeconds).toBe(state(0, 'online').links[0]!.ackAgeSeconds);
  });

  it('a series row older than the state is not used (the state is newer)', () => {
    const late = { ...bundle, series: { ...bundle.series, times: [1000], series: { [linkSeriesId(LINK, 'lagBytes')]: [77] } } };
    expect(frameAt(late, 3500)).toBe(late.topology[1]);
    expect(frameAt(late, 1500).links[0]!.lagBytes).toBe(77);
  });

  it('"falling behind" comes from its own series: 1 at a second, a minute mean of at least one half; a bundle without it keeps the catch-up rule', () => {
    const times = [1000, 2000, 3000, 4000];
    const rows = (fallingBehind: Array<number | null> | undefined) => ({
      ...bundle,
      series: { resolution: 'second' as const, times, series: { [linkSeriesId(LINK, 'catchUp')]: [2, null, null, null], ...(fallingBehind ? { [linkSeriesId(LINK, 'fallingBehind')]: fallingBehind } : {}) } },
    });
    const recorded = rows([0, 1, null, 0.6]);
    expect(frameAt(recorded, 1500).links[0]).toMatchObject({ catchUpSeconds: 2, fallingBehind: false });
    expect(frameAt(recorded, 2500).links[0]).toMatchObject({ catchUpSeconds: null, fallingBehind: true });
    expect(frameAt(recorded, 3000).links[0]!.fallingBehind).toBe(false); // unknown: "—"
    expect(frameAt(recorded, 4000).links[0]!.fallingBehind).toBe(true);
    expect(frameAt(rows([0, 0.4, 0, 0]), 2500).links[0]!.fallingBehind).toBe(false);
    // Recorded before the series existed: a catch-up figure means closing, no figure leaves the state's word.
    expect(frameAt(rows(undefined), 1500).links[0]!.fallingBehind).toBe(false);
    expect(frameAt(rows(undefined), 2500).links[0]!.fallingBehind).toBe(state(0, 'online').links[0]!.fallingBehind);
  });

  it('events up to the moment, newest first', () => {
    expect(eventsUntil(bundle, 2000)).toEqual([]);
    expect(eventsUntil(bundle, 3000).map((item) => item.kind)).toEqual(['link-down']);
    expect(eventsUntil(bundle, 9000).map((item) => item.kind)).toEqual(['link-up', 'link-down']);
  });
});
