/**
 * The Backlog tab's answer to "could this replica resume with a partial
 * resync?", as a plain yes/no and the reason when it is no. The link's state
 * (online, syncing, down) is not the answer: a replica is able to continue
 * (PSYNC <replid> <offset+1> accepted, "+CONTINUE") exactly while offset + 1
 * is still inside the master's backlog and its history is the master's.
 */
import type { BacklogMarkerGeometry } from './backlog-geometry';

type MarkerFacts = Pick<BacklogMarkerGeometry, 'outside' | 'insideWindow' | 'linkState' | 'countdownSeconds' | 'reconnectPositionUnknown'> & Partial<Pick<BacklogMarkerGeometry, 'dropped'>>;

export interface PartialResyncAnswer {
  /** null: not known. */
  readonly possible: boolean | null;
  /** "possible: …", "possible (link down)", "not possible: …", "not known: …". */
  readonly text: string;
}

export function partialResyncAnswer(marker: MarkerFacts): PartialResyncAnswer {
  if (marker.dropped) return droppedAnswer(marker, marker.dropped);
  if (marker.outside === 'before-window' && marker.reconnectPositionUnknown) {
    // Its master goes on writing to its socket, and a reconnect asks PSYNC from the last byte it applied
    // (what it received included): anywhere from this ACK up to the master's offset.
    return { possible: null, text: 'not known: the offset it last acknowledged left the backlog, but it does not answer while its master goes on sending to it; a reconnect would continue from the last byte it applied, which may be inside the backlog' };
  }
  if (marker.outside === 'before-window') {
    // Still connected, it streams on from the master's output buffer (the backlog is not its source):
    // the full resync is a prediction for a disconnect, not what happens next.
    if (marker.linkState === 'online') return { possible: false, text: 'not possible: its offset left the backlog; it streams on while connected, but if it disconnected now its reconnect would be a full resync' };
    return { possible: false, text: 'not possible: its offset left the backlog, the next sync is a full resync' };
  }
  if (marker.outside === 'ahead-of-master') return { possible: false, text: 'not possible: it is ahead of this master (a different history?)' };
  if (marker.linkState === 'down') {
    if (marker.countdownSeconds === null) return { possible: true, text: 'possible (link down; no writes, so the window is not moving)' };
    if (marker.countdownSeconds === 0) return { possible: false, text: 'not possible: the link has been down longer than the backlog lasts' };
    // The row's countdown says how long: "possible (link down) 4 s left".
    return { possible: true, text: 'possible (link down)' };
  }
  return { possible: true, text: 'possible: a reconnect now would continue from the backlog' };
}

/**
 * A replica its master dropped, silent: it is somewhere from its last ACK (the marker) up to the most the
 * master had sent it when it dropped it (a dropped replica is sent nothing more; woken, it applies what its
 * socket held, then asks PSYNC for the byte after). Outside with the most it can have: a full resync, whatever
 * the last ACK says (checked first: an inactive backlog leaves every offset outside). Inside the window from
 * the last ACK: every position up to the master's offset is inside too. Between: not known.
 */
function droppedAnswer(marker: MarkerFacts, dropped: NonNullable<BacklogMarkerGeometry['dropped']>): PartialResyncAnswer {
  if (!dropped.mostInWindow) {
    // Neither before nor ahead of the window, yet not inside: the master holds no backlog (repl_backlog_active:0,
    // e.g. freed after repl-backlog-ttl without replicas), so PSYNC has nothing to continue from.
    if (marker.outside === null && !marker.insideWindow) return { possible: false, text: 'not possible: dropped by its master, whose backlog is not active; the next sync is a full resync' };
    return { possible: false, text: `not possible: dropped by its master, and even the most it can have received (offset ${dropped.mostOffset}) left the backlog; the next sync is a full resync` };
  }
  // A new process at its address starts from its RDB's offset, if any: the last ACK bounds nothing from below.
  if (dropped.processLost !== null) return { possible: null, text: `not known: dropped by its master, and ${dropped.processLost}: its process may be gone, and a new one resyncs from its RDB's offset, if it saved one, not from its last ACK` };
  if (marker.outside === null) {
    // Inside at the last sample; the countdown (from the master's write rate) reaching 0 is an estimate, not a sighting.
    if (marker.countdownSeconds === 0) return { possible: null, text: `not known: dropped by its master; by the master's write rate its last ACK has left the backlog by now (inside when last sampled), and woken it may have applied up to offset ${dropped.mostOffset}` };
    return { possible: true, text: 'possible (dropped by its master; its last ACK is still inside the backlog, and it can only be further on)' };
  }
  return { possible: null, text: `not known: dropped by its master; its last ACK left the backlog, but woken it may have applied up to offset ${dropped.mostOffset}, which is still inside` };
}
