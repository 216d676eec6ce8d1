/**
 * Which failover a Sentinel's +new-epoch belongs to. redis-sentinel raises
 * its current epoch only to start a failover (sentinelStartFailover, for
 * SENTINEL FAILOVER and after +odown alike), publishing '+new-epoch <n>' and
 * then '+try-failover' in the same turn of its event loop; the other
 * Sentinels publish '+new-epoch <n>' as they learn it, from the leader's vote
 * request (then '+vote-for-leader <run id> <n>') or its hello. So the first
 * +new-epoch the console sees comes before the step that explains it, and a
 * Sentinel that joins a group late publishes one for an old failover with no
 * step around it.
 *
 * A +new-epoch is the failover's when a notice that starts or carries a
 * failover came shortly before it, or comes within HOLD_MS after it (it is
 * held that long, then recorded in its place, before that notice);
 * otherwise it is recorded as it is, with its cause unknown. Closing and
 * routine notices explain no epoch: a late Sentinel's hello-learned epoch is
 * followed at once by '+switch-master' when the same hello carries a newer
 * configuration, and then by '+fix-slave-config' / '+convert-to-slave' as it
 * corrects the instances it knew.
 */
import type { SentinelNotice } from './sentinel-notice';

/** A leader's +try-failover follows its +new-epoch at once; the others learn the epoch within a hello period (2 s). */
export const HOLD_MS = 2_000;
/** A step this recent explains a +new-epoch published after it (a Sentinel that learned the epoch late). */
export const STEP_BEFORE_MS = 10_000;

/**
 * The notices that start or carry a failover, in the order redis-sentinel 7.0
 * publishes them: the leader's '+try-failover' (after its '+new-epoch'), each
 * voter's '+vote-for-leader <run id> <epoch>' (after its '+new-epoch'; the
 * leader votes for itself too), then the leader's '+elected-leader',
 * '+failover-state-select-slave', '+selected-slave',
 * '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion',
 * '+promoted-slave', '+failover-state-reconf-slaves'.
 *
 * Not the others: '+slave-reconf-*', '+failover-end*' and '+switch-master'
 * close a failover ('+switch-master' is also what a Sentinel publishes on a
 * hello with a newer configuration, right after the '+new-epoch' the same
 * hello taught it); '-failover-abort-*' ends one; '+fix-slave-config' and
 * '+convert-to-slave' are Sentinel's routine correction of a replica or of an
 * old master back up, at any time.
 */
export function startsOrContinuesFailover(notice: SentinelNotice): boolean {
  return /^\+(try-failover|vote-for-leader|elected-leader|selected-slave|promoted-slave)$|^\+failover-state-/.test(notice.channel);
}

export interface HeldEpoch<T> {
  readonly notice: SentinelNotice;
  readonly payload: T;
}

export class EpochHold<T> {
  private readonly held: HeldEpoch<T>[] = [];

  /** The +new-epoch's verdict now, or null when it is held for a step to come. */
  verdict(notice: SentinelNotice, recent: readonly SentinelNotice[]): 'failover' | null {
    if (recent.some((earlier) => earlier !== notice && startsOrContinuesFailover(earlier) && earlier.time <= notice.time && notice.time - earlier.time <= STEP_BEFORE_MS)) return 'failover';
    return null;
  }

  hold(notice: SentinelNotice, payload: T): void {
    this.held.push({ notice, payload });
  }

  /** The held epochs a step explains (all of them: a failover's step), in order; removed from the hold. */
  explainedBy(step: SentinelNotice): HeldEpoch<T>[] {
    if (!startsOrContinuesFailover(step)) return [];
    return this.held.splice(0, this.held.length);
  }

  /** The held epochs no step came for within HOLD_MS, by `now`; removed from the hold. */
  expired(now: number): HeldEpoch<T>[] {
    const due: HeldEpoch<T>[] = [];
    for (let index = 0; index < this.held.length; ) {
      if (now - this.held[index]!.notice.time >= HOLD_MS) due.push(...this.held.splice(index, 1));
      else index++;
    }
    return due;
  }
}
