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
 *
 * Age alone cannot tell a reconnect from a replica that connected shortly
 * before the console attached (ages are whole seconds): every connection of
 * a group that started a moment ago is young. What the node proves is
 * which connections it already had: a replica connection listed by CLIENT
 * LIST TYPE replica (its `id`, unique per connection while the process
 * lives) already had its PSYNC (Redis types a connection `replica` only
 * from SYNC/PSYNC on), so its resync was counted before that list was
 * taken. ReplicaConnectionBaselines takes the list on each node's own
 * connection just before its INFO poll (Redis answers in order): a
 * connection in the list taken with the previous INFO did not reconnect
 * since, whatever its age, and is no candidate for the counters' move.
 *
 * The list is asked for only when it can say something new (it was one
 * command per node per poll, as many as INFO). A replica connection exists
 * only from its SYNC/PSYNC, which moves sync_full or sync_partial_ok (a
 * refused PSYNC moves sync_full too); one that goes moves
 * connected_slaves. While the node's last INFO shows the same counters
 * and connected_slaves as the INFO answered right after the last list, no
 * connection came since that list, and it is as good as a new one: a
 * connection it names still existed at every INFO since. It is asked
 * again when they moved, while a move was seen in the last RECENT_MOVE_MS
 * (reconnects come in bursts), and while the last list held a young
 * connection (a group that just started: the first polls after attaching).
 * What that leaves: a connection made between the last INFO and this
 * poll's skipped list is in no list before this poll's INFO, so if another
 * replica reconnects in the very next poll both are candidates there and
 * the resync is "could not be told" (never put down to the wrong replica).
 */
import type { Redis } from 'ioredis';
import { infoString, type InfoFields } from './info-fields';

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
 * most `maxAgeSeconds` old and not among `listedBefore` (connection ids the
 * node listed earlier), with that age; null when CLIENT LIST could not be
 * read on the serving node.
 */
export async function youngReplicaConnections(servingNode: Redis, replicas: ReadonlyMap<string, Redis>, maxAgeSeconds: number, listedBefore: ReadonlySet<string> | null = null): Promise<Map<string, number> | null> {
  let young: Map<string, number>;
  try {
    young = new Map(clientLines(await servingNode.call('CLIENT', 'LIST', 'TYPE', 'replica'))
      .filter((line) => Number(line.fields.get('age')) <= maxAgeSeconds && !(listedBefore?.has(line.fields.get('id') ?? '') ?? false))
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

/** How many lists are kept per node: the one taken with the previous INFO is the one used. */
const BASELINES_KEPT = 3;

interface ConnectionList {
  /** When the reply arrived: before the INFO reply of the same poll, on the same connection. */
  readonly at: number;
  readonly ids: ReadonlySet<string>;
}

/** Lists are asked for on every poll for this long after the counters moved (reconnects come in bursts). */
const RECENT_MOVE_MS = 10_000;

/** What a node's INFO says about its replica connections coming and going (see the comment at the top). */
function connectionCounters(info: InfoFields): string {
  return ['run_id', 'sync_full', 'sync_partial_ok', 'sync_partial_err', 'connected_slaves'].map((field) => infoString(info, field) ?? '?').join(' ');
}

interface ListingState {
  /** When the last list arrived. */
  listedAt: number;
  /** The counters of the first INFO answered after the last list (null until it is). */
  countersAtList: string | null;
  /** Until when lists are asked for anyway: a young connection in the last list, or a recent move. */
  eagerUntil: number;
}

/** The replica connections each node listed just before its INFO polls (see the comment at the top). */
export class ReplicaConnectionBaselines {
  private readonly lists = new Map<string, ConnectionList[]>();
  private readonly denied = new Set<string>();
  private readonly listing = new Map<string, ListingState>();

  /**
   * Call right before a node's INFO poll, on the same connection, with the
   * node's last INFO (and when it was answered): the promise of the list
   * (stored when it arrives), or null when the last list still holds (see
   * the comment at the top). `youngSeconds`: a connection at most this old
   * is young (the age a resync's candidates may have, from the poll
   * interval). A user who may not run CLIENT LIST is asked once, then never again.
   */
  sampleBeforePoll(nodeId: string, client: Redis, lastInfo: { readonly info: InfoFields; readonly time: number } | null, youngSeconds: number): Promise<void> | null {
    if (this.denied.has(nodeId)) return null;
    const state = this.listing.get(nodeId);
    const now = Date.now();
    if (state && lastInfo) {
      const counters = connectionCounters(lastInfo.info);
      if (state.countersAtList === null && lastInfo.time >= state.listedAt) state.countersAtList = counters;
      else if (state.countersAtList !== null && counters !== state.countersAtList) state.eagerUntil = Math.max(state.eagerUntil, now + RECENT_MOVE_MS);
      if (state.countersAtList === counters && now >= state.eagerUntil) return null;
    }
    return client.call('CLIENT', 'LIST', 'TYPE', 'replica').then((reply) => {
      const lines = clientLines(reply);
      const at = Date.now();
      const entries = this.lists.get(nodeId) ?? [];
      entries.push({ at, ids: new Set(lines.map((line) => line.fields.get('id') ?? '')) });
      if (entries.length > BASELINES_KEPT) entries.shift();
      this.lists.set(nodeId, entries);
      const youngest = Math.min(...lines.map((line) => Number(line.fields.get('age'))).filter((age) => Number.isFinite(age)));
      const youngFor = youngest <= youngSeconds ? (youngSeconds - youngest + 1) * 1000 : 0;
      this.listing.set(nodeId, { listedAt: at, countersAtList: null, eagerUntil: Math.max(this.listing.get(nodeId)?.eagerUntil ?? 0, at + youngFor) });
    }, (failure: unknown) => {
      if (failure instanceof Error && /NOPERM|unknown command|unknown subcommand/i.test(failure.message)) this.denied.add(nodeId);
    });
  }

  /**
   * The connection ids the node listed with its INFO answered at `infoAt`
   * (a node's sampledAt) or an earlier one: connections that had their
   * PSYNC before that INFO. Null when none was taken by then. A node that
   * restarted numbers its connections anew: forget() it.
   */
  listedBy(nodeId: string, infoAt: number): ReadonlySet<string> | null {
    const entries = this.lists.get(nodeId) ?? [];
    for (let index = entries.length - 1; index >= 0; index -= 1) if (entries[index]!.at <= infoAt) return entries[index]!.ids;
    return null;
  }

  forget(nodeId: string): void {
    this.lists.delete(nodeId);
    this.listing.delete(nodeId);
  }
}
