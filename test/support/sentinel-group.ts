/**
 * A real Sentinel deployment for tests: a redis-server master, its replicas
 * (synced before this returns) and redis-sentinel processes monitoring the
 * master under a group name, each on a free loopback port. Stopped with
 * stopAllRedisServers() like every server the harness starts.
 *
 * `startSentinels` is the Sentinel half alone (for masters started another
 * way, e.g. the scenario harness's nodes): it returns once every Sentinel
 * has found the replicas and the other Sentinels (hello messages every 2 s),
 * since a SENTINEL FAILOVER before that finds no replica to promote and a
 * crash of the master before that reaches no quorum.
 */
import { startRedisServer, type RedisProcess } from './redis-server';
import { waitForSync } from './replication';
import { waitFor } from './wait';

/**
 * down-after-milliseconds for tests that want a quick failover. Not 1000:
 * at +switch-master a Sentinel resets its record of the new master and
 * starts that master's down-after clock, but reconnects (and sends its first
 * PING) at most once a second; when its link to that node was reconnected
 * shortly before (the failover's CLIENT KILL TYPE normal drops it), the PING
 * goes out up to a second after the reset, and with 1000 ms the PONG had
 * almost no time left. On a loaded machine the new master was then +sdown,
 * at once +odown (the other Sentinels' down votes about the old master count
 * for 5 s), and failed over a second time. 3000 leaves the PONG two seconds.
 */
export const SENTINEL_DOWN_AFTER_MS = 3000;

export interface SentinelGroup {
  readonly name: string;
  readonly master: RedisProcess;
  readonly replicas: readonly RedisProcess[];
  readonly sentinels: readonly RedisProcess[];
}

export interface SentinelOptions {
  readonly name?: string;
  readonly sentinels?: number;
  readonly quorum?: number;
  readonly downAfterMs?: number;
  readonly failoverTimeoutMs?: number;
}

export interface SentinelGroupOptions extends SentinelOptions {
  readonly replicas?: number;
}

export async function startSentinels(master: { readonly port: number }, replicaCount: number, options: SentinelOptions = {}): Promise<RedisProcess[]> {
  const name = options.name ?? 'mymaster';
  const sentinelCount = options.sentinels ?? 3;
  const config = [
    `sentinel monitor ${name} 127.0.0.1 ${master.port} ${options.quorum ?? Math.floor(sentinelCount / 2) + 1}`,
    `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 2000}`,
    `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 10000}`,
    '',
  ].join('\n');
  const sentinels: RedisProcess[] = [];
  for (let index = 0; index < sentinelCount; index += 1) sentinels.push(await startRedisServer({ binary: 'redis-sentinel', configText: config }));
  // Every Sentinel has found the replicas and the other Sentinels.
  await waitFor(async () => {
    for (const sentinel of sentinels) {
      const fields = (await sentinel.call('SENTINEL', 'MASTER', name)) as string[];
      const field = (key: string): number => Number(fields[fields.indexOf(key) + 1]);
      if (field('num-slaves') < replicaCount || field('num-other-sentinels') < sentinelCount - 1) return false;
    }
    return true;
  }, { timeoutMs: 20_000, what: `the ${sentinelCount} sentinels of ${name} to see each other and the replicas` });
  return sentinels;
}

export async function startSentinelGroup(options: SentinelGroupOptions = {}): Promise<SentinelGroup> {
  const name = options.name ?? 'mymaster';
  const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
  const replicas: RedisProcess[] = [];
  for (let index = 0; index < (options.replicas ?? 1); index += 1) {
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    replicas.push(replica);
  }
  const sentinels = await startSentinels(master, replicas.length, { ...options, name });
  return { name, master, replicas, sentinels };
}

/** The master address ("host:port") a Sentinel reports for the group. */
export async function sentinelMasterAddress(sentinel: RedisProcess, name: string): Promise<string> {
  const reply = await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name);
  return Array.isArray(reply) ? `${String(reply[0])}:${String(reply[1])}` : '';
}
