/**
 * Synthetic topology snapshots that follow the contract (the bench and the
 * component tests use them; the bench validates each one against the zod
 * schemas before sending it). A deterministic function of (tick, shape):
 * one master per shard, replicas (optionally chained), offsets growing at a
 * steady write rate, some replicas lagging, one link down.
 */
import type { LinkSnapshot, NodeSnapshot, SessionInfo, TopologySnapshot } from '../src/api/contract';

export interface SyntheticShape {
  readonly sessionId: string;
  /** Masters (each its own component), and replicas per master. */
  readonly masters: number;
  readonly replicasPerMaster: number;
  readonly kind?: TopologySnapshot['kind'];
  readonly pollIntervalMs?: number;
  readonly startTime?: number;
  readonly backlogBytes?: number;
  readonly writeRateBytesPerSec?: number;
  /** Index (in replica order) of a replica whose link is down; -1 for none. */
  readonly downReplica?: number;
}

const MiB = 1024 * 1024;

export function syntheticNode(id: string, overrides: Partial<NodeSnapshot> = {}): NodeSnapshot {
  const [host = '127.0.0.1', port = '6379'] = id.split(':');
  return {
    id,
    host,
    port: Number(port),
    health: 'up',
    healthDetail: null,
    healthProblem: null,
    role: 'master',
    embedded: false,
    version: '7.0.15',
    runId: null,
    replid: 'a'.repeat(40),
    replid2: '0'.repeat(40),
    masterReplOffset: 0,
    secondReplOffset: -1,
    backlog: null,
    masterHost: null,
    masterPort: null,
    masterLinkStatus: null,
    replicaState: null,
    masterLastIoSecondsAgo: null,
    masterLinkDownSinceSeconds: null,
    slaveReplOffset: null,
    slaveReadReplOffset: null,
    sync: null,
    counters: null,
    connectedReplicas: null,
    streamTapReplicas: null,
    writeRateBytesPerSec: null,
    opsPerSec: null,
    usedMemoryBytes: null,
    connectedClients: null,
    keys: null,
    datasetChangesSinceSave: null,
    lastLoadKeysLoaded: null,
    lastSaveTime: null,
    evictionsPerSec: null,
    maxmemoryBytes: null,
    recommendedBacklogBytes: null,
    peakWriteRateBytesPerSec: null,
    minReplicas: null,
    replicaReadOnly: null,
    config: null,
    deniedCommands: [],
    deniedReplies: [],
    sampledAt: 0,
    stale: false,
    staleReason: null,
    ...overrides,
  };
}

export function syntheticLink(masterId: string, replicaId: string, overrides: Partial<LinkSnapshot> = {}): LinkSnapshot {
  return {
    id: `${masterId}->${replicaId}`,
    masterId,
    replicaId,
    state: 'online',
    masterSideState: 'online',
    replicaOffset: 0,
    replicaOwnOffset: 0,
    ackOffset: 0,
    offsetSource: 'replica',
    lagBytes: 0,
    ackLagBytes: 0,
    ackAgeSeconds: 0,
    applyRateBytesPerSec: null,
    catchUpSeconds: 0,
    fallingBehind: false,
    backlogHeadroomBytes: null,
    secondsUntilOutOfBacklog: null,
    staysInBacklog: false,
    outageCoveredSeconds: null,
    partialResyncCountdownSeconds: null,
    partialResyncPossible: true,
    downSinceSeconds: null,
    masterSilentSeconds: null,
    stale: false,
    staleReason: null,
    ...overrides,
  };
}

export function syntheticSnapshot(shape: SyntheticShape, tick: number): TopologySnapshot {
  const poll = shape.pollIntervalMs ?? 1000;
  const time = (shape.startTime ?? 1_700_000_000_000) + tick * poll;
  const backlogBytes = shape.backlogBytes ?? MiB;
  const baseRate = shape.writeRateBytesPerSec ?? 48 * 1024;
  const nodes: NodeSnapshot[] = [];
  const links: LinkSnapshot[] = [];
  let replicaIndex = 0;
  for (let master = 0; master < shape.masters; master += 1) {
    const masterId = `10.0.${master}.1:6379`;
    // Each shard writes at a slightly different, wobbling rate.
    const rate = baseRate * (1 + 0.2 * Math.sin(tick / 7 + master));
    const masterOffset = Math.round(1_000_000 + tick * baseRate + master * 12_345);
    const histlen = Math.min(backlogBytes, masterOffset);
    const firstByte = masterOffset - histlen + 1;
    const replicaIds: string[] = [];
    const markers = [];
    for (let replica = 0; replica < shape.replicasPerMaster; replica += 1) {
      const replicaId = `10.0.${master}.${replica + 2}:6379`;
      replicaIds.push(replicaId);
      const down = replicaIndex === (shape.downReplica ?? -1);
      const lagBytes = down ? Math.min(masterOffset, Math.round(backlogBytes * 0.4 + tick * 100)) : Math.round(((replicaIndex * 7919) % 97) * 400 * (1 + Math.sin(tick / 3 + replica)));
      const offset = masterOffset - lagBytes;
      // Replicas ACK once a second: the acknowledged offset trails the replica's own by up to a second of writes.
      const ackOffset = down ? offset : Math.max(0, offset - Math.round(rate * ((replicaIndex % 4) / 4)));
      markers.push({ replicaId, offset, ackOffset, offsetSource: down ? ('ack' as const) : ('replica' as const), headroomBytes: offset - firstByte + 1, insideWindow: offset + 1 >= firstByte });
      // Chains: the last replica of every third shard hangs off the first replica.
      const upstreamId = replica > 0 && replica === shape.replicasPerMaster - 1 && master % 3 === 2 ? (replicaIds[0] ?? masterId) : masterId;
      nodes.push(
        syntheticNode(replicaId, {
          role: 'replica',
          masterReplOffset: offset,
          slaveReplOffset: offset,
          slaveReadReplOffset: offset,
          masterHost: upstreamId.split(':')[0] ?? null,
          masterPort: 6379,
          masterLinkStatus: down ? 'down' : 'up',
          replicaState: down ? 'connect' : 'connected',
          masterLastIoSecondsAgo: down ? 12 : 0,
          masterLinkDownSinceSeconds: down ? 12 + tick : null,
          opsPerSec: 0,
          usedMemoryBytes: 40 * MiB,
          connectedClients: 3,
          keys: 10_000,
          evictionsPerSec: 0,
          sampledAt: time,
        }),
      );
      const headroom = backlogBytes - lagBytes;
      links.push(
        syntheticLink(upstreamId, replicaId, {
          state: down ? 'down' : 'online',
          masterSideState: down ? null : 'online',
          replicaOffset: offset,
          replicaOwnOffset: down ? null : offset,
          ackOffset,
          offsetSource: down ? 'ack' : 'replica',
          lagBytes,
          ackLagBytes: down ? null : masterOffset - ackOffset,
          ackAgeSeconds: down ? null : (replicaIndex % 5) * 0.5,
          applyRateBytesPerSec: down ? 0 : rate,
          catchUpSeconds: down ? null : lagBytes / rate,
          fallingBehind: false,
          backlogHeadroomBytes: headroom,
          // It applies as fast as the master writes: it keeps up, and only an outage would take it out of the backlog.
          secondsUntilOutOfBacklog: null,
          staysInBacklog: !down,
          outageCoveredSeconds: down ? null : headroom / rate,
          partialResyncCountdownSeconds: down ? headroom / rate : null,
          partialResyncPossible: headroom > 0,
          downSinceSeconds: down ? 12 + tick : null,
        }),
      );
      replicaIndex += 1;
    }
    nodes.push(
      syntheticNode(masterId, {
        role: 'master',
        masterReplOffset: masterOffset,
        backlog: { active: true, sizeBytes: backlogBytes, histlenBytes: histlen, firstByteOffset: firstByte, masterOffset, replicas: markers },
        connectedReplicas: shape.replicasPerMaster,
        counters: { syncFull: 1, syncPartialOk: 2, syncPartialErr: 0 },
        writeRateBytesPerSec: rate,
        peakWriteRateBytesPerSec: baseRate * 1.2,
        opsPerSec: Math.round(rate / 60),
        usedMemoryBytes: 48 * MiB,
        connectedClients: 12,
        keys: 50_000,
        evictionsPerSec: 0,
        maxmemoryBytes: 256 * MiB,
        recommendedBacklogBytes: Math.ceil((baseRate * 1.2 * 60 * 2) / MiB) * MiB,
        sampledAt: time,
      }),
    );
  }
  return { sessionId: shape.sessionId, kind: shape.kind ?? 'standalone', time, pollIntervalMs: poll, nodes, links, groups: [], outageSeconds: 60, splitBrains: [] };
}

export function syntheticSession(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    sessionId: 's1',
    profileId: 'p1',
    name: 'staging-cache',
    kind: 'standalone',
    environment: 'staging',
    safetyMode: 'ops',
    connectedAt: 1_700_000_000_000,
    capabilities: { commands: {}, features: [], dryrunAnswers: {}, uncheckedBecause: null },
    warnings: [],
    ...overrides,
  };
}
