/**
 * The INFO replication fields an operator reads, each with what it really
 * means in plain words. Values come from the NodeSnapshot (the poller's
 * parsed INFO/ROLE); rows a node did not report are left out, not shown
 * as zero.
 */
import type { LinkSnapshot, NodeSnapshot } from '../api/contract';
import { FALLING_BEHIND, NOT_WHILE_IT_KEEPS_UP } from './catch-up-text';
import { formatBytes, formatOffset, formatRate, formatSeconds } from './format';

export interface InfoRow {
  readonly field: string;
  readonly value: string;
  readonly explanation: string;
}

type Maybe<T> = T | null | undefined;

function row(field: string, value: Maybe<string | number | boolean>, explanation: string, format?: (value: number) => string): InfoRow | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? (format ?? formatOffset)(value) : String(value);
  return { field, value: text, explanation };
}

/**
 * Redis writes -1 in several INFO replication fields to mean "there is no
 * such thing", not a figure: master_last_io_seconds_ago is -1 while the
 * replica has no master link (server.master is NULL), and
 * master_link_down_since_seconds is -1 when the link was never up since the
 * node started (repl_down_since is 0); second_repl_offset is -1 with no
 * previous history. A formatter that shows `meaning` for a negative value
 * and the figure otherwise, so no negative duration or offset is shown.
 */
function unlessNegative(meaning: string, format: (value: number) => string): (value: number) => string {
  return (value) => (value < 0 ? meaning : format(value));
}

/** What master_link_down_since_seconds = -1 means (Redis 7.0: repl_down_since is 0 until a link was up). */
export const NEVER_LINKED = 'never up since it started';

export function nodeInfoRows(node: NodeSnapshot): InfoRow[] {
  const backlog = node.backlog;
  const rows: (InfoRow | null)[] = [
    row('role', node.role === 'replica' ? 'slave' : node.role, 'What this node is right now. Redis still prints "slave" for a replica.'),
    row('master_replid', node.replid, 'The replication history this node belongs to. A replica can resume (partial resync) only from a master with the same id.'),
    row('master_replid2', node.replid2, 'The previous history id, kept after a promotion so old replicas can still resume up to second_repl_offset. All zeros when there is none.'),
    row('master_repl_offset', node.masterReplOffset, 'Bytes of replication stream this node has produced (master) or processed (replica) since the history began.'),
    row('second_repl_offset', node.secondReplOffset, 'Up to this offset, PSYNC with master_replid2 is still accepted. Redis reports -1 when there is no previous history.', unlessNegative('none (no previous history)', formatOffset)),
    row('repl_backlog_active', backlog === null ? null : backlog.active ? 1 : 0, 'Whether the node keeps a backlog at all. Without one, every reconnect is a full resync.', String),
    row('repl_backlog_size', backlog?.sizeBytes, 'repl-backlog-size: how many bytes of recent stream are kept so a briefly disconnected replica can resume.', formatBytes),
    row('repl_backlog_first_byte_offset', backlog?.firstByteOffset, 'The oldest byte still in the backlog. A replica whose offset + 1 is before this needs a full resync.'),
    row('repl_backlog_histlen', backlog?.histlenBytes, 'Bytes actually held in the backlog (grows to the configured size, then stays there).', formatBytes),
    row('connected_slaves', node.connectedReplicas, `Replicas connected to this node right now.${node.streamTapReplicas ? ` ${streamTapHint(node.streamTapReplicas)}.` : ''}`, String),
    row('master_host', node.masterHost, 'The master this replica replicates from.'),
    row('master_port', node.masterPort, 'The master\'s port.', String),
    row('master_link_status', node.masterLinkStatus, '"up" when the replica is connected and streaming, "down" otherwise (including during a full sync).'),
    row('master_last_io_seconds_ago', node.masterLastIoSecondsAgo, 'Seconds since the replica last received anything from its master (pings count). Redis reports -1 while there is no link to the master: shown as "no link".', unlessNegative('no link', formatSeconds)),
    row('master_link_down_since_seconds', node.masterLinkDownSinceSeconds, 'How long the link has been down. The backlog countdown starts here. Redis reports -1 when the link has not been up since the replica started.', unlessNegative(NEVER_LINKED, formatSeconds)),
    row('master_sync_in_progress', node.sync === null ? (node.role === 'replica' ? 0 : null) : node.sync.phase === 'streaming' ? 0 : 1, '1 while a full synchronization is running.', String),
    row('master_sync_left_bytes', node.sync?.bytesTotal === null || node.sync === null || node.sync.unit === 'keys' ? null : node.sync.bytesTotal - node.sync.bytesDone, 'Snapshot bytes still to transfer in a full sync.', formatBytes),
    row('slave_repl_offset', node.slaveReplOffset, 'The replica\'s processed offset: compare it with the master\'s master_repl_offset for the byte lag.'),
    row('slave_read_repl_offset', node.slaveReadReplOffset, 'Bytes read from the master but maybe not yet applied. The gap to slave_repl_offset is the replica\'s own backlog of work.'),
    row('slave_read_only', node.replicaReadOnly === null ? null : node.replicaReadOnly ? 1 : 0, 'replica-read-only: 1 when the replica refuses writes from clients. 0 means it accepts them, and writes made there are not replicated and are lost at its next full sync.', String),
    row('min_slaves_good_slaves', node.minReplicas?.goodReplicas, `Replicas online with an ACK no older than min-replicas-max-lag${node.minReplicas?.maxLagSeconds != null ? ` (${node.minReplicas.maxLagSeconds} s)` : ''}. Below min-replicas-to-write${node.minReplicas?.required != null ? ` (${node.minReplicas.required})` : ''}, the master answers every write "NOREPLICAS Not enough good replicas to write."`, String),
    row('sync_full', node.counters?.syncFull, 'Full resyncs this master has served since it started. A rising count means replicas keep losing their place.', String),
    row('sync_partial_ok', node.counters?.syncPartialOk, 'Partial resyncs accepted: reconnects that resumed from the backlog.', String),
    row('sync_partial_err', node.counters?.syncPartialErr, 'Partial resyncs refused (out of backlog or wrong history), each followed by a full resync.', String),
  ];
  return rows.filter((entry): entry is InfoRow => entry !== null);
}

/** Which offset a link's figures use, and why, in one sentence. */
export function lagSourceText(link: LinkSnapshot): string {
  if (link.masterSilentSeconds !== null) {
    return `The master cannot be polled: its byte lag and ACK age are its last answer's. The replica's own INFO says it has heard nothing from its master for ${formatSeconds(link.masterSilentSeconds)} (master_last_io_seconds_ago).`;
  }
  switch (link.offsetSource) {
    case 'replica':
      return 'Lag and predictions use the replica\'s own offset (slave_repl_offset), read in the same poll as the master. The ACK offset trails it: replicas acknowledge once a second.';
    case 'ack':
      return 'Lag and predictions use the offset the replica last acknowledged (REPLCONF ACK, sent once a second, so up to a second of writes old): the replica itself could not be read this poll.';
    default:
      return 'The replica\'s position is not known.';
  }
}

export function linkInfoRows(link: LinkSnapshot): InfoRow[] {
  const rows: (InfoRow | null)[] = [
    row('state', link.state, 'The link as seen from the replica (online, syncing, handshake, connecting, down).'),
    row('figures', link.stale ? `not current: ${link.staleReason ?? 'an end did not answer'}` : null, 'An end of this link, or a node above it in the chain, did not answer this poll: these are its last known figures.'),
    row('master-side state', link.masterSideState, 'The master\'s own view of this replica (slaveN state): wait_bgsave, send_bulk or online.'),
    row('replica offset (own)', link.replicaOwnOffset, 'The replica\'s own slave_repl_offset, read in the same poll as the master\'s master_repl_offset: where it really is.'),
    row('replica ack offset', link.ackOffset, 'The last offset the replica acknowledged with REPLCONF ACK (the master\'s slaveN offset). Replicas ACK once a second, so under writes it trails the replica\'s own offset by up to a second of stream.'),
    row('offset used', link.offsetSource === null ? null : link.offsetSource === 'replica' ? 'own offset' : 'ack offset', 'Which of the two the lag, headroom and predictions below use: the replica\'s own whenever it is readable.'),
    row('byte lag', link.lagBytes, 'master_repl_offset minus the offset used: stream bytes the replica has not applied.', formatBytes),
    row('ack lag', link.ackLagBytes, 'master_repl_offset minus the acknowledged offset. Up to a second of writes more than the byte lag on a healthy link: it says how recent the last ACK is, not how far behind the replica is.', formatBytes),
    row('master silent (replica INFO)', link.masterSilentSeconds, 'While the master cannot be polled: the replica\'s own master_last_io_seconds_ago, seconds since it last read anything from its master (its PINGs included). At repl-timeout the replica drops the link.', formatSeconds),
    row('lag (INFO)', link.ackAgeSeconds, 'INFO calls this "lag", but it is the seconds since the replica\'s last ACK (about 1 s resolution), NOT how far behind in time the replica is. Byte lag and catch-up time say that.', formatSeconds),
    row('apply rate', link.applyRateBytesPerSec, 'How fast the replica\'s offset advances.', formatRate),
    row('catch-up time', link.fallingBehind ? FALLING_BEHIND : link.catchUpSeconds, 'Byte lag divided by (apply rate minus the master\'s write rate): how long until the lag closes. "falling behind" when the replica applies no faster than the master writes and the lag is more than one poll of writes: at these rates it never catches up.', formatSeconds),
    row('backlog headroom', link.backlogHeadroomBytes, 'Bytes the master may still write before this replica\'s position can leave the backlog (repl-backlog-size minus its byte lag; 0 outside the window): how far it may still fall behind and resume with a partial resync.', formatBytes),
    row('time until out of backlog', link.staysInBacklog ? NOT_WHILE_IT_KEEPS_UP : link.secondsUntilOutOfBacklog, 'While the replica keeps applying: backlog headroom divided by (write rate minus apply rate) when its lag grows; "not while it keeps up" when it does not.', formatSeconds),
    row('outage covered', link.outageCoveredSeconds, 'If the link dropped now, how long until a reconnect would need a full resync: backlog headroom divided by the current write rate.', formatSeconds),
    row('partial resync possible', link.partialResyncPossible === null ? (link.partialResyncWhy === undefined ? null : 'not known') : link.partialResyncPossible ? 'yes' : 'no', 'Whether a reconnect right now would resume from the backlog.'),
    row('why', link.partialResyncWhy, 'The replica does not answer and its master no longer lists it: the answer above comes from its last ACK, the most its master had sent it, and the master\'s backlog and replication ID now.'),
    row('down since', link.downSinceSeconds, 'How long the link has been down (the replica\'s master_link_down_since_seconds).', unlessNegative(NEVER_LINKED, formatSeconds)),
    row('partial-resync countdown', link.partialResyncCountdownSeconds, 'Link down: time left before the replica falls out of the backlog and must full-sync.', formatSeconds),
  ];
  return rows.filter((entry): entry is InfoRow => entry !== null);
}

/**
 * What a master's replica count holds besides replicas: a stream tap is
 * counted in connected_slaves and listed as `replscope-tap` (the Tap tab's
 * connection, or another Replscope's), and is no node. Empty when none.
 */
export function streamTapHint(streamTapReplicas: number | null): string {
  if (!streamTapReplicas) return '';
  return streamTapReplicas === 1
    ? 'Counts 1 stream tap (replscope-tap): Replscope\'s own connection, not a replica node'
    : `Counts ${streamTapReplicas} stream taps (replscope-tap): Replscope's own connections, not replica nodes`;
}
