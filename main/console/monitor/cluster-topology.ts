/**
 * Redis Cluster deployments: the shards (slot ranges with a master and its
 * replicas) as one node of the cluster sees them. `CLUSTER SHARDS` (7.0+) is
 * asked first; older servers, or an ACL user who may only run CLUSTER NODES,
 * get the same picture parsed from `CLUSTER NODES`.
 *
 * A node's address is the one the cluster announces (ip, or the endpoint /
 * hostname it was told to announce) with the TLS port when the profile uses
 * TLS and the node has one. Shard health summarises its nodes: "online", or
 * how many are in which other state ("1 failed"), after "cluster_state:fail"
 * when the cluster as a whole is down.
 */
import type { Redis } from 'ioredis';
import type { ClusterShard } from '../../../shared/contract/snapshots';

export interface ClusterNodeAddress {
  readonly host: string;
  readonly port: number;
}

export interface ClusterView {
  readonly shards: ClusterShard[];
  /** Every node the cluster knows, failed ones included. */
  readonly nodes: ClusterNodeAddress[];
  /** cluster_state from CLUSTER INFO ("ok" / "fail"), null when it could not be read. */
  readonly state: string | null;
}

interface ParsedNode {
  readonly clusterId: string;
  readonly address: ClusterNodeAddress;
  readonly role: 'master' | 'replica';
  /** online, failed, loading (CLUSTER SHARDS) or the CLUSTER NODES flags that matter. */
  readonly health: string;
}

interface ParsedShard {
  readonly slotRanges: Array<[number, number]>;
  readonly nodes: ParsedNode[];
}

/** RESP2 maps arrive as flat [key, value, ...] arrays. */
function asMap(reply: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  if (!Array.isArray(reply)) return map;
  for (let i = 0; i + 1 < reply.length; i += 2) map.set(String(reply[i]), reply[i + 1]);
  return map;
}

/** Parses a CLUSTER SHARDS reply (RESP2). */
export function parseClusterShards(reply: unknown, preferTls: boolean): ParsedShard[] {
  if (!Array.isArray(reply)) throw new Error('CLUSTER SHARDS: unexpected reply');
  return reply.map((entry) => {
    const shard = asMap(entry);
    const slots = (shard.get('slots') as unknown[] | undefined ?? []).map(Number);
    const slotRanges: Array<[number, number]> = [];
    for (let i = 0; i + 1 < slots.length; i += 2) slotRanges.push([slots[i]!, slots[i + 1]!]);
    const nodes = ((shard.get('nodes') as unknown[] | undefined) ?? []).map((raw): ParsedNode => {
      const node = asMap(raw);
      const tlsPort = node.get('tls-port');
      const port = Number(preferTls && tlsPort !== undefined ? tlsPort : (node.get('port') ?? tlsPort));
      const endpoint = String(node.get('endpoint') ?? '');
      const host = endpoint && endpoint !== '?' ? endpoint : String(node.get('ip') ?? '');
      return { clusterId: String(node.get('id')), address: { host, port }, role: node.get('role') === 'master' ? 'master' : 'replica', health: String(node.get('health') ?? 'unknown') };
    });
    return { slotRanges, nodes };
  });
}

/** Parses CLUSTER NODES text into the same shards (a master and the replicas naming it). */
export function parseClusterNodes(text: string): ParsedShard[] {
  const masters = new Map<string, ParsedShard>();
  const replicas: Array<{ masterId: string; node: ParsedNode }> = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    if (fields.length < 8) continue;
    const [clusterId, addressField, flagsField, masterId] = fields as [string, string, string, string];
    const flags = new Set(flagsField.split(','));
    if (flags.has('noaddr') || flags.has('handshake')) continue;
    // ip:port@cport[,hostname]
    const [ipPort, hostname] = addressField.split(',');
    const hostPort = ipPort!.split('@')[0]!;
    const colon = hostPort.lastIndexOf(':');
    const host = hostname || hostPort.slice(0, colon);
    const node: ParsedNode = {
      clusterId,
      address: { host, port: Number(hostPort.slice(colon + 1)) },
      role: flags.has('master') ? 'master' : 'replica',
      health: flags.has('fail') ? 'failed' : flags.has('fail?') ? 'suspected failing' : fields[7] === 'connected' ? 'online' : 'disconnected',
    };
    if (node.role === 'master') {
      const slotRanges = fields.slice(8).filter((slot) => !slot.startsWith('[')).map((slot): [number, number] => {
        const [from, to] = slot.split('-').map(Number);
        return [from!, to ?? from!];
      });
      masters.set(clusterId, { slotRanges, nodes: [node] });
    } else replicas.push({ masterId, node });
  }
  for (const { masterId, node } of replicas) {
    const shard = masters.get(masterId);
    if (shard) shard.nodes.push(node);
    else masters.set(`orphan-${node.clusterId}`, { slotRanges: [], nodes: [node] });
  }
  return [...masters.values()];
}

function slotText(ranges: ReadonlyArray<[number, number]>): string {
  if (ranges.length === 0) return 'no slots';
  return ranges.map(([from, to]) => (from === to ? String(from) : `${from}-${to}`)).join(',');
}

/** The snapshot's view of parsed shards, ordered by their first slot. */
export function toClusterView(parsed: ParsedShard[], state: string | null): ClusterView {
  const sorted = [...parsed].sort((a, b) => (a.slotRanges[0]?.[0] ?? 1e9) - (b.slotRanges[0]?.[0] ?? 1e9));
  const shards = sorted.map((shard, index): ClusterShard => {
    const master = shard.nodes.find((node) => node.role === 'master') ?? null;
    // A short summary for the shard's frame: "online", or counts per state
    // ("1 loading": a replica whose gossiped offset is still 0; "1 failed").
    const counts = new Map<string, number>();
    for (const node of shard.nodes) if (node.health !== 'online') counts.set(node.health, (counts.get(node.health) ?? 0) + 1);
    return {
      kind: 'shard',
      name: `shard ${index + 1}`,
      slots: slotText(shard.slotRanges),
      masterId: master ? `${master.address.host}:${master.address.port}` : null,
      nodeIds: shard.nodes.map((node) => `${node.address.host}:${node.address.port}`),
      health: [state !== null && state !== 'ok' ? `cluster_state:${state}` : null, ...[...counts].map(([health, count]) => `${count} ${health}`)].filter(Boolean).join(', ') || 'online',
    };
  });
  const nodes = sorted.flatMap((shard) => shard.nodes.map((node) => node.address)).filter((address) => address.host !== '' && Number.isInteger(address.port) && address.port > 0);
  return { shards, nodes, state };
}

/** Reads the cluster as `client`'s node sees it. */
export async function readCluster(client: Redis, preferTls: boolean): Promise<ClusterView> {
  let parsed: ParsedShard[];
  try {
    parsed = parseClusterShards(await client.call('CLUSTER', 'SHARDS'), preferTls);
  } catch (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    // Before 7.0 (unknown subcommand) or an ACL that only allows CLUSTER NODES.
    if (!/unknown subcommand|NOPERM|unknown command/i.test(message)) throw failure;
    parsed = parseClusterNodes(String(await client.call('CLUSTER', 'NODES')));
  }
  const info = String(await client.call('CLUSTER', 'INFO').catch(() => ''));
  const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? null;
  return toClusterView(parsed, state);
}
