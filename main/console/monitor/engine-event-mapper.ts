/**
 * Embedded nodes report their own replication events (shared/contract/
 * engine-events.ts); this turns them into timeline events with the exact
 * cause and numbers (`inferred: false`). Progress events are not timeline
 * entries (they feed sync progress) and map to nothing.
 */
import type { EngineEvent, LinkDownReason, PsyncDecisionReason } from '../../../shared/contract/engine-events';
import type { CauseCode, ReplicationEvent } from '../../../shared/contract/events';
import { isStreamTapName } from '../../../shared/contract/tap';
import { makeEvent } from './event-inference';

const PSYNC_CAUSES: Record<PsyncDecisionReason, CauseCode> = {
  accepted: 'unknown',
  'requested-full': 'requested-full',
  'replid-mismatch': 'replid-mismatch',
  'second-id-offset-too-high': 'replid-mismatch',
  'no-backlog': 'backlog-expired',
  'offset-out-of-backlog': 'out-of-backlog',
};

const PSYNC_EXPLANATIONS: Record<PsyncDecisionReason, string> = {
  accepted: 'the requested offset is inside the backlog',
  'requested-full': 'the replica asked for a full sync: no cached master (PSYNC ? -1)',
  'replid-mismatch': 'the replica asked with a replication id this master does not have',
  'second-id-offset-too-high': 'the replica followed the old id past the point where this master took over',
  'no-backlog': 'this master has no backlog (no replica for repl-backlog-ttl, or just started)',
  'offset-out-of-backlog': 'the requested offset is outside the backlog window',
};

/**
 * An engine's link-down reason as a cause. A closed connection is the
 * other end's doing (CLIENT KILL there, its process stopping, the demo's
 * chaos proxy dropping both sockets), never "network": a network that
 * stops carrying packets closes nothing, and the link ends in a timeout.
 * The event detector puts the closes it knows the reason of (this
 * console's Disconnect link, the demo's chaos) down to them.
 */
const LINK_CAUSES: Record<Exclude<LinkDownReason, 'shutdown' | 'crashed'>, CauseCode> = {
  'connection-closed': 'peer-closed',
  timeout: 'timeout',
  killed: 'manual',
  'output-buffer-limit': 'output-buffer-limit',
  'protocol-error': 'unknown',
  // REPLICAOF/FAILOVER run on the reporting node (a replica leaving its master, a master dropping its replicas
  // as it turns replica or is promoted). The event detector puts the ones this console's actions ran down to them.
  'replicaof-changed': 'operator-command',
  'master-sync-failed': 'unknown',
};

/**
 * `shutdown` is the node that reports it shutting down (its replication
 * closes every link on the way out): the master, when a master reports it
 * about a replica it dropped; the replica itself, replica side. `crashed`
 * is the node that reports it panicking: a crash, not a shutdown.
 */
function linkDownCause(reason: LinkDownReason, side: 'master' | 'replica'): CauseCode {
  if (reason === 'shutdown') return side === 'master' ? 'master-shutdown' : 'replica-shutdown';
  if (reason === 'crashed') return 'crashed';
  return LINK_CAUSES[reason];
}

/**
 * A stream tap (this console's, or another Replscope's) is a replica to its
 * master, which reports its PSYNC and its close like any replica's; it is
 * no node of the deployment, and its start and stop are no replica's
 * resync or link-down. The master's INFO still counts it (the snapshot
 * says how many of its replicas are taps).
 */
function concernsStreamTap(event: EngineEvent): boolean {
  switch (event.type) {
    case 'psync-decision':
      return isStreamTapName(event.replicaId);
    case 'link-down':
    case 'link-up':
    case 'full-sync-finished':
      return event.side === 'master' && isStreamTapName(event.peerId);
    default:
      return false;
  }
}

export function mapEngineEvent(sessionId: string, event: EngineEvent): ReplicationEvent | null {
  if (concernsStreamTap(event)) return null;
  const exact = (kind: ReplicationEvent['kind'], nodeId: string, peerId: string | null, cause: CauseCode, message: string, numbers: ReplicationEvent['numbers'] = {}): ReplicationEvent => {
    const mapped = makeEvent(sessionId, event.time, kind, nodeId, peerId, cause, false, message, numbers);
    return mapped;
  };
  switch (event.type) {
    case 'psync-decision': {
      const numbers = {
        requestedReplid: event.requestedReplid, requestedOffset: event.requestedOffset, replid: event.replid, replid2: event.replid2,
        secondReplOffset: event.secondReplOffset, backlogFirstByte: event.backlogFirstByte, masterReplOffset: event.masterReplOffset, backlogBytesSent: event.backlogBytesSent,
      };
      if (event.decision === 'continue') {
        return exact('partial-resync', event.replicaId, event.nodeId, 'unknown', `${event.nodeId} continued ${event.replicaId} from offset ${event.requestedOffset} (${event.backlogBytesSent ?? 0} bytes from the backlog)`, numbers);
      }
      const window = event.backlogFirstByte === null ? 'no backlog' : `backlog [${event.backlogFirstByte}, ${event.masterReplOffset + 1}]`;
      return exact('full-resync', event.replicaId, event.nodeId, PSYNC_CAUSES[event.reason], `${event.nodeId} full-resyncs ${event.replicaId}: ${PSYNC_EXPLANATIONS[event.reason]} (asked ${event.requestedReplid.slice(0, 8)}:${event.requestedOffset}, ${window})`, numbers);
    }
    case 'psync-reply':
      if (event.result === 'error') return exact('partial-resync-refused', event.nodeId, event.masterId, 'unknown', `${event.masterId} answered PSYNC with an error: ${event.error ?? ''}`);
      return null;
    case 'full-sync-progress':
      return null;
    case 'full-sync-finished':
      if (event.side !== 'replica') return null;
      return event.ok
        ? exact('sync-finished', event.nodeId, event.peerId, 'unknown', `${event.nodeId} loaded ${event.bytes} bytes from ${event.peerId} in ${event.durationMs} ms`, { bytes: event.bytes, durationMs: event.durationMs })
        : exact('sync-failed', event.nodeId, event.peerId, 'unknown', `full sync of ${event.nodeId} from ${event.peerId} failed: ${event.error ?? 'unknown error'}`);
    case 'link-up':
      if (event.side !== 'replica') return null;
      return exact('link-up', event.nodeId, event.peerId, 'unknown', `${event.nodeId} is streaming from ${event.peerId} at offset ${event.offset} (${event.partial ? 'partial resync' : 'after a full sync'})`, { offset: event.offset });
    case 'link-down': {
      const kind = event.reason === 'output-buffer-limit' ? 'output-buffer-disconnect' : event.reason === 'timeout' ? 'timeout-disconnect' : 'link-down';
      const [replicaId, masterId] = event.side === 'replica' ? [event.nodeId, event.peerId] : [event.peerId, event.nodeId];
      // Master side, the offset is the replica's last ACK (once a second). A replica of a
      // master that wrote nothing acknowledges 0: only a connection no ACK arrived on went down before its first.
      const where = event.side === 'master' ? (event.acknowledged === true ? `last acknowledged offset ${event.offset}` : 'before its first ACK on this connection') : `at offset ${event.offset}`;
      const ranOn = event.reason === 'replicaof-changed' ? { attribution: 'operator', evidence: `REPLICAOF/FAILOVER was run on ${event.nodeId}, not from this console (the engine reports the command)` } : {};
      return exact(kind, replicaId, masterId, linkDownCause(event.reason, event.side), `link ${masterId} -> ${replicaId} down (${event.side} side: ${event.reason}; ${event.detail}), ${where}`, { offset: event.offset, ...ranOn });
    }
    case 'crashed':
      return exact('node-crashed', event.nodeId, null, 'crashed', `${event.nodeId} crashed (panic): ${event.message}`);
    case 'promotion':
      return exact('promotion', event.nodeId, null, 'manual', `${event.nodeId} promoted to master: new replid ${event.replid.slice(0, 8)}, replid2 ${event.replid2.slice(0, 8)} valid up to offset ${event.secondReplOffset}`, {
        replid: event.replid, replid2: event.replid2, secondReplOffset: event.secondReplOffset,
      });
    case 'demotion':
      return exact('demotion', event.nodeId, event.masterId, 'manual', `${event.nodeId} became a replica of ${event.masterId}`);
    case 'replid-shift':
      // +CONTINUE <new id>: the master was promoted, or restarted from its RDB
      // (7.0 keeps the saved id as replid2); the replica cannot tell which.
      return exact('replid-change', event.nodeId, null, 'unknown', `${event.nodeId} took its master's new id ${event.replid.slice(0, 8)} (old one kept as replid2 up to ${event.secondReplOffset}): the master was promoted or restarted`, { replid: event.replid, replid2: event.replid2 });
    case 'backlog-resized':
      return exact('config-change', event.nodeId, null, 'manual', `${event.nodeId} repl-backlog-size is now ${event.sizeBytes} bytes`, { sizeBytes: event.sizeBytes });
    case 'failover':
      return exact(event.phase === 'aborted' ? 'role-change' : 'demotion', event.nodeId, event.targetId, 'failover', `FAILOVER on ${event.nodeId}: ${event.phase}${event.targetId ? ` (target ${event.targetId})` : ''}: ${event.detail}`);
  }
}

/**
 * A link-down an engine reports as "replicaof-changed" that no action of
 * this console explains: its evidence (a command run on the node) said on
 * its line. Other events as they are.
 */
export function withCommandEvidence(event: ReplicationEvent): ReplicationEvent {
  if (event.kind !== 'link-down' || event.cause !== 'operator-command' || typeof event.numbers.evidence !== 'string' || event.message.includes(event.numbers.evidence)) return event;
  return { ...event, message: `${event.message} — ${event.numbers.evidence}` };
}
