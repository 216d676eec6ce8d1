/**
 * Which Sentinel notices the timeline shows: several Sentinels publish the
 * same notice about the same instance, and one Sentinel's own acts (its
 * votes, its TILT, its failover attempts) are lines of their own
 * (event-detector.ts onSentinelNotice).
 */
import { endsFailoverAttempt, isFailoverAttemptNotice, type SentinelNotice } from './sentinel-notice';
import { SENTINEL_SLAVEOF_NOTICES } from './sentinel-slaveof-lines';

/**
 * The same notice from several Sentinels (each publishes +sdown, +odown,
 * +switch-master, +new-epoch...) is shown once in this window, keyed by the
 * event and the instance it is about (+odown's quorum count differs between
 * Sentinels); the opposite notice (-sdown after +sdown) ends the window. A
 * notice that names no instance (+tilt, +vote-for-leader, -script-error) is its publishing
 * Sentinel's own and is keyed on that Sentinel too; +new-epoch on its epoch.
 * A failover attempt's notices (+try-failover ... -failover-abort-* or
 * +failover-end) are its Sentinel's own, keyed on that Sentinel, and the
 * attempt's end ends their window: its next attempt is shown again. A
 * +convert-to-slave or +fix-slave-config is one SLAVEOF its Sentinel sent,
 * never the same fact as another Sentinel's: each passes here, and
 * sentinel-slaveof-lines.ts decides whether it is a line of its own or a
 * repeat of its Sentinel's previous one.
 */
const NOTICE_DEDUPE_MS = 30_000;

export class SentinelNoticeDedupe {
  /** The time each key was last shown. */
  private readonly shown = new Map<string, number>();

  /**
   * `resolve`: the node watched at an address a Sentinel names (the monitor's
   * aliases): Sentinels that know one instance by different addresses (an
   * announced one, another interface) publish the same fact about one node.
   */
  constructor(private readonly resolve: (address: string) => string = (address) => address) {}

  /** Whether this notice is a new line on the timeline (false: the same fact was shown within NOTICE_DEDUPE_MS). */
  isNew(notice: SentinelNotice): boolean {
    if (SENTINEL_SLAVEOF_NOTICES.has(notice.channel)) return true;
    // The instance's type is part of what a notice is about: after a failover the old master's address is, for
    // Sentinel, a replica of the new master, and its +sdown as a replica is news after its +sdown as the master.
    // An address switch names the master; what it is about is the Sentinel that moved (in its detail).
    // A notice that names no instance is its publisher's own: a vote (sentinelVoteLeader, once per epoch, so two
    // voting the same leader in one epoch are two votes), +tilt / -tilt (each Sentinel's own TILT, published with
    // no instance), -script-error (a notification or reconfig script that ended by a signal or a non-zero
    // exit, published with no instance). Several Sentinels publishing it together are several lines, each of its own
    // Sentinel's log. Not +new-epoch: it names the epoch all Sentinels share, shown once per epoch.
    // A failover attempt's notices are its Sentinel's alone (isFailoverAttemptNotice): two Sentinels trying
    // in turn, or one retrying after an abort, are each an attempt of their own, as each Sentinel logs it.
    const attempt = isFailoverAttemptNotice(notice.channel) ? ` in the attempt of ${notice.group ?? '?'} by ${notice.sentinelId}` : null;
    const about = attempt !== null ? `${notice.instanceType ?? ''} ${notice.instanceId !== null ? this.resolve(notice.instanceId) : ''}${attempt}`
      : notice.channel === '+sentinel-address-switch' ? notice.detail
      : notice.instanceId !== null ? `${notice.instanceType ?? ''} ${this.resolve(notice.instanceId)}`
        : notice.channel === '+new-epoch' ? notice.text
          : `by ${notice.sentinelId}: ${notice.text}`;
    const key = `${notice.channel} ${about}`;
    const opposite = `${notice.channel.startsWith('+') ? '-' : '+'}${notice.channel.slice(1)} ${about}`;
    this.shown.delete(opposite);
    const shown = this.shown.get(key);
    if (shown !== undefined && notice.time - shown < NOTICE_DEDUPE_MS) return false;
    this.shown.set(key, notice.time);
    for (const [old, at] of this.shown) if (notice.time - at > NOTICE_DEDUPE_MS || (attempt !== null && endsFailoverAttempt(notice.channel) && old.endsWith(attempt))) this.shown.delete(old);
    return true;
  }
}
