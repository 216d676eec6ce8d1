/**
 * Reads the node facts of nodes.facts (shared/contract/node-facts.ts) over
 * the node's console connection: SLOWLOG LEN and GET, LATENCY LATEST, CLIENT
 * LIST TYPE replica. Read-only commands only, sent together (one round trip
 * with ioredis's pipelining); each answers or fails on its own, and a
 * failure becomes a FactProblem in words (an ACL user without +slowlog sees
 * Redis's NOPERM line, then that it may not run SLOWLOG, not an error box),
 * never a failed request.
 *
 * Replies as Redis 7.0 gives them:
 *   SLOWLOG GET   [[id, unix seconds, microseconds, [arg...], "ip:port", name], ...]
 *   LATENCY LATEST [[event, unix seconds, latest ms, max ms], ...]
 *   CLIENT LIST   one "k=v k=v ..." line per client
 */
import type { Redis } from 'ioredis';
import type { FactProblem, LatencyEvent, NodeFacts, ReplicaClient, SlowlogEntry } from '../../../shared/contract/node-facts';

const COMMAND_TEXT_LIMIT = 200;

/** Reads every fact of one node; `log` is the embedded node's recent lines (null for other nodes). */
export async function readNodeFacts(client: Redis, nodeId: string, options: { slowlogCount: number; log: string[] | null }): Promise<NodeFacts> {
  const [length, entries, latency, replicas] = await Promise.all([
    attempt(() => client.call('SLOWLOG', 'LEN'), 'SLOWLOG LEN', '+slowlog'),
    attempt(() => client.call('SLOWLOG', 'GET', String(options.slowlogCount)), 'SLOWLOG GET', '+slowlog'),
    attempt(() => client.call('LATENCY', 'LATEST'), 'LATENCY LATEST', '+latency'),
    attempt(() => client.call('CLIENT', 'LIST', 'TYPE', 'replica'), 'CLIENT LIST', '+client|list'),
  ]);
  return {
    nodeId,
    readAt: Date.now(),
    slowlog: {
      length: length.ok && typeof length.value === 'number' ? length.value : null,
      entries: entries.ok ? slowlogEntries(entries.value) : [],
      problem: entries.ok ? (length.ok ? null : length.problem) : entries.problem,
    },
    latency: { events: latency.ok ? latencyEvents(latency.value) : [], problem: latency.ok ? null : latency.problem },
    replicaClients: { clients: replicas.ok ? replicaClients(replicas.value) : [], problem: replicas.ok ? null : replicas.problem },
    log: options.log,
  };
}

type Attempt = { ok: true; value: unknown } | { ok: false; problem: FactProblem };

async function attempt(run: () => Promise<unknown>, command: string, grant: string): Promise<Attempt> {
  try {
    return { ok: true, value: await run() };
  } catch (failure) {
    return { ok: false, problem: describeProblem(failure, command, grant) };
  }
}

/** A command's failure in words, with Redis's own error text. */
export function describeProblem(failure: unknown, command: string, grant: string): FactProblem {
  const text = failure instanceof Error ? failure.message : String(failure);
  // Redis's own line first, verbatim (7.0: "NOPERM this user has no permissions to run the 'slowlog|get' command"),
  // then what it means here, as an attach's NOPERM is said (connection-failure.ts).
  if (text.startsWith('NOPERM')) return { kind: 'denied', message: `${command} answered "${text.split('\n')[0]!.trim()}": the ACL user may not run it (grant ${grant} to see it here).` };
  if (/unknown command|unknown subcommand/i.test(text)) return { kind: 'unsupported', message: `This server does not have ${command}. Redis said: ${text}` };
  return { kind: 'failed', message: `${command} failed: ${text}` };
}

function slowlogEntries(reply: unknown): SlowlogEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: SlowlogEntry[] = [];
  for (const raw of reply) {
    if (!Array.isArray(raw) || raw.length < 4) continue;
    const args = Array.isArray(raw[3]) ? raw[3].map(String) : [];
    const command = args.join(' ');
    entries.push({
      id: Number(raw[0]),
      time: Number(raw[1]) * 1000,
      durationMicros: Number(raw[2]),
      command: command.length > COMMAND_TEXT_LIMIT ? `${command.slice(0, COMMAND_TEXT_LIMIT)}…` : command,
      client: raw[4] === undefined || raw[4] === '' ? null : String(raw[4]),
      clientName: raw[5] === undefined || raw[5] === '' ? null : String(raw[5]),
    });
  }
  return entries;
}

function latencyEvents(reply: unknown): LatencyEvent[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter((raw): raw is unknown[] => Array.isArray(raw) && raw.length >= 4).map((raw) => ({
    event: String(raw[0]),
    time: Number(raw[1]) * 1000,
    latestMs: Number(raw[2]),
    maxMs: Number(raw[3]),
  }));
}

/** CLIENT LIST lines into the fields shown; unknown or missing fields are null. */
export function replicaClients(reply: unknown): ReplicaClient[] {
  const text = Buffer.isBuffer(reply) ? reply.toString() : typeof reply === 'string' ? reply : '';
  const clients: ReplicaClient[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = new Map<string, string>();
    for (const pair of line.trim().split(' ')) {
      const eq = pair.indexOf('=');
      if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const number = (name: string): number | null => {
      const value = fields.get(name);
      return value === undefined || value === '' || !Number.isFinite(Number(value)) ? null : Number(value);
    };
    clients.push({
      id: fields.get('id') ?? '?',
      addr: fields.get('addr') ?? '?',
      user: fields.get('user') ?? null,
      ageSeconds: number('age'),
      idleSeconds: number('idle'),
      flags: fields.get('flags') ?? null,
      outputBufferBytes: number('omem'),
      totalMemoryBytes: number('tot-mem'),
      lastCommand: fields.get('cmd') ?? null,
    });
  }
  return clients;
}
