/**
 * The replicas Sentinel may promote, from its own view (SENTINEL REPLICAS),
 * by the rules of sentinelSelectSlave in redis 7.0 (sentinel.c): it skips a
 * replica that is
 *  - flagged s_down, o_down or disconnected,
 *  - not answering PING for more than 5 ping periods (5 s),
 *  - at replica-priority 0 (as Sentinel last read it from the replica's INFO,
 *    which it re-reads every 10 s),
 *  - with its INFO older than 3 info periods (30 s; 5 s once the master is
 *    s_down, when Sentinel reads INFO every second),
 *  - reporting its master link down for longer than 10 x down-after-milliseconds
 *    plus, with the master s_down, the time since (SENTINEL MASTERS
 *    s-down-time).
 * Among the rest it picks the lowest replica-priority first.
 *
 * A replica counts as a candidate only when the view shows all of that: when
 * something is not known, it is left out, so the console never refuses a
 * Promote because of a replica Sentinel would skip.
 */
import type { NodeSnapshot, SentinelGroup, SentinelReplicaView } from '../../../shared/contract/snapshots';

const PING_PERIOD_MS = 1000;
const INFO_PERIOD_MS = 10_000;

/** The entry of SENTINEL REPLICAS that is `node` (by its id or its host:port); undefined when not listed. */
export function sentinelViewOf(group: SentinelGroup, node: NodeSnapshot): SentinelReplicaView | undefined {
  return group.replicas.find((replica) => replica.id === node.id || replica.id === `${node.host}:${node.port}`);
}

/**
 * Why Sentinel would skip a replica when picking one to promote. `known`: the reason is read from a field
 * Sentinel listed; false when the field is missing (then the replica is no candidate, but a Promote of it
 * is not refused for that).
 */
export interface SentinelSkip {
  readonly reason: string;
  readonly known: boolean;
}

/**
 * Why Sentinel would skip this replica when picking one to promote, or null when it may pick it. Every rule is
 * checked: a known skip wins over a field missing for an earlier rule (that replica is no candidate either way, but
 * a Promote of it is refused only for a known one); with none known, the first unknown reason in the rules' order.
 */
export function sentinelSkips(group: SentinelGroup, replica: SentinelReplicaView): SentinelSkip | null {
  let unknown: SentinelSkip | null = null;
  const notKnown = (reason: string): void => {
    unknown ??= { reason, known: false };
  };
  const flagged = replica.flags.find((flag) => flag === 's_down' || flag === 'o_down' || flag === 'disconnected');
  if (flagged) return { reason: `Sentinel flags it ${flagged}`, known: true };
  if (replica.lastOkPingMs === null) notKnown('when it last answered Sentinel\'s PING is not known');
  else if (replica.lastOkPingMs > PING_PERIOD_MS * 5) return { reason: 'it has not answered Sentinel\'s PING for over 5 s', known: true };
  if (replica.priority === null) notKnown('the replica-priority Sentinel reads for it is not known');
  else if (replica.priority === 0) return { reason: 'Sentinel reads its replica-priority as 0', known: true };
  const masterDown = group.flags?.split(',').includes('s_down') ?? false;
  const infoValidMs = masterDown ? PING_PERIOD_MS * 5 : INFO_PERIOD_MS * 3;
  // sentinel.c lists info-refresh 0 for a replica whose INFO it has never read.
  if (replica.infoRefreshMs === null || replica.infoRefreshMs === 0) notKnown('when Sentinel last read its INFO is not known');
  else if (replica.infoRefreshMs > infoValidMs) return { reason: `Sentinel's last INFO of it is older than ${infoValidMs / 1000} s`, known: true };
  // sentinelSelectSlave: max_master_down_time = 10 x down_after, plus the time since s_down while the master is.
  const sDownMs = masterDown ? group.sDownMs ?? null : 0;
  if (group.downAfterMs === null || replica.masterLinkDownMs === null) notKnown('how long its master link has been down is not known');
  else if (sDownMs === null) notKnown('how long Sentinel has seen the master down is not known');
  else {
    const boundMs = group.downAfterMs * 10 + sDownMs;
    const bound = masterDown ? '10 x down-after-milliseconds plus the time since Sentinel saw the master down' : '10 x down-after-milliseconds';
    if (replica.masterLinkDownMs > boundMs) return { reason: `its master link has been down ${Math.round(replica.masterLinkDownMs / 1000)} s, over ${bound}`, known: true };
  }
  return unknown;
}

/** The replicas of the group, other than `exceptId`, that Sentinel may promote, with the priority it reads for each. */
export function sentinelCandidates(group: SentinelGroup, except: NodeSnapshot): Array<{ id: string; priority: number }> {
  const self = sentinelViewOf(group, except);
  return group.replicas
    .filter((replica) => replica !== self && sentinelSkips(group, replica) === null)
    .map((replica) => ({ id: replica.id, priority: replica.priority! }));
}
