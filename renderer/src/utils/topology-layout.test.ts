import { describe, expect, it } from 'vitest';
import { syntheticLink, syntheticNode, syntheticSnapshot } from '../../test-support/synthetic-topology';
import { bezierPoint, EDGE_LABEL_WIDTH, layoutTopology, NODE_HEIGHT, NODE_WIDTH, structureKey } from './topology-layout';

describe('topology layout', () => {
  it('puts masters above their replicas and chains below their upstream', () => {
    const snapshot = {
      ...syntheticSnapshot({ sessionId: 's', masters: 0, replicasPerMaster: 0 }, 0),
      nodes: [syntheticNode('m:1'), syntheticNode('r:1', { role: 'replica' }), syntheticNode('r:2', { role: 'replica' })],
      links: [syntheticLink('m:1', 'r:1'), syntheticLink('r:1', 'r:2')],
    };
    const layout = layoutTopology(snapshot);
    const y = Object.fromEntries(layout.nodes.map((node) => [node.id, node.y]));
    expect(y['m:1']).toBeLessThan(y['r:1'] ?? -1);
    expect(y['r:1']).toBeLessThan(y['r:2'] ?? -1);
    expect(layout.edges.map((edge) => [edge.id, edge.source, edge.target])).toEqual([
      ['m:1->r:1', 'm:1', 'r:1'],
      ['r:1->r:2', 'r:1', 'r:2'],
    ]);
    // The label sits on the curve between the two cards, nearer the replica.
    const edge = layout.edges[0];
    expect(edge?.labelY).toBeGreaterThan((y['m:1'] ?? 0) + NODE_HEIGHT);
    expect(edge?.labelY).toBeLessThan(y['r:1'] ?? 0);
  });

  it('lays out 60 nodes without overlaps, shard by shard', () => {
    const snapshot = syntheticSnapshot({ sessionId: 's', masters: 15, replicasPerMaster: 3 }, 0);
    expect(snapshot.nodes).toHaveLength(60);
    const layout = layoutTopology(snapshot);
    expect(layout.nodes).toHaveLength(60);
    for (const [index, a] of layout.nodes.entries()) {
      for (const b of layout.nodes.slice(index + 1)) {
        const overlap = Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
    // Packed in rows, not one very wide line.
    expect(layout.width).toBeLessThan(2600);
  });

  it('frames Sentinel groups and shards', () => {
    const snapshot = syntheticSnapshot({ sessionId: 's', masters: 1, replicasPerMaster: 1 }, 0);
    const masterId = snapshot.links[0]?.masterId ?? '';
    const withGroup = {
      ...snapshot,
      groups: [{ kind: 'sentinel' as const, name: 'mymaster', masterId, quorum: 2, sentinels: [], quorumOk: true, quorumDetail: null, downAfterMs: null, failoverTimeoutMs: null, flags: null, replicas: [] }],
    };
    const layout = layoutTopology(withGroup);
    expect(layout.frames).toHaveLength(1);
    const frame = layout.frames[0];
    for (const node of layout.nodes) {
      expect(node.x).toBeGreaterThanOrEqual(frame?.x ?? Infinity);
      expect(node.y + NODE_HEIGHT).toBeLessThanOrEqual((frame?.y ?? 0) + (frame?.height ?? 0));
      // Centred in the frame, below its two-line header.
      expect(node.x - (frame?.x ?? 0)).toBeCloseTo((frame?.x ?? 0) + (frame?.width ?? 0) - (node.x + NODE_WIDTH), 6);
      expect(node.y - (frame?.y ?? 0)).toBeGreaterThanOrEqual(54);
    }
    // A one-column group still gets a frame wide enough for its header's second line.
    expect(frame?.width).toBeGreaterThanOrEqual(300);
  });

  it('bezier points: ends, the symmetric midpoint, and a point nearer the target', () => {
    expect(bezierPoint(0, 0, 100, 100, 0)).toEqual({ x: 0, y: 0 });
    expect(bezierPoint(0, 0, 100, 100, 1)).toEqual({ x: 100, y: 100 });
    expect(bezierPoint(0, 0, 100, 100, 0.5)).toEqual({ x: 50, y: 50 });
    const near = bezierPoint(0, 0, 100, 100, 0.7);
    expect(near.x).toBeGreaterThan(70);
  });

  it('sibling edge labels are far enough apart not to overlap', () => {
    const layout = layoutTopology(syntheticSnapshot({ sessionId: 's', masters: 1, replicasPerMaster: 3 }, 0));
    const xs = layout.edges.map((edge) => edge.labelX).sort((a, b) => a - b);
    for (let index = 1; index < xs.length; index += 1) expect((xs[index] ?? 0) - (xs[index - 1] ?? 0)).toBeGreaterThanOrEqual(EDGE_LABEL_WIDTH);
  });

  it('the structure key ignores live figures and changes with the graph', () => {
    const a = syntheticSnapshot({ sessionId: 's', masters: 2, replicasPerMaster: 2 }, 0);
    const b = syntheticSnapshot({ sessionId: 's', masters: 2, replicasPerMaster: 2 }, 50);
    expect(structureKey(a)).toBe(structureKey(b));
    const promoted = { ...b, nodes: b.nodes.map((node, index) => (index === 0 ? { ...node, role: 'master' as const } : node)) };
    expect(structureKey(promoted)).not.toBe(structureKey(a));
  });
});
