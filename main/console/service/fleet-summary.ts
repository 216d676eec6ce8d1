/**
 * One fleet row (shared/contract/fleet.ts) from a session's latest snapshot
 * and its timeline. Pure: the service hands it what it holds, so the rules
 * are tested without nodes.
 *
 *  - worst lag and ACK age are taken over links that are not down: a down
 *    link has no lag figure, it counts in `links.down` instead;
 *  - a link whose ends did not answer this poll (stale) still counts as what
 *    it last was, and its nodes count in `nodes.stale`;
 *  - the last full resync is the newest `full-resync` event of the session
 *    (exact for embedded nodes, inferred from counters for others).
 */
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { FleetAlerts, FleetFullResync, FleetRow, WorstLink } from '../../../shared/contract/fleet';
import type { SessionInfo } from '../../../shared/contract/sessions';
import type { LinkSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';

const DAY_MS = 24 * 60 * 60 * 1000;

export function fleetRow(session: SessionInfo, snapshot: TopologySnapshot | null, fullResyncs: readonly ReplicationEvent[], alerts: FleetAlerts | null, now = Date.now()): FleetRow {
  const nodes = snapshot?.nodes ?? [];
  const links = snapshot?.links ?? [];
  const live = links.filter((link) => link.state !== 'down');
  const newest = fullResyncs.reduce<ReplicationEvent | null>((latest, event) => (latest === null || event.time > latest.time ? event : latest), null);
  return {
    sessionId: session.sessionId,
    name: session.name,
    kind: session.kind,
    environment: session.environment,
    safetyMode: session.safetyMode,
    polledAt: snapshot?.time ?? null,
    nodes: {
      total: nodes.length,
      up: nodes.filter((node) => node.health === 'up').length,
      masters: nodes.filter((node) => node.role === 'master').length,
      stale: nodes.filter((node) => node.stale).length,
    },
    links: {
      total: links.length,
      down: links.filter((link) => link.state === 'down').length,
      syncing: links.filter((link) => link.state === 'syncing' || link.state === 'handshake' || link.state === 'connecting').length,
    },
    worstLagBytes: worst(live, (link) => link.lagBytes),
    worstAckAgeSeconds: worst(live, (link) => link.ackAgeSeconds),
    lastFullResync: newest === null ? null : fullResync(newest),
    fullResyncsLastDay: fullResyncs.filter((event) => event.time >= now - DAY_MS).length,
    splitBrain: (snapshot?.splitBrains.length ?? 0) > 0,
    alerts,
  };
}

function worst(links: readonly LinkSnapshot[], figure: (link: LinkSnapshot) => number | null): WorstLink | null {
  let found: WorstLink | null = null;
  for (const link of links) {
    const value = figure(link);
    if (value !== null && (found === null || value > found.value)) found = { value, linkId: link.id, replicaId: link.replicaId };
  }
  return found;
}

function fullResync(event: ReplicationEvent): FleetFullResync {
  return { time: event.time, replicaId: event.nodeId, masterId: event.peerId, cause: event.cause, inferred: event.inferred, message: event.message };
}
