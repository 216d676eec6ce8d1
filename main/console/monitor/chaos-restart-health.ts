/**
 * A node's health events while the demo's chaos restarts it (Restart
 * master: SHUTDOWN SAVE NOW, then a start on the same port). Seen from the
 * polls alone the restart looks like an incident: INFO unanswered while the
 * node saves its RDB ("hung"), then ECONNREFUSED while nothing listens, then
 * an answer again. The console ran that restart itself, so these events say
 * so, in the control's words, instead of guessing at SIGSTOP or a crash.
 * Only for the node the demo restarts, within the restart's window: a node
 * stopped or killed otherwise keeps its hung / refused reading.
 */
import type { ReplicationEvent } from '../../../shared/contract/events';

export interface ChaosRestartOfNode {
  readonly nodeId: string;
  readonly startedAt: number;
  /** Its health events up to this time are the restart's, unless it answered again before. */
  readonly until: number;
  /** The control's words: "Restart master", "Restart without replid". */
  readonly title: string;
  /** "the demo's chaos (restart the master keeping its replication id), asked at <ISO>" */
  readonly evidence: string;
  /** The node answered again: the restart is over, later events are not its. */
  answered: boolean;
  /** When the demo's restart call returned (the new process listens), or null while it runs. */
  finishedAt: number | null;
  /** Causes already said (a hung node then refusing gives two refused readings): each said once. */
  readonly said: Set<string>;
}

/** The restart's reading of a node-unreachable / node-reachable event, or null when it should not be shown again. */
export function restartHealthEvent(event: ReplicationEvent, restart: ChaosRestartOfNode): ReplicationEvent | null {
  const by = `the demo's ${restart.title}`;
  let message: string;
  if (event.kind === 'node-reachable') {
    restart.answered = true;
    message = `${event.nodeId} answers again: ${by} restarted it (it saved its RDB, shut down and started again on the same port)`;
  } else {
    // The reading the polls gave (timeout: INFO unanswered; connection-refused: nothing listens), said once each.
    if (restart.said.has(event.cause)) return null;
    restart.said.add(event.cause);
    message = event.cause === 'timeout'
      ? `${event.nodeId} does not answer: ${by} is restarting it, and it is saving its RDB before it shuts down`
      : event.cause === 'connection-refused'
        ? `${event.nodeId} refuses connections (ECONNREFUSED): ${by} is restarting it; it shut down after saving its RDB and starts again on the same port`
        : `${event.nodeId} does not answer: ${by} is restarting it (saving its RDB, then starting again on the same port)`;
  }
  return { ...event, cause: 'chaos', message: `${message} — ${restart.evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence: restart.evidence } };
}

/**
 * How long after the demo's restart call returned a poll may still read the node as down: a poll
 * sent just before the new process listened. Past it, a node that does not answer is not the
 * restart's doing (someone stopped it, or it crashed after it came back).
 */
export const RESTART_SETTLE_MS = 3_000;

/** What an alert needs of a restart the demo runs: a node down within it is the restart, not an outage. */
export interface PlannedRestart {
  readonly title: string;
  readonly evidence: string;
  readonly startedAt: number;
  /** Past the restart's window and the node still does not answer: the restart did not bring it back. */
  readonly overdue: boolean;
}

/** The restart of `nodeId` the demo is running at `now` (or that never brought it back), or null. */
export function plannedRestartAt(restarts: readonly ChaosRestartOfNode[], nodeId: string, now: number): PlannedRestart | null {
  const restart = restarts.findLast((entry) => entry.nodeId === nodeId && entry.startedAt <= now);
  if (restart === undefined || restart.answered) return null;
  if (restart.finishedAt !== null) return now <= restart.finishedAt + RESTART_SETTLE_MS ? { title: restart.title, evidence: restart.evidence, startedAt: restart.startedAt, overdue: false } : null;
  return { title: restart.title, evidence: restart.evidence, startedAt: restart.startedAt, overdue: now > restart.until };
}
