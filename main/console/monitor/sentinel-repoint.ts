/**
 * The Sentinel notices that moved a replica: re-pointed it to another master
 * (a failover's +slave-reconf-*, +convert-to-slave, +fix-slave-config) or
 * took it away from its master (promoted it, or re-pointed it in a
 * failover). The link-downs, resyncs and replication id changes of that
 * replica around them are Sentinel's doing (event-detector.ts record).
 */
import { OWN_DISCONNECT_AFTER_MS, OWN_DISCONNECT_BEFORE_MS } from './own-cuts';
import type { SentinelNotice } from './sentinel-notice';

/**
 * The Sentinel notice that re-pointed this replica shortly before `time`
 * (+slave-reconf-sent/-inprog/-done in a failover, +convert-to-slave,
 * +fix-slave-config), if any: its partial resync with the new master is
 * the Sentinel's doing (it sent REPLICAOF; the replica continued).
 */
export function sentinelRepoint(notices: ReadonlyArray<SentinelNotice>, replicaId: string, time: number): SentinelNotice | null {
  const inWindow = (notice: SentinelNotice): boolean => notice.instanceId === replicaId && notice.time <= time + OWN_DISCONNECT_BEFORE_MS && notice.time >= time - OWN_DISCONNECT_AFTER_MS;
  for (let index = notices.length - 1; index >= 0; index -= 1) {
    const notice = notices[index]!;
    if (!inWindow(notice)) continue;
    if (/^\+slave-reconf-/.test(notice.channel)) return firstOfReconfiguration(notices, index, inWindow);
    if (/^\+(convert-to-slave|fix-slave-config)$/.test(notice.channel)) return notice;
  }
  return null;
}

/**
 * The Sentinel notice that took this replica away from `masterId` shortly
 * before `time`, if any: a failover's promotion of it (+selected-slave ...
 * +promoted-slave) or its re-pointing to the new master (+slave-reconf-*),
 * published while `masterId` was the group's master. Sentinel's SLAVEOF
 * (NO ONE, or to the new master) ended its link with that master: the
 * link-down is Sentinel's doing. The link to the master it follows now is
 * never matched (the notice names the old master).
 */
export function sentinelMovedAway(notices: ReadonlyArray<SentinelNotice>, replicaId: string, masterId: string, time: number): SentinelNotice | null {
  for (let index = notices.length - 1; index >= 0; index -= 1) {
    const notice = notices[index]!;
    if (notice.instanceId !== replicaId || notice.masterId !== masterId || notice.time > time + OWN_DISCONNECT_BEFORE_MS || notice.time < time - OWN_DISCONNECT_AFTER_MS) continue;
    if (/^\+(selected-slave|failover-state-send-slaveof-noone|failover-state-wait-promotion|promoted-slave|slave-reconf-sent|slave-reconf-inprog|slave-reconf-done)$/.test(notice.channel)) return notice;
  }
  return null;
}

/**
 * The notice that started a failover's re-pointing of one replica, given the
 * latest of its +slave-reconf-* notices (at `latest`). Sentinel's leader
 * publishes +slave-reconf-sent when it sends SLAVEOF <new master>, then
 * -inprog and -done as the replica's INFO shows it following; once
 * failover-timeout has passed with the replica not yet done (a full sync
 * held by repl-diskless-sync-delay), it sends SLAVEOF once more
 * "best effort" (+slave-reconf-sent-be, sentinelFailoverDetectEnd), which a
 * replica already following that master ignores. Seen on redis-server 7.0:
 * +slave-reconf-sent at 20:04:49.296 (the replica's log: "REPLICAOF ...
 * enabled" at .299, its PSYNC refused there), +slave-reconf-sent-be at
 * 20:04:54.275 just as its full sync ended. Its link-up, replid change and
 * resync all come from the first SLAVEOF: that notice is returned. The
 * notices of one re-pointing name the same old master (masterId) and come
 * from the same Sentinel (other notices of this replica in between, such as
 * another Sentinel's +slave, are passed over); another re-pointing of it
 * (+convert-to-slave, +fix-slave-config, a reconf for another master) ends
 * the walk back.
 */
function firstOfReconfiguration(notices: ReadonlyArray<SentinelNotice>, latest: number, inWindow: (notice: SentinelNotice) => boolean): SentinelNotice {
  const last = notices[latest]!;
  let first = last;
  for (let index = latest - 1; index >= 0; index -= 1) {
    const notice = notices[index]!;
    if (!inWindow(notice)) continue;
    if (/^\+(convert-to-slave|fix-slave-config)$/.test(notice.channel)) break;
    if (!/^\+slave-reconf-/.test(notice.channel)) continue;
    if (notice.masterId !== last.masterId || notice.sentinelId !== last.sentinelId) break;
    first = notice;
  }
  return first;
}
