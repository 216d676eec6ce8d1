/**
 * A Sentinel-managed group for scenarios: a master and its replicas as
 * ScenarioNodes of either kind (Sentinel drives them with INFO, hello
 * messages over pub/sub, and MULTI / SLAVEOF / CONFIG REWRITE / CLIENT KILL
 * TYPE normal / EXEC; our engine takes all of it), watched by a group of
 * real redis-sentinel processes (three, quorum two) with
 * short timers so a failover finishes in seconds: down-after-milliseconds
 * 3000 (SENTINEL_DOWN_AFTER_MS), failover-timeout 5000. Stopped by
 * useScenarioCleanup.
 *
 * The replicas keep redis-server's default repl-diskless-sync-delay (5 s):
 * a replica Sentinel promotes then waits, as it would in production, before
 * it streams a snapshot to the old master it will be given.
 */
import type { ProfileFields } from '../../../shared/contract/profiles';
import type { RedisProcess } from '../../support/redis-server';
import { SENTINEL_DOWN_AFTER_MS, sentinelMasterAddress, startSentinels, type SentinelOptions } from '../../support/sentinel-group';
import { waitFor } from '../../support/wait';
import { startNode, type NodeKind, type ScenarioNode } from './scenario-node';
import { waitForGroupInSync } from './topology';

export interface SentinelScenario {
  readonly name: string;
  readonly master: ScenarioNode;
  readonly replicas: readonly ScenarioNode[];
  readonly nodes: readonly ScenarioNode[];
  readonly sentinels: readonly RedisProcess[];
  /** The node with this console id. */
  node(id: string): ScenarioNode;
  /** What the console profile needs to attach through the Sentinels (ConsoleUnderTest.attach's `profile`). */
  profile(): Partial<ProfileFields>;
  /** Waits until the (first) Sentinel reports a master other than `than`; returns its id. */
  waitForNewMaster(than: string, timeoutMs?: number): Promise<string>;
}

export async function startSentinelScenario(options: SentinelOptions & { readonly replicas?: number; readonly args?: ReadonlyArray<string>; readonly kind?: NodeKind } = {}): Promise<SentinelScenario> {
  const name = options.name ?? 'mymaster';
  const kind = options.kind ?? 'redis';
  const master = await startNode(kind, { name: 'master', args: options.args ?? [] });
  const replicas: ScenarioNode[] = [];
  for (let index = 1; index <= (options.replicas ?? 2); index++) {
    replicas.push(await startNode(kind, { name: `replica-${index}`, replicaOf: master, args: ['--repl-diskless-sync-delay', '5', ...(options.args ?? [])] }));
  }
  await waitForGroupInSync(master, replicas);
  const sentinels = await startSentinels(master, replicas.length, { downAfterMs: SENTINEL_DOWN_AFTER_MS, failoverTimeoutMs: 5000, ...options, name });
  const nodes = [master, ...replicas];
  return {
    name,
    master,
    replicas,
    nodes,
    sentinels,
    node: (id) => {
      const found = nodes.find((node) => node.id === id);
      if (!found) throw new Error(`no node ${id} in the Sentinel group ${name}`);
      return found;
    },
    profile: () => ({ name, kind: 'sentinel', seeds: sentinels.map((sentinel) => ({ host: '127.0.0.1', port: sentinel.port })), sentinelMasterName: name }),
    async waitForNewMaster(than, timeoutMs = 30_000) {
      let address = '';
      await waitFor(async () => {
        address = await sentinelMasterAddress(sentinels[0]!, name);
        return address !== '' && address !== than;
      }, { timeoutMs, intervalMs: 100, what: `Sentinel to report a master other than ${than}` });
      return address;
    },
  };
}
