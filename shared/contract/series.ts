/**
 * Names of the time series in a HistoryBlock (history.get), and the one
 * function that reads their values out of a TopologySnapshot. The console's
 * history ring buffers and the renderer's live charts both use
 * `seriesValuesOf`, so a series recorded by main and the same series appended
 * from pushes in the renderer always mean the same thing.
 *
 * A series id is `<scope>.<metric>@<id>`:
 *   node.writeRate@127.0.0.1:7001
 *   link.lagBytes@127.0.0.1:7001->127.0.0.1:7002
 * Metric names never contain '@', so the id after the first '@' is verbatim.
 */
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from './snapshots';

export const NODE_METRICS = ['writeRate', 'opsPerSec', 'masterOffset', 'backlogHistlen', 'backlogSize', 'usedMemory'] as const;
export type NodeMetric = (typeof NODE_METRICS)[number];

export const LINK_METRICS = ['lagBytes', 'ackAge', 'applyRate', 'headroom', 'catchUp'] as const;
export type LinkMetric = (typeof LINK_METRICS)[number];

export function nodeSeriesId(nodeId: string, metric: NodeMetric): string {
  return `node.${metric}@${nodeId}`;
}

export function linkSeriesId(linkId: string, metric: LinkMetric): string {
  return `link.${metric}@${linkId}`;
}

export function nodeMetricValue(node: NodeSnapshot, metric: NodeMetric): number | null {
  switch (metric) {
    case 'writeRate':
      return node.writeRateBytesPerSec;
    case 'opsPerSec':
      return node.opsPerSec;
    case 'masterOffset':
      return node.masterReplOffset;
    case 'backlogHistlen':
      return node.backlog?.histlenBytes ?? null;
    case 'backlogSize':
      return node.backlog?.sizeBytes ?? null;
    case 'usedMemory':
      return node.usedMemoryBytes;
  }
}

export function linkMetricValue(link: LinkSnapshot, metric: LinkMetric): number | null {
  switch (metric) {
    case 'lagBytes':
      return link.lagBytes;
    case 'ackAge':
      return link.ackAgeSeconds;
    case 'applyRate':
      return link.applyRateBytesPerSec;
    case 'headroom':
      return link.backlogHeadroomBytes;
    case 'catchUp':
      return link.catchUpSeconds;
  }
}

/** Every series value in one snapshot, keyed by series id (one history row at `snapshot.time`). */
export function seriesValuesOf(snapshot: TopologySnapshot): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const node of snapshot.nodes) {
    for (const metric of NODE_METRICS) values.set(nodeSeriesId(node.id, metric), nodeMetricValue(node, metric));
  }
  for (const link of snapshot.links) {
    for (const metric of LINK_METRICS) values.set(linkSeriesId(link.id, metric), linkMetricValue(link, metric));
  }
  return values;
}
