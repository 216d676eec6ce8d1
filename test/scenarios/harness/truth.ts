/**
 * The nodes' own truth, which scenarios hold the console's claims against:
 * their INFO replication/stats fields (offsets, resync counters, link state,
 * replid) and their log lines. Nothing here goes through the console.
 */
import { waitFor } from '../../support/wait';
import type { LogMark, ScenarioNode } from './scenario-node';

export interface ReplicaLine {
  readonly id: string;
  readonly state: string;
  /** The offset the replica last acknowledged (REPLCONF ACK, about once a second). */
  readonly ackOffset: number;
  readonly lagSeconds: number;
}

export interface ReplicationTruth {
  readonly role: 'master' | 'slave';
  readonly runId: string;
  readonly replid: string;
  readonly replid2: string;
  readonly masterReplOffset: number;
  /** Replica only: the offset it has applied (null on a master). */
  readonly slaveReplOffset: number | null;
  readonly masterLinkStatus: 'up' | 'down' | null;
  /** Replica only: "host:port" of its master. */
  readonly masterId: string | null;
  readonly syncFull: number;
  readonly syncPartialOk: number;
  readonly syncPartialErr: number;
  readonly backlogSize: number;
  readonly backlogFirstByte: number;
  readonly backlogHistlen: number;
  readonly replicas: readonly ReplicaLine[];
}

function number(fields: Map<string, string>, name: string): number {
  const value = Number(fields.get(name));
  if (!Number.isFinite(value)) throw new Error(`INFO has no numeric ${name}`);
  return value;
}

export async function replicationTruth(node: ScenarioNode): Promise<ReplicationTruth> {
  const fields = await node.info('everything');
  const role = fields.get('role');
  if (role !== 'master' && role !== 'slave') throw new Error(`${node.name}: INFO role is ${role}`);
  const replicas: ReplicaLine[] = [];
  for (let index = 0; fields.has(`slave${index}`); index++) {
    const parts = new Map(fields.get(`slave${index}`)!.split(',').map((pair) => pair.split('=') as [string, string]));
    replicas.push({ id: `${parts.get('ip')}:${parts.get('port')}`, state: parts.get('state') ?? '', ackOffset: Number(parts.get('offset')), lagSeconds: Number(parts.get('lag')) });
  }
  const link = fields.get('master_link_status');
  return {
    role,
    runId: fields.get('run_id') ?? '',
    replid: fields.get('master_replid') ?? '',
    replid2: fields.get('master_replid2') ?? '',
    masterReplOffset: number(fields, 'master_repl_offset'),
    slaveReplOffset: role === 'slave' ? number(fields, 'slave_repl_offset') : null,
    masterLinkStatus: link === 'up' || link === 'down' ? link : null,
    masterId: role === 'slave' ? `${fields.get('master_host')}:${fields.get('master_port')}` : null,
    syncFull: number(fields, 'sync_full'),
    syncPartialOk: number(fields, 'sync_partial_ok'),
    syncPartialErr: number(fields, 'sync_partial_err'),
    backlogSize: number(fields, 'repl_backlog_size'),
    backlogFirstByte: number(fields, 'repl_backlog_first_byte_offset'),
    backlogHistlen: number(fields, 'repl_backlog_histlen'),
    replicas,
  };
}

/** Log lines every scenario reads the same way (the wording of redis-server 7.0, which our engine keeps). */
export const LOG = {
  /** Master side: a PSYNC it accepted. */
  partialAccepted: /Partial resynchronization request from .* accepted/,
  /** Master side: a PSYNC it refused (replid mismatch, or a second-id offset too high). */
  partialNotAccepted: /Partial resynchronization not accepted/,
  /** Master side: a PSYNC with the history it took over, for an offset past the promotion point: (requested) (up to). */
  secondIdOffsetTooHigh: /Partial resynchronization not accepted: Requested offset for second ID was (\d+), but I can reply up to (\d+)/,
  /** Master side: a PSYNC with a history it does not know. */
  replidMismatch: /Partial resynchronization not accepted: Replication ID mismatch/,
  /** Master side: a PSYNC refused because the offset left the backlog. */
  lackOfBacklog: /Unable to partial resync with replica .* for lack of backlog/,
  /** Master side: a replica asked for everything (PSYNC ? -1). */
  fullResyncRequested: /Full resync requested by replica/,
  /** Master side: a snapshot started for one or more replicas. */
  snapshotForSync: /Starting BGSAVE for SYNC/,
  /** Replica side: its PSYNC was accepted. */
  replicaPartialOk: /Successful partial resynchronization with master/,
  /** Replica side: its master answered +FULLRESYNC (a refused PSYNC, or one asking for everything). */
  replicaFullResync: /Full resync from master: /,
  /** Replica side: it had nothing to continue from. */
  replicaNoCache: /Partial resynchronization not possible \(no cached master\)/,
  /** Replica side: its link to the master dropped. */
  replicaMasterLost: /Connection with master lost/,
  /** Replica side: dialling its master again was refused (nothing listens there any more). */
  replicaDialRefused: /Error condition on socket for SYNC: Connection refused/,
} as const;

/** `text` matched literally inside a RegExp (node ids carry dots, notices carry '+'). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How many lines of the node's log since `mark` match. */
export function countLog(node: ScenarioNode, pattern: RegExp, since: LogMark = { offset: 0 }): number {
  return node.logSince(since).split('\n').filter((line) => pattern.test(line)).length;
}

/** The lines of the node's log since `mark` that match (for failure messages and figures). */
export function logLines(node: ScenarioNode, pattern: RegExp, since: LogMark = { offset: 0 }): string[] {
  return node.logSince(since).split('\n').filter((line) => pattern.test(line));
}

export async function waitForLog(node: ScenarioNode, pattern: RegExp, since: LogMark, timeoutMs = 20_000): Promise<string> {
  let found: string | undefined;
  await waitFor(() => {
    found = logLines(node, pattern, since)[0];
    return found !== undefined;
  }, { timeoutMs, intervalMs: 50, what: `${node.name} to log ${pattern}` });
  return found!;
}

/** The counters a resync moves on a master, as deltas between two readings. */
export function counterDelta(before: ReplicationTruth, after: ReplicationTruth): { full: number; partialOk: number; partialErr: number } {
  return { full: after.syncFull - before.syncFull, partialOk: after.syncPartialOk - before.syncPartialOk, partialErr: after.syncPartialErr - before.syncPartialErr };
}
