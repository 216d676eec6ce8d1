/**
 * Resyncs by cause, per session: one count per full-resync, partial-resync
 * and partial-resync-refused event of the timeline, as the console reported
 * it (the engine's own reason for embedded nodes, the inferred cause for
 * external ones). Monotonic for a session's lifetime, as a Prometheus
 * counter must be; a session's counts go when the session ends (its series
 * end with it: the session label is the session id).
 */
import type { CauseCode, ReplicationEvent } from '../../../shared/contract/events';

export type ResyncType = 'full' | 'partial' | 'partial_refused';

const TYPE_OF_KIND: Partial<Record<ReplicationEvent['kind'], ResyncType>> = {
  'full-resync': 'full',
  'partial-resync': 'partial',
  'partial-resync-refused': 'partial_refused',
};

export interface ResyncCount {
  /** The node that served (or refused) the resync. */
  readonly master: string;
  /** The replica, or the serving node itself when the replica could not be told. */
  readonly replica: string;
  readonly type: ResyncType;
  readonly cause: CauseCode;
  readonly count: number;
}

export class ResyncCounters {
  private readonly bySession = new Map<string, Map<string, ResyncCount>>();

  /** Counts the event when it is a resync; other kinds are ignored. */
  count(event: ReplicationEvent): void {
    const type = TYPE_OF_KIND[event.kind];
    if (type === undefined) return;
    const master = event.peerId ?? event.nodeId;
    const key = JSON.stringify([master, event.nodeId, type, event.cause]);
    let counts = this.bySession.get(event.sessionId);
    if (counts === undefined) {
      counts = new Map();
      this.bySession.set(event.sessionId, counts);
    }
    const previous = counts.get(key);
    counts.set(key, { master, replica: event.nodeId, type, cause: event.cause, count: (previous?.count ?? 0) + 1 });
  }

  of(sessionId: string): ResyncCount[] {
    return [...(this.bySession.get(sessionId)?.values() ?? [])];
  }

  forget(sessionId: string): void {
    this.bySession.delete(sessionId);
  }
}
