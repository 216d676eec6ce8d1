/**
 * How a fleet row is judged, with the user's thresholds, in words: the same
 * lag and ACK-age limits as a link in the topology, plus what only the fleet
 * summarises (nodes not up, links down, a split-brain, alerts firing).
 */
import type { FleetRow, Thresholds } from '../api/contract';
import { levelForValue, worstLevel, type Assessment, type Level } from './thresholds';
import { formatBytes, formatSeconds } from './format';

export function assessFleetRow(row: FleetRow, thresholds: Thresholds): Assessment {
  if (row.polledAt === null) return { level: 'unknown', reasons: ['not polled yet'] };
  const levels: Level[] = ['ok'];
  const reasons: string[] = [];
  const flag = (level: Level, reason: string): void => {
    levels.push(level);
    reasons.push(reason);
  };
  if (row.splitBrain) flag('critical', 'split-brain: two writable masters');
  if (row.nodes.up < row.nodes.total) flag('critical', `${row.nodes.total - row.nodes.up} of ${row.nodes.total} nodes not up`);
  if (row.links.down > 0) flag('critical', `${row.links.down} link${row.links.down === 1 ? '' : 's'} down`);
  if (row.alerts?.worstFiring === 'critical') flag('critical', `${row.alerts.firing} alert${row.alerts.firing === 1 ? '' : 's'} firing`);
  else if (row.alerts?.worstFiring === 'warning') flag('warn', `${row.alerts.firing} alert${row.alerts.firing === 1 ? '' : 's'} firing`);
  if (row.worstLagBytes !== null) {
    const level = levelForValue(row.worstLagBytes.value, thresholds.lagBytesWarn, thresholds.lagBytesCritical);
    if (level !== 'ok') flag(level, `lag ${formatBytes(row.worstLagBytes.value)} on ${row.worstLagBytes.replicaId}`);
  }
  if (row.worstAckAgeSeconds !== null) {
    const level = levelForValue(row.worstAckAgeSeconds.value, thresholds.ackAgeWarnSeconds, thresholds.ackAgeCriticalSeconds);
    if (level !== 'ok') flag(level, `no ACK for ${formatSeconds(row.worstAckAgeSeconds.value)} from ${row.worstAckAgeSeconds.replicaId}`);
  }
  if (row.links.syncing > 0) flag('warn', `${row.links.syncing} link${row.links.syncing === 1 ? '' : 's'} syncing`);
  if (row.nodes.stale > 0) flag('warn', `${row.nodes.stale} node${row.nodes.stale === 1 ? '' : 's'} not answering this poll`);
  return { level: worstLevel(levels), reasons };
}

/** Rows in the order an operator reads them: worst first, then by name. */
export function sortFleetRows(rows: readonly FleetRow[], thresholds: Thresholds): FleetRow[] {
  const rank: Record<Level, number> = { critical: 0, warn: 1, unknown: 2, ok: 3 };
  return [...rows].sort((a, b) => rank[assessFleetRow(a, thresholds).level] - rank[assessFleetRow(b, thresholds).level] || a.name.localeCompare(b.name));
}
