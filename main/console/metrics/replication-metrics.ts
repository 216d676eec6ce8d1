/**
 * The metric families of the Prometheus exposition: the figures the console
 * derives and Redis does not print, read from the same TopologySnapshot the
 * views show (so a scrape and the screen agree to the byte), plus the
 * resyncs by cause from the timeline.
 *
 * Naming follows the Prometheus conventions: a `replscope_` prefix, the
 * base unit as suffix (`_bytes`, `_seconds`), `_total` on counters only.
 * Every series carries `session` (the session id, unique) and `deployment`
 * (its name as shown); node series add `node`, link series `master` and
 * `replica` ("host:port" as in the console). A figure the console does not
 * know right now (null on screen, shown as "—") has no sample: an absent
 * series, not a made-up zero.
 */
import { backlogFillRatio } from '../../../shared/contract/backlog-window';
import { fallingBehindReading } from '../../../shared/contract/catch-up';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import type { MetricFamily, MetricType, Sample } from './prometheus-format';
import type { ResyncCount } from './resync-counters';

export interface ExposedSession {
  readonly sessionId: string;
  readonly name: string;
  readonly kind: string;
  readonly environment: string;
  readonly snapshot: TopologySnapshot;
  readonly resyncs: ReadonlyArray<ResyncCount>;
}

interface FamilySpec<T> {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly value: (item: T) => number | null;
}

const bool = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/** "If the link dropped now, how long an outage the backlog would still cover"; once down, the seconds left. */
function outageCoveredSeconds(link: LinkSnapshot): number | null {
  return link.state === 'down' ? link.partialResyncCountdownSeconds : link.outageCoveredSeconds;
}

const LINK_FAMILIES: ReadonlyArray<FamilySpec<LinkSnapshot>> = [
  { name: 'replscope_link_up', type: 'gauge', help: '1 while the replication link is online, 0 while it syncs, is in its handshake or is down.', value: (link) => (link.state === 'online' ? 1 : 0) },
  { name: 'replscope_link_lag_bytes', type: 'gauge', help: 'Byte lag: master_repl_offset minus the replica position (its own slave_repl_offset where readable, else its last ACK), from one poll.', value: (link) => link.lagBytes },
  { name: 'replscope_link_ack_lag_bytes', type: 'gauge', help: 'master_repl_offset minus the offset the replica last acknowledged (REPLCONF ACK, up to a second old).', value: (link) => link.ackLagBytes },
  { name: 'replscope_link_ack_age_seconds', type: 'gauge', help: 'Seconds since the replica last acknowledged (INFO lag): not how far behind it is in time.', value: (link) => link.ackAgeSeconds },
  { name: 'replscope_link_catch_up_seconds', type: 'gauge', help: 'Seconds for the byte lag to close: byte lag divided by (replica apply rate minus master write rate, over the last poll); absent while the replica falls behind (applies no faster than the master writes) or a rate is unknown.', value: (link) => link.catchUpSeconds },
  { name: 'replscope_link_falling_behind', type: 'gauge', help: '1 while the replica falls behind: its byte lag, past what is in flight, is not closing (replica apply rate no faster than the master write rate, over the last poll); 0 while it closes or is none; absent while a rate is unknown.', value: fallingBehindReading },
  { name: 'replscope_link_backlog_headroom_bytes', type: 'gauge', help: 'Bytes the master may still write before the replica position can leave its backlog (repl-backlog-size - byte lag inside the window, 0 outside).', value: (link) => link.backlogHeadroomBytes },
  { name: 'replscope_link_outage_covered_seconds', type: 'gauge', help: 'Seconds of link outage after which a partial resync is still possible at the current write rate (backlog headroom over the write rate); while the link is down, the seconds left.', value: outageCoveredSeconds },
  { name: 'replscope_link_partial_resync_possible', type: 'gauge', help: '1 when a PSYNC from the replica position would be accepted now (inside the backlog window, same history), 0 when not.', value: (link) => bool(link.partialResyncPossible) },
];

const NODE_FAMILIES: ReadonlyArray<FamilySpec<NodeSnapshot>> = [
  { name: 'replscope_node_write_rate_bytes_per_second', type: 'gauge', help: 'Replication stream produced: the change of master_repl_offset over the last two polls, in bytes per second.', value: (node) => (node.role === 'master' ? node.writeRateBytesPerSec : null) },
  { name: 'replscope_node_backlog_fill_ratio', type: 'gauge', help: 'repl_backlog_histlen over repl-backlog-size, at most 1: 1 is full (Redis frees whole blocks, so histlen may pass the size by about one block; that slack counts as full).', value: (node) => (node.backlog ? backlogFillRatio(node.backlog.histlenBytes, node.backlog.sizeBytes) : null) },
  { name: 'replscope_node_recommended_backlog_bytes', type: 'gauge', help: 'repl-backlog-size that covers the outage set in the console settings at the peak write rate seen, times two.', value: (node) => node.recommendedBacklogBytes },
];

function samplesOf<T>(spec: FamilySpec<T>, items: ReadonlyArray<{ item: T; labels: Record<string, string> }>): Sample[] {
  const samples: Sample[] = [];
  for (const { item, labels } of items) {
    const value = spec.value(item);
    if (value !== null && Number.isFinite(value)) samples.push({ labels, value });
  }
  return samples;
}

/** Every family, for every session given (families with no sample are dropped by the formatter). */
export function replicationFamilies(sessions: ReadonlyArray<ExposedSession>): MetricFamily[] {
  const base = (session: ExposedSession): Record<string, string> => ({ session: session.sessionId, deployment: session.name });
  const links = sessions.flatMap((session) => session.snapshot.links.map((link) => ({ item: link, labels: { ...base(session), master: link.masterId, replica: link.replicaId } })));
  const nodes = sessions.flatMap((session) => session.snapshot.nodes.map((node) => ({ item: node, labels: { ...base(session), node: node.id } })));
  const resyncs = sessions.flatMap((session) => session.resyncs.map((count) => ({ labels: { ...base(session), master: count.master, replica: count.replica, type: count.type, cause: count.cause }, value: count.count })));
  return [
    {
      name: 'replscope_session_info', type: 'gauge', help: 'One series per watched deployment (value 1), with its kind and environment tag.',
      samples: sessions.map((session) => ({ labels: { ...base(session), kind: session.kind, environment: session.environment }, value: 1 })),
    },
    {
      name: 'replscope_session_last_poll_timestamp_seconds', type: 'gauge', help: 'Unix time of the poll the figures come from.',
      samples: sessions.map((session) => ({ labels: base(session), value: session.snapshot.time / 1000 })),
    },
    ...LINK_FAMILIES.map((spec) => ({ name: spec.name, help: spec.help, type: spec.type, samples: samplesOf(spec, links) })),
    ...NODE_FAMILIES.map((spec) => ({ name: spec.name, help: spec.help, type: spec.type, samples: samplesOf(spec, nodes) })),
    {
      name: 'replscope_resyncs_total', type: 'counter',
      help: 'Resyncs the console saw while watching, by type (full, partial, partial_refused) and cause (the engine reason for embedded nodes, inferred from sync_full/sync_partial_ok/sync_partial_err and state for external ones).',
      samples: resyncs,
    },
  ];
}
