/**
 * Replication under random writes, both directions at once: our engine as
 * master of a real redis-server replica, and a real redis-server master of
 * our engine as replica and of a second, real redis-server replica (the
 * truth). The same generated script runs on both masters (their replies
 * compared as in any differential run); then each replica must reach its
 * master's offset (INFO master_repl_offset, as each node reports it).
 *
 * Datasets (DEBUG DIGEST) are compared like for like: the two masters with
 * each other, and each replica with the truth replica. A redis-server
 * replica does not always end with its master's dataset (a write the master
 * keeps but never propagates, e.g. a BITFIELD whose every write fails under
 * OVERFLOW FAIL still creates its key); our master must then leave its
 * redis-server replica just as far behind, and our replica must hold what a
 * redis-server replica of the same master holds.
 */
import { RespConnection } from '../resp-connection';
import { info, type Peer } from '../replication';
import { waitFor } from '../wait';
import { runScript, type FuzzMismatch } from './fuzz-runner';
import { CONFIG_DEFAULTS, type FuzzOp } from './fuzz-generator';

export interface ReplicationPair {
  readonly master: Peer;
  readonly replica: Peer;
}

/** redis-server's master with our replica, and a redis-server replica of the same master. */
export interface TruthReplicationPair extends ReplicationPair {
  readonly truth: Peer;
}

export interface ReplicationOutcome {
  /** The first reply that differed between the two masters, if any. */
  readonly mismatch: FuzzMismatch | null;
  /** master_repl_offset of [master, replica] once the replica caught up, per pair (truth: redis-server's master and its redis-server replica). */
  readonly offsets: { readonly ours: [number, number]; readonly redis: [number, number]; readonly truth: [number, number] };
  /** DEBUG DIGEST of our master, its redis-server replica, redis-server's master, our replica, the truth replica. */
  readonly digests: [string, string, string, string, string];
}

/**
 * What differs like for like, or null: our master against redis-server's,
 * then the redis-server replica of ours and our replica of redis-server's
 * each against the truth replica.
 */
export function replicationDifference(outcome: ReplicationOutcome): string | null {
  const [oursMaster, redisReplicaOfOurs, redisMaster, oursReplica, truth] = outcome.digests;
  const differences: string[] = [];
  if (oursMaster !== redisMaster) differences.push(`masters: redis-server ${redisMaster}, ours ${oursMaster}`);
  if (redisReplicaOfOurs !== truth) differences.push(`redis-server replica of our master ${redisReplicaOfOurs}, of redis-server's ${truth}`);
  if (oursReplica !== truth) differences.push(`our replica of redis-server's master ${oursReplica}, redis-server's replica ${truth}`);
  return differences.length > 0 ? differences.join('; ') : null;
}

async function offset(peer: Peer): Promise<number> {
  return Number((await info(peer, 'replication')).get('master_repl_offset'));
}

async function digestOf(peer: Peer): Promise<string> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  try {
    return String(await connection.call('DEBUG', 'DIGEST'));
  } finally {
    connection.close();
  }
}

/** Waits until the replica reports its master's offset; returns both. */
async function caughtUp(pair: ReplicationPair): Promise<[number, number]> {
  let last: [number, number] = [0, 0];
  await waitFor(async () => {
    last = [await offset(pair.master), await offset(pair.replica)];
    return last[0] === last[1];
  }, { timeoutMs: 20_000, what: `replica ${pair.replica.port} to reach master ${pair.master.port}'s offset` });
  return last;
}

/**
 * The script's CONFIG SETs (encoding thresholds) applied to a replica too:
 * they are not replicated, and a -0 score survives in a skiplist but not in
 * a listpack, so a replica with other thresholds may rightly differ.
 */
async function configureLike(replica: Peer, ops: ReadonlyArray<FuzzOp>): Promise<void> {
  const connection = new RespConnection(replica.host ?? '127.0.0.1', replica.port);
  try {
    const settings = [...CONFIG_DEFAULTS.map(([name, value]) => ['CONFIG', 'SET', name, value]), ...ops.flatMap((op) => (op.kind === 'command' && String(op.cmd[0]).toUpperCase() === 'CONFIG' ? [op.cmd] : []))];
    await connection.pipeline(settings);
  } finally {
    connection.close();
  }
}

export async function runReplicated(redisSide: TruthReplicationPair, oursSide: ReplicationPair, ops: ReadonlyArray<FuzzOp>, protocol: 2 | 3 = 2): Promise<ReplicationOutcome> {
  await Promise.all([redisSide.replica, oursSide.replica, redisSide.truth].map((replica) => configureLike(replica, ops)));
  const mismatch = await runScript(redisSide.master, oursSide.master, ops, protocol);
  const [oursOffsets, redisOffsets, truthOffsets] = await Promise.all([
    caughtUp(oursSide),
    caughtUp(redisSide),
    caughtUp({ master: redisSide.master, replica: redisSide.truth }),
  ]);
  const digests = await Promise.all([oursSide.master, oursSide.replica, redisSide.master, redisSide.replica, redisSide.truth].map(digestOf));
  return { mismatch, offsets: { ours: oursOffsets, redis: redisOffsets, truth: truthOffsets }, digests: digests as [string, string, string, string, string] };
}
