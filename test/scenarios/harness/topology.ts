/**
 * Replication groups for scenarios, built from ScenarioNodes of one kind:
 *
 *   pair          master -> replica-1
 *   two-replicas  master -> replica-1, master -> replica-2
 *   chain         master -> replica-1 -> sub-replica
 *   full          master -> replica-1 -> sub-replica, master -> replica-2
 *                 (the shape issue 15 was found on: two replicas and a
 *                 chained sub-replica)
 *
 * `startGroup` returns once every link is up and every node has the
 * master's offset, so a scenario starts from a quiet, synced group.
 */
import { waitFor } from '../../support/wait';
import { startNode, type NodeKind, type ScenarioNode } from './scenario-node';
import { replicationTruth } from './truth';

export type GroupShape = 'pair' | 'two-replicas' | 'chain' | 'full';

export interface GroupOptions {
  readonly shape: GroupShape;
  /** Options for every node. */
  readonly args?: ReadonlyArray<string>;
  /** Options for the master only (after `args`). */
  readonly masterArgs?: ReadonlyArray<string>;
  /** Options for the replicas only (after `args`). */
  readonly replicaArgs?: ReadonlyArray<string>;
}

export interface Group {
  readonly kind: NodeKind;
  readonly master: ScenarioNode;
  /** Every node but the master, in start order. */
  readonly replicas: readonly ScenarioNode[];
  readonly nodes: readonly ScenarioNode[];
  /** A node by the name the shape gives it. */
  node(name: string): ScenarioNode;
  /** The node a replica replicates from, by the shape. */
  upstreamOf(node: ScenarioNode): ScenarioNode;
}

const SHAPES: Record<GroupShape, ReadonlyArray<readonly [name: string, upstream: string]>> = {
  pair: [['replica-1', 'master']],
  'two-replicas': [['replica-1', 'master'], ['replica-2', 'master']],
  chain: [['replica-1', 'master'], ['sub-replica', 'replica-1']],
  full: [['replica-1', 'master'], ['replica-2', 'master'], ['sub-replica', 'replica-1']],
};

export async function startGroup(kind: NodeKind, options: GroupOptions): Promise<Group> {
  const master = await startNode(kind, { name: 'master', args: [...(options.args ?? []), ...(options.masterArgs ?? [])] });
  const byName = new Map<string, ScenarioNode>([['master', master]]);
  const upstreams = new Map<ScenarioNode, ScenarioNode>();
  // Level by level (replicas of the master, then theirs), each level started in parallel.
  let pending = [...SHAPES[options.shape]];
  while (pending.length > 0) {
    const ready = pending.filter(([, upstreamName]) => byName.has(upstreamName));
    pending = pending.filter((entry) => !ready.includes(entry));
    const started = await Promise.all(ready.map(([name, upstreamName]) => {
      const upstream = byName.get(upstreamName)!;
      return startNode(kind, { name, replicaOf: upstream, args: [...(options.args ?? []), ...(options.replicaArgs ?? [])] }).then((replica) => ({ name, replica, upstream }));
    }));
    for (const { name, replica, upstream } of started) {
      byName.set(name, replica);
      upstreams.set(replica, upstream);
    }
  }
  const order = SHAPES[options.shape].map(([name]) => byName.get(name)!);
  const replicas = order;
  await waitForGroupInSync(master, replicas);
  return {
    kind,
    master,
    replicas,
    nodes: [master, ...replicas],
    node: (name) => {
      const found = byName.get(name);
      if (!found) throw new Error(`no node ${name} in this ${options.shape} group`);
      return found;
    },
    upstreamOf: (node) => {
      const found = upstreams.get(node);
      if (!found) throw new Error(`${node.name} has no upstream`);
      return found;
    },
  };
}

/** Every replica's link is up and its offset equals the master's. */
export async function waitForGroupInSync(master: ScenarioNode, replicas: readonly ScenarioNode[], timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => {
    const [top, ...rest] = await Promise.all([master, ...replicas].map((node) => replicationTruth(node)));
    return rest.every((truth) => truth.masterLinkStatus === 'up' && truth.masterReplOffset === top!.masterReplOffset);
  }, { timeoutMs, intervalMs: 100, what: `${replicas.map((replica) => replica.name).join(', ')} in sync with ${master.name}` });
}
