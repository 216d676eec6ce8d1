/**
 * The topology of a replayed incident bundle as of one moment: the topology
 * state in effect then (the last one kept at or before it: roles, health,
 * link states, sync phases), with the figures of the series row at or
 * before that moment laid over it (offsets, lag, ACK age, rates, backlog
 * fill, memory...), so the graph and the charts say the same thing at the
 * cursor. A series row older than the state is not used: the state's own
 * figures are newer. Pure functions, no Vue.
 */
import { LINK_METRICS, NODE_METRICS, linkSeriesId, nodeSeriesId, type LinkMetric, type NodeMetric } from '../api/contract';
import type { IncidentBundle, LinkSnapshot, NodeSnapshot, ReplicationEvent, TopologySnapshot } from '../api/contract';

/** Index of the last entry whose time is at or before `time` (-1 when none); `times` sorted ascending. */
export function lastAtOrBefore(times: ArrayLike<number>, time: number): number {
  let low = 0;
  let high = times.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (times[middle]! <= time) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

function withNodeMetric(node: NodeSnapshot, metric: NodeMetric, value: number | null): NodeSnapshot {
  switch (metric) {
    case 'writeRate': return { ...node, writeRateBytesPerSec: value };
    case 'opsPerSec': return { ...node, opsPerSec: value };
    case 'masterOffset': return { ...node, masterReplOffset: value };
    case 'backlogHistlen': return node.backlog && value !== null ? { ...node, backlog: { ...node.backlog, histlenBytes: value } } : node;
    case 'backlogSize': return node.backlog && value !== null ? { ...node, backlog: { ...node.backlog, sizeBytes: value } } : node;
    case 'usedMemory': return { ...node, usedMemoryBytes: value };
    case 'clients': return { ...node, connectedClients: value };
    case 'keys': return { ...node, keys: value };
    case 'evictionRate': return { ...node, evictionsPerSec: value };
  }
}

function withLinkMetric(link: LinkSnapshot, metric: LinkMetric, value: number | null): LinkSnapshot {
  switch (metric) {
    case 'lagBytes': return { ...link, lagBytes: value };
    case 'ackAge': return { ...link, ackAgeSeconds: value };
    case 'applyRate': return { ...link, applyRateBytesPerSec: value };
    case 'headroom': return { ...link, backlogHeadroomBytes: value };
    case 'catchUp': return { ...link, catchUpSeconds: value, fallingBehind: value === null && link.fallingBehind }; // a recorded figure means the lag was closing
    // 1 falling behind, 0 closing, null unknown (series.ts); a minute row holds the mean: falling behind for most of it.
    case 'fallingBehind': return { ...link, fallingBehind: value !== null && value >= 0.5 };
  }
}

/** The topology state in effect at `time` (the first one when `time` is before it). */
export function stateAt(bundle: IncidentBundle, time: number): TopologySnapshot {
  const index = lastAtOrBefore(bundle.topology.map((state) => state.time), time);
  return bundle.topology[Math.max(0, index)]!;
}

/** The snapshot to show at `time`: the state in effect, its figures from the series row at or before `time`. */
export function frameAt(bundle: IncidentBundle, time: number): TopologySnapshot {
  const state = stateAt(bundle, time);
  const { times, series } = bundle.series;
  const row = lastAtOrBefore(times, time);
  if (row === -1 || times[row]! < state.time) return state;
  const valueOf = (id: string): number | null | undefined => series[id]?.[row];
  const nodes = state.nodes.map((node) => NODE_METRICS.reduce((current, metric) => {
    const value = valueOf(nodeSeriesId(node.id, metric));
    return value === undefined ? current : withNodeMetric(current, metric, value);
  }, node));
  const links = state.links.map((link) => LINK_METRICS.reduce((current, metric) => {
    const value = valueOf(linkSeriesId(link.id, metric));
    return value === undefined ? current : withLinkMetric(current, metric, value);
  }, link));
  return { ...state, time: times[row]!, nodes, links };
}

/** The events up to `time`, newest first (as the live timeline lists them). */
export function eventsUntil(bundle: IncidentBundle, time: number): ReplicationEvent[] {
  const index = lastAtOrBefore(bundle.events.map((event) => event.time), time);
  return bundle.events.slice(0, index + 1).reverse();
}
