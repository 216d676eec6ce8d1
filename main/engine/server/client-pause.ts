/**
 * Client pause (networking.c pauseClients / unpauseClients), used by
 * CLIENT PAUSE and by FAILOVER, which pauses writes while the chosen replica
 * catches up so that no acknowledged write is lost in the switch.
 *
 * Each purpose holds its own pause (type and end time); the effective pause is
 * the most restrictive type among the live ones, ending at the furthest end of
 * that type. While writes are paused:
 *  - commands that may change the dataset or the replication stream (flags
 *    write or may_replicate, or EXEC of a transaction holding one) from normal
 *    clients are postponed; EVAL/FCALL count with the flags their script
 *    declares, so EVAL_RO, FCALL_RO and `#!lua flags=no-writes` scripts run,
 *    while a script without declared flags (or one that may write) waits.
 *    A postponed client is blocked without a reply and the
 *    command is processed again from scratch when the pause ends (so a master
 *    that failed over meanwhile answers -READONLY);
 *  - keys found expired are reported missing but not deleted, and nothing is
 *    evicted (the dataset and the offset stay constant);
 *  - GETACKs are not sent, and neither are the replica PINGs of a FAILOVER
 *    with a timeout (they would move the offset being waited for).
 * A pause of type ALL postpones every command.
 *
 * Replica connections are never paused (they must keep receiving the stream).
 * Deviation from Redis: the link from our own master is not paused either; it
 * applies the stream through its own path and pausing it would need that path
 * to stop mid-stream.
 */
import type { EngineNode } from '../node';
import type { Client } from './client';
import type { PausePurpose, PauseType } from '../commands/port/client-pause-port';

export type { PausePurpose, PauseType };

const RESTRICTIVENESS: Record<PauseType, number> = { off: 0, write: 1, all: 2 };

interface PauseEvent {
  type: PauseType;
  /** Unix ms; the pause is over once now > end. */
  end: number;
}

export class ClientPause {
  private readonly byPurpose = new Map<PausePurpose, PauseEvent>();
  type: PauseType = 'off';
  end = 0;

  constructor(private readonly node: EngineNode) {}

  /** pauseClients(): a purpose pauses until `end`; repeated calls keep the stricter type and later end. */
  pause(purpose: PausePurpose, end: number, type: Exclude<PauseType, 'off'>): void {
    const current = this.byPurpose.get(purpose);
    if (current) {
      if (RESTRICTIVENESS[type] > RESTRICTIVENESS[current.type]) current.type = type;
      current.end = Math.max(current.end, end);
    } else {
      this.byPurpose.set(purpose, { type, end });
    }
    this.update();
  }

  unpause(purpose: PausePurpose): void {
    if (!this.byPurpose.delete(purpose)) return;
    this.update();
  }

  /** checkClientPauseTimeoutAndReturnIfPaused(): expires ended pauses first. */
  isPaused(now = Date.now()): boolean {
    if (this.type === 'off') return false;
    if (this.end >= now) return true;
    return this.update(now) !== 'off';
  }

  /** True while the dataset must stay constant (expiry and eviction hold off). */
  writesPaused(): boolean {
    return this.isPaused();
  }

  isPausedFor(purpose: PausePurpose): boolean {
    return this.isPaused() && this.byPurpose.has(purpose);
  }

  /**
   * processCommand's pause check: should this command wait for the pause to
   * end? `mayReplicate`: the command's write or may_replicate flag, as the
   * dispatcher computed it (EVAL/FCALL with their script's declared flags,
   * EXEC with its queued commands' flags).
   */
  shouldPostpone(client: Client, mayReplicate: boolean): boolean {
    if (this.type === 'off') return false; // the hot path: no pause at all
    if (client.isReplica || client.isMaster) return false;
    if (!this.isPaused()) return false;
    return this.type === 'all' || mayReplicate;
  }

  /** Called from the cron so that a pause with a deadline ends on time even with no traffic. */
  cron(now: number): void {
    if (this.type !== 'off' && this.end < now) this.update(now);
  }

  /** updateClientPauseTypeAndEndTime(): recompute; a less restrictive pause releases postponed clients. */
  private update(now = Date.now()): PauseType {
    const previous = this.type;
    let type: PauseType = 'off';
    for (const [purpose, event] of this.byPurpose) {
      if (event.end < now) {
        this.byPurpose.delete(purpose);
        continue;
      }
      if (RESTRICTIVENESS[event.type] > RESTRICTIVENESS[type]) type = event.type;
    }
    let end = 0;
    for (const event of this.byPurpose.values()) if (event.type === type && event.end > end) end = event.end;
    this.type = type;
    this.end = end;
    if (RESTRICTIVENESS[type] < RESTRICTIVENESS[previous]) {
      // Re-processed outside the current call stack, as Redis does in beforeSleep.
      setImmediate(() => this.node.blocking.releasePostponed());
    }
    return type;
  }
}
