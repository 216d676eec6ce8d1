/**
 * A split-brain that is a Sentinel failover's reconfiguration window. After
 * a failover whose old master is still up (SENTINEL FAILOVER, or a master
 * that returned), redis-sentinel 7.0 promotes a replica (REPLICAOF NO ONE),
 * switches the group to it (+switch-master) and from then on lists the old
 * master among the new master's replicas (SENTINEL REPLICAS). The old
 * master still answers role:master and takes writes until a Sentinel that
 * lists it as a replica has seen it report master for 8 s (sentinel.c:
 * SENTINEL_PUBLISH_PERIOD * 4) and sends it REPLICAOF the new master
 * ('+convert-to-slave'); any of them may, the first whose INFO poll finds it
 * so. It then resyncs from the new master, discarding what it took.
 *
 * Both nodes are writable masters in that window, so it stays a split-brain
 * (and critical: a client still on the old master writes into the void);
 * this says which failover it is and what Sentinel is about to do.
 */
import type { SplitBrain } from '../../../shared/contract/snapshots';
import type { SentinelNotice } from './sentinel-notice';

/** A failover this old no longer explains two masters (Sentinel's default failover-timeout, 3 min). */
const FAILOVER_RECENT_MS = 180_000;
/** An +odown this long before +try-failover started it; none: forced (SENTINEL FAILOVER). */
const ODOWN_BEFORE_MS = 60_000;
/** The time an old master must report master before a Sentinel converts it (SENTINEL_PUBLISH_PERIOD * 4). */
const CONVERT_AFTER_MS = 8_000;

export function sentinelFailoverWindow(split: SplitBrain, notices: readonly SentinelNotice[], now: number): string | null {
  const started = notices.findLast((notice) => notice.channel === '+try-failover' && notice.instanceId !== null && split.masterIds.includes(notice.instanceId) && notice.time <= now && now - notice.time <= FAILOVER_RECENT_MS);
  if (started === undefined) return null;
  const oldId = started.instanceId!;
  const group = started.group;
  const after = notices.filter((notice) => notice.group === group && notice.time >= started.time);
  const switched = after.find((notice) => notice.channel === '+switch-master' && notice.switchedFrom === oldId);
  const newId = switched?.switchedTo ?? after.find((notice) => notice.channel === '+selected-slave' && notice.masterId === oldId)?.instanceId ?? null;
  if (newId === null || !split.masterIds.includes(newId)) return null;
  const leader = after.find((notice) => notice.channel === '+elected-leader' && notice.instanceId === oldId)?.sentinelId ?? started.sentinelId;
  const epoch = notices.findLast((notice) => notice.channel === '+new-epoch' && notice.sentinelId === started.sentinelId && notice.time <= started.time)?.epoch ?? null;
  const odown = notices.some((notice) => notice.channel === '+odown' && notice.instanceId === oldId && notice.time <= started.time && started.time - notice.time <= ODOWN_BEFORE_MS);
  const converted = after.find((notice) => notice.channel === '+convert-to-slave' && notice.instanceId === oldId);
  const which = `the Sentinel failover of ${group ?? '?'}${epoch === null ? '' : ` (epoch ${epoch}`}${epoch === null ? ' (' : ', '}${odown ? 'after +odown' : 'forced by SENTINEL FAILOVER'}, leader ${leader}, started ${new Date(started.time).toISOString()}): ${oldId} -> ${newId}`;
  const state = switched
    ? `Sentinel ${switched.sentinelId} switched the group to ${newId} (+switch-master) and lists ${oldId} as a replica of ${newId}, but ${oldId} still answers as a master`
    : `${newId} was promoted; Sentinel has not yet switched the group (+switch-master), and ${oldId} still answers as a master`;
  const next = converted
    ? `Sentinel ${converted.sentinelId} sent it REPLICAOF ${newId} (+convert-to-slave) at ${new Date(converted.time).toISOString()}`
    : `a Sentinel that lists it as a replica sends it REPLICAOF ${newId} (+convert-to-slave) once it has reported master for ${CONVERT_AFTER_MS / 1000} s`;
  return `this is ${which}; ${state}; ${next}. Writes to ${oldId} in this window are lost when it is converted (it resyncs from ${newId}); clients must write to ${newId}`;
}
