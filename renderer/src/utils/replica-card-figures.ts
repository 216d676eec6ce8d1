/**
 * A replica's Offset and Byte lag on its Overview, each with whose word it is
 * and from when. A replica that does not answer (SIGSTOP, a hung host) keeps
 * its last INFO, so its own offset is that answer's; its byte lag is then
 * taken from the offset its master lists for it (the slaveN offset=, its last
 * REPLCONF ACK) against the master's current offset. Seen on redis-server
 * 7.0: the card showed the stopped replica's old master_repl_offset as
 * "Offset" beside a byte lag from the master's ACK figures, with nothing
 * saying the two came from different sources and times.
 */
import type { LinkSnapshot, NodeSnapshot } from '../api/contract';
import { formatSeconds } from './format';

export interface CardFigureHints {
  readonly offset: string;
  /** Null when the node has no upstream link. */
  readonly byteLag: string | null;
}

export function replicaCardHints(node: NodeSnapshot, upstream: LinkSnapshot | null, now: number): CardFigureHints {
  const answered = !node.stale && (node.health === 'up' || node.health === 'loading');
  const age = formatSeconds(Math.max(0, (now - node.sampledAt) / 1000));
  const offset = answered ? 'master_repl_offset' : `master_repl_offset of its last answer, ${age} ago: it does not answer now`;
  if (upstream === null) return { offset, byteLag: null };
  let byteLag: string;
  switch (upstream.offsetSource) {
    case 'replica':
      byteLag = `Behind the master, in bytes: ${upstream.masterId}'s master_repl_offset minus this replica's own offset, read in the same poll`;
      break;
    case 'ack':
      byteLag = `Behind the master, in bytes: ${upstream.masterId}'s master_repl_offset minus the offset this replica last acknowledged, as ${upstream.masterId} lists it (slaveN offset=, last ACK ${formatSeconds(upstream.ackAgeSeconds)} ago); not from the Offset above`;
      break;
    default:
      byteLag = 'Behind the master, in bytes: not known (neither its own offset nor an ACK is current)';
  }
  return { offset, byteLag };
}
