/**
 * Lays the replication graph out master -> replicas with dagre.
 *
 * Each connected component (a master with its replicas and sub-replicas, a
 * Cluster shard, a Sentinel-monitored group) is laid out on its own, top to
 * bottom, then the components are packed in rows, so 20 shards of 3 nodes
 * read as 20 lanes rather than one very wide tree. Sentinel and shard groups
 * get a frame. Layout depends only on the structure (ids, roles, links,
 * groups), never on live figures: `structureKey` changes only when the graph
 * does, and the view relayouts only then.
 */
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { TopologyGroup, TopologySnapshot } from '../api/contract';

export const NODE_WIDTH = 212;
export const NODE_HEIGHT = 96;
/** Edge labels have a fixed size (layout containment: a changed figure re-lays out only its label). */
export const EDGE_LABEL_WIDTH = 136;
export const EDGE_LABEL_HEIGHT = 20;
const FRAME_PADDING = 16;
/**
 * Frames have two header lines, and the width for the second: a Sentinel
 * group's name, then its Sentinels up, quorum and badge; a shard's name and
 * slot ranges, then its health ("cluster_state:fail, 1 failed").
 */
const FRAME_HEADER = 54;
const FRAME_MIN_WIDTH = 300;
const COMPONENT_GAP = 48;
const MAX_ROW_WIDTH = 2400;

export interface LaidOutNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

export interface LaidOutFrame {
  readonly id: string;
  readonly group: TopologyGroup;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LaidOutEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Where the edge's label sits (on the curve, nearer the replica so siblings' labels spread out). */
  readonly labelX: number;
  readonly labelY: number;
}

export interface TopologyLayout {
  readonly key: string;
  readonly nodes: readonly LaidOutNode[];
  readonly edges: readonly LaidOutEdge[];
  readonly frames: readonly LaidOutFrame[];
  readonly width: number;
  readonly height: number;
}

const LABEL_T = 0.7;

/**
 * A point on the bottom-to-top bezier Vue Flow draws between two handles
 * (control points half the vertical distance away from each end).
 */
export function bezierPoint(sourceX: number, sourceY: number, targetX: number, targetY: number, t: number): { x: number; y: number } {
  const offset = 0.5 * Math.abs(targetY - sourceY);
  const u = 1 - t;
  const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return {
    x: a * sourceX + b * sourceX + c * targetX + d * targetX,
    y: a * sourceY + b * (sourceY + offset) + c * (targetY - offset) + d * targetY,
  };
}

export function structureKey(snapshot: TopologySnapshot): string {
  const nodes = snapshot.nodes.map((node) => `${node.id}/${node.role}`).sort();
  const links = snapshot.links.map((link) => link.id).sort();
  const groups = snapshot.groups.map((group) => `${group.kind}:${group.name}:${group.masterId ?? ''}`).sort();
  return `${nodes.join(',')}|${links.join(',')}|${groups.join(',')}`;
}

interface Component {
  readonly nodeIds: string[];
  readonly group: TopologyGroup | null;
  readonly sortKey: string;
}

function components(snapshot: TopologySnapshot, graphNodeIds: readonly string[]): Component[] {
  const parent = new Map<string, string>(graphNodeIds.map((id) => [id, id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    if (parent.has(a) && parent.has(b)) parent.set(find(a), find(b));
  };
  for (const link of snapshot.links) union(link.masterId, link.replicaId);
  for (const group of snapshot.groups) {
    if (group.kind === 'shard') for (const id of group.nodeIds) if (group.masterId !== null) union(group.masterId, id);
  }
  const byRoot = new Map<string, string[]>();
  for (const id of graphNodeIds) {
    const root = find(id);
    const list = byRoot.get(root) ?? [];
    list.push(id);
    byRoot.set(root, list);
  }
  return [...byRoot.values()].map((nodeIds) => {
    const members = new Set(nodeIds);
    const group =
      snapshot.groups.find((candidate) => (candidate.kind === 'shard' ? candidate.nodeIds.some((id) => members.has(id)) : candidate.masterId !== null && members.has(candidate.masterId))) ?? null;
    return { nodeIds, group, sortKey: group?.name ?? [...nodeIds].sort()[0] ?? '' };
  });
}

function layoutComponent(nodeIds: readonly string[], snapshot: TopologySnapshot): { positions: Map<string, { x: number; y: number }>; width: number; height: number } {
  const graph = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>();
  graph.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 72, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  const members = new Set(nodeIds);
  for (const id of [...nodeIds].sort()) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const link of snapshot.links) {
    if (members.has(link.masterId) && members.has(link.replicaId)) graph.setEdge(link.masterId, link.replicaId);
  }
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const id of nodeIds) {
    const label = graph.node(id);
    const x = (label.x ?? 0) - NODE_WIDTH / 2;
    const y = (label.y ?? 0) - NODE_HEIGHT / 2;
    positions.set(id, { x, y });
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + NODE_WIDTH);
    maxY = Math.max(maxY, y + NODE_HEIGHT);
  }
  for (const [id, position] of positions) positions.set(id, { x: position.x - minX, y: position.y - minY });
  return { positions, width: maxX - minX, height: maxY - minY };
}

export function layoutTopology(snapshot: TopologySnapshot): TopologyLayout {
  const graphNodeIds = snapshot.nodes.filter((node) => node.role !== 'sentinel').map((node) => node.id);
  const parts = components(snapshot, graphNodeIds).sort((a, b) => a.sortKey.localeCompare(b.sortKey, undefined, { numeric: true }));
  const nodes: LaidOutNode[] = [];
  const frames: LaidOutFrame[] = [];
  let cursorX = 0;
  let cursorY = 0;
  let rowHeight = 0;
  let totalWidth = 0;
  for (const part of parts) {
    const laid = layoutComponent(part.nodeIds, snapshot);
    const framed = part.group !== null;
    const boxWidth = Math.max(laid.width + (framed ? FRAME_PADDING * 2 : 0), framed ? FRAME_MIN_WIDTH : 0);
    const boxHeight = laid.height + (framed ? FRAME_PADDING * 2 + FRAME_HEADER : 0);
    if (cursorX > 0 && cursorX + boxWidth > MAX_ROW_WIDTH) {
      cursorX = 0;
      cursorY += rowHeight + COMPONENT_GAP;
      rowHeight = 0;
    }
    // Nodes centred in a frame made wider than they need.
    const offsetX = cursorX + (boxWidth - laid.width) / 2;
    const offsetY = cursorY + (framed ? FRAME_PADDING + FRAME_HEADER : 0);
    for (const [id, position] of laid.positions) nodes.push({ id, x: position.x + offsetX, y: position.y + offsetY });
    if (part.group !== null) {
      frames.push({ id: `group:${part.group.kind}:${part.group.name}`, group: part.group, x: cursorX, y: cursorY, width: boxWidth, height: boxHeight });
    }
    cursorX += boxWidth + COMPONENT_GAP;
    totalWidth = Math.max(totalWidth, cursorX - COMPONENT_GAP);
    rowHeight = Math.max(rowHeight, boxHeight);
  }
  const position = new Map(nodes.map((node) => [node.id, node]));
  const edges: LaidOutEdge[] = [];
  for (const link of snapshot.links) {
    const source = position.get(link.masterId);
    const target = position.get(link.replicaId);
    if (source === undefined || target === undefined) continue;
    const point = bezierPoint(source.x + NODE_WIDTH / 2, source.y + NODE_HEIGHT, target.x + NODE_WIDTH / 2, target.y, LABEL_T);
    edges.push({ id: link.id, source: link.masterId, target: link.replicaId, labelX: point.x, labelY: point.y });
  }
  return {
    key: structureKey(snapshot),
    nodes,
    edges,
    frames,
    width: totalWidth,
    height: cursorY + rowHeight,
  };
}
