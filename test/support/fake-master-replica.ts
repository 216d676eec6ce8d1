/**
 * A replica of a fresh fake master (fake-master.ts), either a real
 * redis-server 7.0 or our engine, for the differential tests that feed both
 * the same scripted stream. It returns once the fake master has answered
 * the replica's PSYNC with its full sync and the replica reports its link
 * up, so the first command the test sends is streamed, not part of a sync.
 */
import { startEngine, type EngineHandle } from './engine';
import { startFakeMaster, type FakeMaster } from './fake-master';
import { startRedisServer, type RedisProcess } from './redis-server';
import { waitForSync } from './replication';

export type FakeMasterReplicaKind = 'redis' | 'ours';

export interface FakeMasterReplica<R extends RedisProcess | EngineHandle = RedisProcess | EngineHandle> {
  readonly master: FakeMaster;
  readonly replica: R;
}

/**
 * Starts the fake master and its replica. The master is pushed onto
 * `started` first, so the test file's cleanup closes it even if the
 * replica never syncs; the replica is stopped by the stopAll* of its kind.
 */
export async function replicaOfFakeMaster(kind: 'redis', started: FakeMaster[]): Promise<FakeMasterReplica<RedisProcess>>;
export async function replicaOfFakeMaster(kind: 'ours', started: FakeMaster[]): Promise<FakeMasterReplica<EngineHandle>>;
export async function replicaOfFakeMaster(kind: FakeMasterReplicaKind, started: FakeMaster[]): Promise<FakeMasterReplica>;
export async function replicaOfFakeMaster(kind: FakeMasterReplicaKind, started: FakeMaster[]): Promise<FakeMasterReplica> {
  const master = await startFakeMaster();
  started.push(master);
  const replica = kind === 'redis'
    ? await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] })
    : await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
  await master.synced();
  await waitForSync(replica);
  return { master, replica };
}
