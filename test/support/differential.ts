/**
 * Differential testing: the same command script runs against a real
 * redis-server and our engine, on fresh connections in the same protocol,
 * and every reply must match byte for byte, except where a step says its
 * reply is legitimately nondeterministic (unordered collections, random
 * picks, timings) and how to compare it instead.
 */
import { RespConnection } from './resp-connection';
import { parseReply } from './resp-reply-parser';

export type Compare =
  /** Raw bytes equal (the default). */
  | 'exact'
  /** Same reply after sorting the elements of a top-level array/set (order not defined). */
  | 'unordered'
  /** Same RESP type and, for aggregates, same length (random members, counts only). */
  | 'shape'
  /** Not compared (still executed on both). */
  | 'ignore';

/** Maps a raw reply to the text compared (a reply parts of which legitimately differ). */
export type Normalizer = (raw: Buffer) => string;

export interface Step {
  readonly cmd: ReadonlyArray<string | number | Buffer>;
  readonly compare?: Compare | Normalizer;
  /** Raw bytes to send instead of cmd (malformed input tests); reply read the same way. */
  readonly raw?: Buffer | string;
  /**
   * The connection to use, by name (default: one shared connection). Each
   * name is its own client on both peers, opened at its first step and
   * opened again after the server closed it; a reply that never comes
   * because the server closed the connection reads as "<closed>".
   */
  readonly session?: string;
}

export interface Mismatch {
  readonly index: number;
  readonly command: string;
  readonly redis: string;
  readonly ours: string;
}

export interface PeerAddress {
  readonly host?: string;
  readonly port: number;
}

function describe(step: Step): string {
  if (step.raw !== undefined) return `raw ${JSON.stringify(step.raw.toString())}`;
  return step.cmd.map((a) => (Buffer.isBuffer(a) ? `<${a.length} bytes>` : String(a))).join(' ').slice(0, 200);
}

function sortedElements(raw: Buffer): string {
  const parsed = parseReply(raw);
  if (!parsed || !Array.isArray(parsed.value)) return raw.toString('latin1');
  return JSON.stringify((parsed.value as unknown[]).map((v) => JSON.stringify(v, bigintReplacer)).sort());
}

function shapeOf(raw: Buffer): string {
  const parsed = parseReply(raw);
  const type = String.fromCharCode(raw[0] ?? 0);
  if (parsed && Array.isArray(parsed.value)) return `${type}${parsed.value.length}`;
  if (parsed && parsed.value instanceof Map) return `${type}${parsed.value.size}`;
  return type;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

function show(raw: Buffer): string {
  return JSON.stringify(raw.toString('latin1')).slice(0, 400);
}

/**
 * Runs the script on both peers (each on one new connection, after HELLO
 * <protocol> when protocol is 3) and returns every mismatch.
 */
export async function runDifferential(redis: PeerAddress, ours: PeerAddress, steps: ReadonlyArray<Step>, protocol: 2 | 3 = 2): Promise<Mismatch[]> {
  // A connection the server closed answers "<closed>" once (the step that
  // finds it closed), then the session opens a new one.
  const sessions = new Map<string, [RespConnection, RespConnection]>();
  const reported = new Set<RespConnection>();
  const connect = async (port: number, host: string | undefined): Promise<RespConnection> => {
    const connection = new RespConnection(host ?? '127.0.0.1', port);
    if (protocol === 3) await connection.call('HELLO', '3');
    return connection;
  };
  const open = async (name: string): Promise<[RespConnection, RespConnection]> => {
    const existing = sessions.get(name);
    const pair: [RespConnection, RespConnection] = [
      existing && !reported.has(existing[0]) ? existing[0] : await connect(redis.port, redis.host),
      existing && !reported.has(existing[1]) ? existing[1] : await connect(ours.port, ours.host),
    ];
    sessions.set(name, pair);
    return pair;
  };
  const exchangeOn = async (connection: RespConnection, step: Step): Promise<Buffer> => {
    const raw = connection.closed ? CLOSED : await exchange(connection, step);
    if (raw === CLOSED) reported.add(connection);
    return raw;
  };
  const mismatches: Mismatch[] = [];
  try {
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      const [a, b] = await open(step.session ?? '');
      const [ra, rb] = await Promise.all([exchangeOn(a, step), exchangeOn(b, step)]);
      const mode = step.compare ?? 'exact';
      let equal: boolean;
      if (typeof mode === 'function') {
        equal = mode(ra) === mode(rb);
      } else {
        switch (mode) {
          case 'exact': equal = ra.equals(rb); break;
          case 'unordered': equal = sortedElements(ra) === sortedElements(rb); break;
          case 'shape': equal = shapeOf(ra) === shapeOf(rb); break;
          case 'ignore': equal = true; break;
        }
      }
      if (!equal) mismatches.push({ index, command: describe(step), redis: show(ra), ours: show(rb) });
    }
  } finally {
    for (const pair of sessions.values()) pair.forEach((connection) => connection.close());
  }
  return mismatches;
}

const CLOSED = Buffer.from('<closed>');

async function exchange(connection: RespConnection, step: Step): Promise<Buffer> {
  try {
    if (step.raw !== undefined) {
      const reply = connection.nextReply();
      await connection.writeRaw(step.raw);
      return (await reply).raw;
    }
    return (await connection.callRaw(...step.cmd)).raw;
  } catch (failure) {
    // Closed by the server: seen as a failed read, or (the FIN arrived first) a write refused with EPIPE.
    if (connection.closed || (failure as NodeJS.ErrnoException).code === 'EPIPE') {
      connection.close();
      return CLOSED;
    }
    throw failure;
  }
}

/** Shorthand: a step from words. */
export function step(...cmd: Array<string | number | Buffer>): Step {
  return { cmd };
}

export function unordered(...cmd: Array<string | number | Buffer>): Step {
  return { cmd, compare: 'unordered' };
}

export function shape(...cmd: Array<string | number | Buffer>): Step {
  return { cmd, compare: 'shape' };
}
