/**
 * Replication under random writes, both directions at once: our engine as
 * master of a real redis-server replica, and a real redis-server master of
 * our engine as replica. The same generated script runs on both masters
 * (their replies compared as in any differential run); then each replica
 * must reach its master's offset (INFO master_repl_offset, as each node
 * reports it) and all four nodes must hold the same dataset (DEBUG DIGEST).
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

export interface ReplicationOutcome {
  /** The first reply that differed between the two masters, if any. */
  readonly mismatch: FuzzMismatch | null;
  /** master_repl_offset of [master, replica] once the replica caught up, per pair. */
  readonly offsets: { readonly ours: [number, number]; readonly redis: [number, number] };
  /** DEBUG DIGEST of our master, its redis-server replica, redis-server's master, our replica. */
  readonly digests: [string, string, string, string];
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

export async function runReplicated(redisSide: ReplicationPair, oursSide: ReplicationPair, ops: ReadonlyArray<FuzzOp>, protocol: 2 | 3 = 2): Promise<ReplicationOutcome> {
  await Promise.all([configureLike(redisSide.replica, ops), configureLike(oursSide.replica, ops)]);
  const mismatch = await runScript(redisSide.master, oursSide.master, ops, protocol);
  const [oursOffsets, redisOffsets] = await Promise.all([caughtUp(oursSide), caughtUp(redisSide)]);
  const digests = await Promise.all([oursSide.master, oursSide.replica, redisSide.master, redisSide.replica].map(digestOf));
  return { mismatch, offsets: { ours: oursOffsets, redis: redisOffsets }, digests: digests as [string, string, string, string] };
}
