/**
 * Which replicas reconnected to a node lately, from the connections
 * themselves. A link that drops and comes back between two polls looks
 * online both times, and INFO's slaveN lines carry no connection age; but
 * CLIENT LIST TYPE replica on the serving node gives each replica
 * connection's `age` (seconds) and `addr` (the replica's side of the
 * socket), and CLIENT LIST TYPE master on a replica gives `laddr`, the same
 * address seen from the replica (Redis drops its cached peer and socket
 * names when the master link drops, so it is the current socket's). Joining
 * the two names the replica of each young connection.
 *
 * Needs `client|list` on both sides; null when it cannot be read.
 */
import type { Redis } from 'ioredis';

interface ClientLine {
  readonly fields: ReadonlyMap<string, string>;
}

function clientLines(reply: unknown): ClientLine[] {
  return String(reply).split('\n').filter((line) => line.trim() !== '').map((line) => ({
    fields: new Map(line.trim().split(' ').map((pair) => {
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), pair.slice(eq + 1)] as [string, string];
    })),
  }));
}

/**
 * The replicas (among `replicas`) whose connection to the serving node is at
 * most `maxAgeSeconds` old, with that age; null when CLIENT LIST could not be
 * read on the serving node.
 */
export async function youngReplicaConnections(servingNode: Redis, replicas: ReadonlyMap<string, Redis>, maxAgeSeconds: number): Promise<Map<string, number> | null> {
  let young: Map<string, number>;
  try {
    young = new Map(clientLines(await servingNode.call('CLIENT', 'LIST', 'TYPE', 'replica'))
      .filter((line) => Number(line.fields.get('age')) <= maxAgeSeconds)
      .map((line) => [line.fields.get('addr') ?? '', Number(line.fields.get('age'))]));
  } catch {
    return null;
  }
  const found = new Map<string, number>();
  if (young.size === 0) return found;
  await Promise.all([...replicas].map(async ([replicaId, client]) => {
    try {
      const laddr = clientLines(await client.call('CLIENT', 'LIST', 'TYPE', 'master'))[0]?.fields.get('laddr');
      const age = laddr === undefined ? undefined : young.get(laddr);
      if (age !== undefined) found.set(replicaId, age);
    } catch {
      // This replica cannot be asked (ACL, hung): it stays unnamed.
    }
  }));
  return found;
}
