/**
 * Threshold colouring: every node and link gets a level (ok / warn /
 * critical / unknown) and the plain reasons behind it, so the colour on the
 * graph and the sentence in the detail panel always agree.
 */
import { STALE_READS_REFUSED_TEXT, WRITABLE_REPLICA_TEXT, writeRefusalText } from '../api/contract';
import type { LinkSnapshot, NodeSnapshot, Thresholds } from '../api/contract';
import { formatBytes, formatPercent, formatSeconds } from './format';

export type Level = 'ok' | 'warn' | 'critical' | 'unknown';

const RANK: Record<Level, number> = { unknown: 0, ok: 1, warn: 2, critical: 3 };

export function worstLevel(levels: Iterable<Level>): Level {
  let worst: Level = 'unknown';
  for (const level of levels) if (RANK[level] > RANK[worst]) worst = level;
  return worst;
}

/** ok below warn, warn from warn, critical from critical; unknown for a missing value. */
export function levelForValue(value: number | null, warn: number, critical: number): Level {
  if (value === null || !Number.isFinite(value)) return 'unknown';
  if (value >= critical) return 'critical';
  if (value >= warn) return 'warn';
  return 'ok';
}

export interface Assessment {
  readonly level: Level;
  readonly reasons: readonly string[];
}

/**
 * A link's level from its state, byte lag, ACK age and how much of the
 * master's backlog its lag uses (a lag beyond the backlog means a reconnect
 * now would be a full resync). The byte lag is the console's freshest figure
 * (the replica's own offset where it is readable), never the ACK lag alone:
 * ACKs come once a second, so a current replica under load would otherwise
 * warn all the time. Stale figures (an end did not answer) warn.
 */
export function assessLink(link: LinkSnapshot, thresholds: Thresholds, backlogSizeBytes: number | null): Assessment {
  const reasons: string[] = [];
  const levels: Level[] = [];
  if (link.stale) {
    // Old or one-sided figures are never shown as a healthy link.
    levels.push('warn');
    reasons.push(`Figures not current: ${link.staleReason ?? 'an end did not answer this poll'}`);
  }
  switch (link.state) {
    case 'down':
      levels.push('critical');
      // master_link_down_since_seconds is -1 when the link was never up since the replica started.
      reasons.push(link.downSinceSeconds === null ? 'Link down' : link.downSinceSeconds < 0 ? 'Link down: never up since the replica started' : `Link down for ${formatSeconds(link.downSinceSeconds)}`);
      // Why it does not come back: its master refuses the replica's login (its INFO errorstats).
      if (link.loginRefused !== undefined) reasons.push(link.loginRefused);
      break;
    case 'syncing':
      levels.push('warn');
      reasons.push('Full synchronization in progress');
      break;
    case 'handshake':
    case 'connecting':
      levels.push('warn');
      reasons.push(`Link ${link.state}`);
      break;
    case 'online':
      if (!link.stale) levels.push('ok');
      break;
  }
  const lagLevel = levelForValue(link.lagBytes, thresholds.lagBytesWarn, thresholds.lagBytesCritical);
  if (lagLevel === 'warn' || lagLevel === 'critical') {
    levels.push(lagLevel);
    reasons.push(`Byte lag ${formatBytes(link.lagBytes)} (${lagLevel} from ${formatBytes(lagLevel === 'critical' ? thresholds.lagBytesCritical : thresholds.lagBytesWarn)})`);
  }
  const ackLevel = levelForValue(link.ackAgeSeconds, thresholds.ackAgeWarnSeconds, thresholds.ackAgeCriticalSeconds);
  if (link.state !== 'down' && (ackLevel === 'warn' || ackLevel === 'critical')) {
    levels.push(ackLevel);
    reasons.push(`Last ACK ${formatSeconds(link.ackAgeSeconds)} ago`);
  }
  if (backlogSizeBytes !== null && backlogSizeBytes > 0 && link.lagBytes !== null) {
    const share = link.lagBytes / backlogSizeBytes;
    if (share >= 1) {
      levels.push('critical');
      reasons.push(`Lag exceeds the backlog (${formatPercent(share)}): a reconnect would need a full resync`);
    } else if (share >= thresholds.backlogUseWarn) {
      levels.push('warn');
      reasons.push(`Lag uses ${formatPercent(share)} of the backlog`);
    }
  }
  return { level: worstLevel(levels), reasons };
}

/** What an answering node does wrong although it is up: a master refusing writes (min-replicas-to-write), a writable replica. */
function upNodeWarnings(node: NodeSnapshot): Assessment {
  const refusal = writeRefusalText(node.minReplicas);
  if (refusal !== null) return { level: 'critical', reasons: [refusal] };
  if (node.replicaReadOnly === false) return { level: 'warn', reasons: [WRITABLE_REPLICA_TEXT] };
  return { level: 'ok', reasons: [] };
}

/** The MASTERDOWN refusal, when the polled config proves it (unknown without CONFIG GET: nothing said). */
function staleReadsRefused(node: NodeSnapshot): string[] {
  const refuses = node.role === 'replica' && node.masterLinkStatus === 'down' && node.config?.['replica-serve-stale-data'] === 'no';
  return refuses ? [STALE_READS_REFUSED_TEXT] : [];
}

/**
 * A node's level and reasons. Figures not current (it missed a poll, or its
 * master does not answer) warn, and what its last answer showed wrong is
 * kept, said to be the last known state, as a stale link keeps its last
 * state: a master that misses a poll has not stopped refusing writes.
 */
export function assessNode(node: NodeSnapshot): Assessment {
  if (node.stale && (node.health === 'up' || node.health === 'loading')) {
    const lastKnown = node.health === 'up' ? upNodeWarnings(node) : { level: 'ok' as Level, reasons: [] };
    return {
      level: worstLevel(['warn', lastKnown.level]),
      reasons: [`Figures not current: ${node.staleReason ?? 'no answer this poll'}`, ...lastKnown.reasons.map((reason) => `Last known: ${reason}`)],
    };
  }
  switch (node.health) {
    case 'up':
      if (node.sync !== null && node.sync.phase !== 'streaming') return { level: 'warn', reasons: [`Syncing: ${node.sync.phase}`, ...staleReadsRefused(node)] };
      if (node.role === 'replica' && node.masterLinkStatus === 'down') return { level: 'critical', reasons: ['Link to master down', ...staleReadsRefused(node)] };
      return upNodeWarnings(node);
    case 'loading':
      return { level: 'warn', reasons: ['Loading its dataset'] };
    case 'unknown':
      return { level: 'unknown', reasons: ['Not polled yet'] };
    default:
      return { level: 'critical', reasons: [node.healthDetail ?? `Node ${node.health}`] };
  }
}
