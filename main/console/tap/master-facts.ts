/**
 * What the tap reads about a master, over the session's own connection to
 * it (the monitor's ioredis client, same ACL user), never over the tap's:
 * the tap's connection only ever sends the handshake, PSYNC and ACKs.
 *
 *  - INFO replication: role, replid, master_repl_offset, the backlog window,
 *    and `min_slaves_good_slaves`, which Redis prints exactly when
 *    min-replicas-to-write and min-replicas-max-lag are both in force;
 *  - CONFIG GET of the settings that decide how the master treats a replica
 *    (null where the user may not run CONFIG GET: INFO still tells whether
 *    min-replicas is in force, and Redis's defaults are assumed for the rest,
 *    said so where it matters).
 */
import type { Redis } from 'ioredis';
import { parseInfo } from '../monitor/info-fields';
import { isDisklessSync } from '../diskless-sync';

export interface ReplicationFacts {
  readonly role: string;
  readonly masterHost: string | null;
  readonly masterPort: number | null;
  readonly replid: string;
  readonly masterReplOffset: number;
  readonly backlogActive: boolean;
  readonly backlogFirstByte: number;
  readonly backlogHistlen: number;
  readonly backlogSize: number | null;
  /** min_slaves_good_slaves: null when min-replicas-to-write is not in force. */
  readonly goodReplicas: number | null;
  readonly connectedReplicas: number;
}

export interface OutputBufferLimit {
  readonly hardBytes: number;
  readonly softBytes: number;
  readonly softSeconds: number;
}

export interface ReplicationConfig {
  readonly minReplicasToWrite: number;
  readonly minReplicasMaxLag: number;
  readonly disklessSync: boolean;
  readonly disklessSyncDelay: number;
  readonly replTimeout: number;
  readonly backlogSize: number;
  /** client-output-buffer-limit for replicas (class "slave" / "replica"). */
  readonly replicaOutputLimit: OutputBufferLimit | null;
}

export const CONFIG_NAMES = ['min-replicas-to-write', 'min-replicas-max-lag', 'repl-diskless-sync', 'repl-diskless-sync-delay', 'repl-timeout', 'repl-backlog-size', 'client-output-buffer-limit'];
/** Redis 7.0's default repl-timeout, used when CONFIG GET is not allowed. */
export const DEFAULT_REPL_TIMEOUT = 60;

const number = (fields: ReadonlyMap<string, string>, name: string): number | null => {
  const value = Number(fields.get(name));
  return fields.has(name) && Number.isFinite(value) ? value : null;
};

export async function readReplicationFacts(client: Redis): Promise<ReplicationFacts> {
  const fields = parseInfo(String(await client.info('replication')));
  const role = fields.get('role') ?? 'unknown';
  const replid = fields.get('master_replid');
  const offset = number(fields, 'master_repl_offset');
  if (replid === undefined || offset === null) throw new Error('INFO replication did not give master_replid and master_repl_offset');
  return {
    role,
    masterHost: fields.get('master_host') ?? null,
    masterPort: number(fields, 'master_port'),
    replid,
    masterReplOffset: offset,
    backlogActive: fields.get('repl_backlog_active') === '1',
    backlogFirstByte: number(fields, 'repl_backlog_first_byte_offset') ?? 0,
    backlogHistlen: number(fields, 'repl_backlog_histlen') ?? 0,
    backlogSize: number(fields, 'repl_backlog_size'),
    goodReplicas: number(fields, 'min_slaves_good_slaves'),
    connectedReplicas: number(fields, 'connected_slaves') ?? 0,
  };
}

/** "normal 0 0 0 slave 268435456 67108864 60 pubsub ..." -> the replica class. */
export function parseReplicaOutputLimit(text: string): OutputBufferLimit | null {
  const words = text.trim().split(/\s+/);
  for (let index = 0; index + 3 < words.length; index += 4) {
    const name = words[index]!.toLowerCase();
    if (name !== 'slave' && name !== 'replica') continue;
    const [hardBytes, softBytes, softSeconds] = words.slice(index + 1, index + 4).map(Number) as [number, number, number];
    if ([hardBytes, softBytes, softSeconds].every(Number.isFinite)) return { hardBytes, softBytes, softSeconds };
  }
  return null;
}

/** The settings, or null when CONFIG GET is refused (or unknown). */
export async function readReplicationConfig(client: Redis): Promise<ReplicationConfig | null> {
  let reply: unknown;
  try {
    reply = await client.call('CONFIG', 'GET', ...CONFIG_NAMES);
  } catch {
    return null;
  }
  if (!Array.isArray(reply)) return null;
  const values = new Map<string, string>();
  for (let index = 0; index + 1 < reply.length; index += 2) values.set(String(reply[index]), String(reply[index + 1]));
  const read = (name: string, fallback: number): number => {
    const value = Number(values.get(name));
    return values.has(name) && Number.isFinite(value) ? value : fallback;
  };
  return {
    minReplicasToWrite: read('min-replicas-to-write', 0),
    minReplicasMaxLag: read('min-replicas-max-lag', 10),
    disklessSync: isDisklessSync(values.get('repl-diskless-sync')),
    disklessSyncDelay: read('repl-diskless-sync-delay', 5),
    replTimeout: read('repl-timeout', DEFAULT_REPL_TIMEOUT),
    backlogSize: read('repl-backlog-size', 1024 * 1024),
    replicaOutputLimit: parseReplicaOutputLimit(values.get('client-output-buffer-limit') ?? ''),
  };
}

/**
 * The bytes a replica may fall behind before the master closes it: Redis
 * raises a replica's hard limit to repl-backlog-size when it is lower
 * (checkClientOutputBufferLimits), and a soft limit counts only after it has
 * been exceeded for its seconds. 0 = no limit.
 */
export function effectiveHardLimit(limit: OutputBufferLimit, backlogSize: number): number {
  return limit.hardBytes > 0 ? Math.max(limit.hardBytes, backlogSize) : 0;
}
