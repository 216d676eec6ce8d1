/**
 * A replica of a fresh fake master (fake-master.ts), either a real
 * redis-server 7.0 or our engine (embedded, or the CLI's process), for the
 * differential tests that feed both the same scripted stream. It returns
 * once the fake master has answered the replica's PSYNC with its full sync
 * and the replica reports its link up, so the first command the test sends
 * is streamed, not part of a sync.
 */
import { startEngine, startEngineProcess, type EngineHandle, type EngineProcess } from './engine';
import { startFakeMaster, type FakeMaster } from './fake-master';
import { startRedisServer, type RedisProcess } from './redis-server';
import { waitForSync } from './replication';

/** redis-server or our embedded node. */
export type FakeMasterReplicaKind = 'redis' | 'ours';
/** Those, or our CLI's process (bundled). */
export type FakeMasterReplicaProcessKind = FakeMasterReplicaKind | 'ours-cli';

export interface FakeMasterReplica<R extends RedisProcess | EngineHandle | EngineProcess = RedisProcess | EngineHandle> {
  readonly master: FakeMaster;
  readonly replica: R;
}

/** Configuration after replicaof: each entry a parameter's name and its values. */
export type ReplicaConfig = ReadonlyArray<readonly [string, ...string[]]>;

/**
 * Starts the fake master and its replica, configured with `config` besides
 * replicaof. The master is pushed onto `started` first, so the test file's
 * cleanup closes it even if the replica never syncs; the replica is stopped
 * by the stopAll* of its kind.
 */
export async function replicaOfFakeMaster(kind: 'redis', started: FakeMaster[], config?: ReplicaConfig): Promise<FakeMasterReplica<RedisProcess>>;
export async function replicaOfFakeMaster(kind: 'ours', started: FakeMaster[], config?: ReplicaConfig): Promise<FakeMasterReplica<EngineHandle>>;
export async function replicaOfFakeMaster(kind: 'ours-cli', started: FakeMaster[], config?: ReplicaConfig): Promise<FakeMasterReplica<EngineProcess>>;
export async function replicaOfFakeMaster(kind: FakeMasterReplicaKind, started: FakeMaster[], config?: ReplicaConfig): Promise<FakeMasterReplica>;
export async function replicaOfFakeMaster(kind: FakeMasterReplicaProcessKind, started: FakeMaster[], config?: ReplicaConfig): Promise<FakeMasterReplica<RedisProcess | EngineHandle | EngineProcess>>;
export async function replicaOfFakeMaster(kind: FakeMasterReplicaProcessKind, started: FakeMaster[], config: ReplicaConfig = []): Promise<FakeMasterReplica<RedisProcess | EngineHandle | EngineProcess>> {
  const master = await startFakeMaster();
  started.push(master);
  const all: ReplicaConfig = [['replicaof', '127.0.0.1', String(master.port)], ...config];
  const args = all.flatMap(([name, ...values]) => [`--${name}`, ...values]);
  const replica = kind === 'redis'
    ? await startRedisServer({ args })
    : kind === 'ours-cli'
      ? await startEngineProcess(args, { bundled: true })
      : await startEngine(all.map(([name, ...values]) => [name, values.join(' ')] as const));
  await master.synced();
  await waitForSync(replica);
  return { master, replica };
}
