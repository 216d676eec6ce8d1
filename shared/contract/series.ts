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
import { fallingBehindReading } from './catch-up';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from './snapshots';

export const NODE_METRICS = ['writeRate', 'opsPerSec', 'masterOffset', 'backlogHistlen', 'backlogSize', 'usedMemory', 'clients', 'keys', 'evictionRate'] as const;
export type NodeMetric = (typeof NODE_METRICS)[number];

/**
 * `fallingBehind` is the views' "falling behind" as 1, 0 or null
 * (catch-up.ts fallingBehindReading): `catchUp` alone is null both while the
 * lag is not closing and while a rate is unknown, and a replay must tell them
 * apart as the live view did. Recorded after `catchUp`, so a replay that has
 * it lets it decide.
 */
export const LINK_METRICS = ['lagBytes', 'ackAge', 'applyRate', 'headroom', 'catchUp', 'fallingBehind'] as const;
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
    case 'clients':
      return node.connectedClients;
    case 'keys':
      return node.keys;
    case 'evictionRate':
      return node.evictionsPerSec;
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
    case 'fallingBehind':
      return fallingBehindReading(link);
  }
}

/**
 * The series ids of each node and link, built once and reused at every poll:
 * the same string objects each time means no ~600 fresh strings per
 * snapshot, and Map lookups by them find their hash already computed.
 * Bounded: a long session that saw many short-lived nodes starts over.
 */
const nodeIdCache = new Map<string, readonly string[]>();
const linkIdCache = new Map<string, readonly string[]>();
const ID_CACHE_LIMIT = 4096;

function seriesIdsOf<M extends string>(cache: Map<string, readonly string[]>, id: string, metrics: readonly M[], seriesId: (id: string, metric: M) => string): readonly string[] {
  let ids = cache.get(id);
  if (ids === undefined) {
    if (cache.size >= ID_CACHE_LIMIT) cache.clear();
    ids = metrics.map((metric) => seriesId(id, metric));
    cache.set(id, ids);
  }
  return ids;
}

/** Every series value in one snapshot, keyed by series id (one history row at `snapshot.time`). */
export function seriesValuesOf(snapshot: TopologySnapshot): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const node of snapshot.nodes) {
    const ids = seriesIdsOf(nodeIdCache, node.id, NODE_METRICS, nodeSeriesId);
    for (let index = 0; index < NODE_METRICS.length; index++) values.set(ids[index]!, nodeMetricValue(node, NODE_METRICS[index]!));
  }
  for (const link of snapshot.links) {
    const ids = seriesIdsOf(linkIdCache, link.id, LINK_METRICS, linkSeriesId);
    for (let index = 0; index < LINK_METRICS.length; index++) values.set(ids[index]!, linkMetricValue(link, LINK_METRICS[index]!));
  }
  return values;
}
