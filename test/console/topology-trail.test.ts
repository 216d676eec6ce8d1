/** The topology states kept for incident bundles (main/console/replay/topology-trail.ts): changes and keyframes, the state in effect at a range's start, the bound. */
import { describe, expect, it } from 'vitest';
import { KEYFRAME_MS, TopologyTrail } from '../../main/console/replay/topology-trail';
import type { TopologySnapshot } from '../../shared/contract/snapshots';
import { syntheticLink, syntheticNode } from '../../renderer/test-support/synthetic-topology';

const M = '10.0.0.1:6379';
const R = '10.0.0.2:6379';

function snapshot(time: number, link: 'online' | 'down', lagBytes = 0, sessionId = 's'): TopologySnapshot {
  return {
    sessionId, kind: 'standalone', time, pollIntervalMs: 1000, outageSeconds: 60, groups: [], splitBrains: [],
    nodes: [syntheticNode(M, { role: 'master', masterReplOffset: 1000 + time }), syntheticNode(R, { role: 'replica' })],
    links: [syntheticLink(M, R, { state: link, lagBytes })],
  };
}

describe('TopologyTrail', () => {
  it('keeps a state when it changes and a keyframe every 30 s, not every poll', () => {
    const trail = new TopologyTrail();
    for (let time = 0; time <= 75_000; time += 1000) trail.record(snapshot(time, time >= 10_000 && time < 13_000 ? 'down' : 'online', time));
    const kept = trail.between('s', 0, 75_000).map((state) => [state.time, state.links[0]!.state]);
    expect(kept).toEqual([[0, 'online'], [10_000, 'down'], [13_000, 'online'], [13_000 + KEYFRAME_MS, 'online'], [13_000 + 2 * KEYFRAME_MS, 'online']]);
    // Kept whole: the figures of the poll it was taken at.
    expect(trail.between('s', 10_000, 10_000)[0]!.links[0]!.lagBytes).toBe(10_000);
  });

  it('a range starts with the state in effect at its start; sessions are apart; forget drops one', () => {
    const trail = new TopologyTrail();
    trail.record(snapshot(1000, 'online'));
    trail.record(snapshot(5000, 'down'));
    trail.record(snapshot(2000, 'down', 0, 'other'));
    expect(trail.between('s', 3000, 9000).map((state) => state.time)).toEqual([1000, 5000]);
    expect(trail.between('s', 5000, 9000).map((state) => state.time)).toEqual([5000]);
    expect(trail.between('s', 9000, 9500).map((state) => state.time)).toEqual([5000]);
    expect(trail.earliest('s')).toBe(1000);
    expect(trail.earliest('other')).toBe(2000);
    trail.forget('s');
    expect(trail.between('s', 0, 9000)).toEqual([]);
    expect(trail.earliest('s')).toBeNull();
  });

  it('holds at most 2000 states per session, dropping the oldest', () => {
    const trail = new TopologyTrail();
    for (let index = 0; index < 2100; index++) trail.record(snapshot(index * 1000, index % 2 === 0 ? 'online' : 'down'));
    const kept = trail.between('s', 0, Infinity);
    expect(kept).toHaveLength(2000);
    expect(kept[0]!.time).toBe(100_000);
    expect(trail.earliest('s')).toBe(100_000);
  });
});
