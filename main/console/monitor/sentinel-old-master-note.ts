/**
 * What a replica's +sdown / -sdown means when that replica is the master a
 * failover moved away from, for the timeline's line of that notice.
 */
import type { SentinelNotice } from './sentinel-notice';

/**
 * A replica's +sdown / -sdown whose address is the master a +switch-master
 * of its group moved away from: Sentinel keeps the old master as a replica
 * of the new one (sentinelResetMasterAndChangeAddress), and this is how it
 * sees it. Seen with redis-sentinel 7.0.15 after kill -9 of a master: each
 * Sentinel logged '+sdown slave <old> ... @ mymaster <new>' some 3 s
 * (down-after) after +switch-master.
 */
export function oldMasterNote(notice: SentinelNotice, notices: ReadonlyArray<SentinelNotice>): string {
  if (notice.instanceType !== 'slave' || (notice.channel !== '+sdown' && notice.channel !== '-sdown')) return '';
  const switched = notices.findLast((earlier) => earlier.channel === '+switch-master' && earlier.group === notice.group && earlier.switchedFrom === notice.instanceId && earlier.time <= notice.time);
  if (switched === undefined) return '';
  return notice.channel === '+sdown'
    ? `: the old master of ${notice.group ?? '?'}, which Sentinel now lists as a replica of ${switched.switchedTo ?? '?'}; if it comes back, Sentinel turns it into a replica (+convert-to-slave) and writes it takes until then are discarded`
    : `: the old master of ${notice.group ?? '?'} answers again; Sentinel, which lists it as a replica of ${switched.switchedTo ?? '?'}, turns it into one if it reports itself a master (+convert-to-slave)`;
}
