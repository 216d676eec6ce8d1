/**
 * Runs a generated script against a real redis-server and our engine, one
 * operation at a time on both, and returns the first difference: a reply
 * whose canonical text differs (fuzz-compare.ts), a SCAN iteration that
 * found different elements, a DUMP payload one side cannot RESTORE, or a
 * checkpoint where DEBUG DIGEST differs (then the first key whose DEBUG
 * DIGEST-VALUE differs is named). shrinkScript() cuts a failing script down
 * to a minimal reproduction by delta debugging.
 */
import { RespConnection } from '../resp-connection';
import { canonicalReply, type Compare } from './fuzz-compare';
import { CONFIG_DEFAULTS, type FuzzOp } from './fuzz-generator';
import type { Arg } from './fuzz-values';

export interface PeerAddress {
  readonly port: number;
  readonly host?: string;
}

export interface FuzzMismatch {
  /** Index of the operation in the script. */
  readonly index: number;
  readonly what: string;
  readonly redis: string;
  readonly ours: string;
}

type Pair = [RespConnection, RespConnection];

export function describeArg(arg: Arg): string {
  const text = Buffer.isBuffer(arg) ? arg.toString('latin1') : arg;
  return /^[\x21-\x7e]+$/.test(text) ? text : JSON.stringify(text);
}

export function describeOp(op: FuzzOp): string {
  switch (op.kind) {
    case 'command': return op.cmd.map(describeArg).join(' ');
    case 'scan': return `scan: ${op.cmd.map(describeArg).join(' ')}`;
    case 'dump-restore': return `DUMP ${op.source} / RESTORE ${op.target} 0 <other peer's payload> REPLACE`;
    case 'checkpoint': return 'DEBUG DIGEST';
  }
}

function show(raw: Buffer | string): string {
  return JSON.stringify(Buffer.isBuffer(raw) ? raw.toString('latin1') : raw).slice(0, 600);
}

async function open(peer: PeerAddress, protocol: 2 | 3): Promise<RespConnection> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  if (protocol === 3) await connection.call('HELLO', '3');
  return connection;
}

/** Puts a peer back to the state every script starts from. */
async function reset(connection: RespConnection): Promise<void> {
  await connection.pipeline([['FLUSHALL'], ['SCRIPT', 'FLUSH'], ...CONFIG_DEFAULTS.map(([name, value]) => ['CONFIG', 'SET', name, value])]);
}

async function raw(connection: RespConnection, cmd: ReadonlyArray<Arg>): Promise<Buffer> {
  if (connection.closed) return Buffer.from('<closed>');
  try {
    return (await connection.callRaw(...cmd)).raw;
  } catch (failure) {
    if (connection.closed) return Buffer.from('<closed>');
    throw failure;
  }
}

/** A whole SCAN-family iteration: the elements (or field=value pairs) found, sorted and unique, or the first error. */
async function scanAll(connection: RespConnection, op: Extract<FuzzOp, { kind: 'scan' }>): Promise<string> {
  const found = new Set<string>();
  let cursor = '0';
  for (let round = 0; round < 10_000; round++) {
    const cmd = [...op.cmd];
    cmd[op.cursorAt] = cursor;
    const reply = await connection.callRaw(...cmd);
    if (!Array.isArray(reply.value)) return reply.raw.toString('latin1');
    const [next, items] = reply.value as [string, unknown];
    const elements = items instanceof Map ? [...items].flat() : (items as string[]);
    for (let i = 0; i < elements.length; i += op.pairs ? 2 : 1) {
      found.add(op.pairs ? `${String(elements[i])}=${String(elements[i + 1])}` : String(elements[i]));
    }
    cursor = next;
    if (cursor === '0') return JSON.stringify([...found].sort());
  }
  return '<scan did not end>';
}

async function keysOfEveryDb(connection: RespConnection): Promise<string[]> {
  const keys: string[] = [];
  for (const db of ['0', '1']) {
    await connection.call('SELECT', db);
    for (const key of (await connection.call('KEYS', '*')) as string[]) keys.push(`${db}:${key}`);
  }
  await connection.call('SELECT', '0');
  return keys.sort();
}

async function keyDigests(connection: RespConnection, keys: ReadonlyArray<string>): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const entry of keys) {
    const [db, key] = [entry.slice(0, 1), entry.slice(2)];
    await connection.call('SELECT', db);
    const [value] = (await connection.call('DEBUG', 'DIGEST-VALUE', Buffer.from(key, 'latin1'))) as string[];
    const type = await connection.call('TYPE', Buffer.from(key, 'latin1'));
    digests.set(entry, `${String(type)} ${String(value)}`);
  }
  await connection.call('SELECT', '0');
  return digests;
}

/** Compares the datasets; on a difference names the keys that differ. */
async function checkpoint(control: Pair): Promise<{ redis: string; ours: string } | null> {
  const [a, b] = await Promise.all([control[0].call('DEBUG', 'DIGEST'), control[1].call('DEBUG', 'DIGEST')]);
  if (a === b) return null;
  const [keysA, keysB] = await Promise.all([keysOfEveryDb(control[0]), keysOfEveryDb(control[1])]);
  if (keysA.join('\n') !== keysB.join('\n')) return { redis: `digest ${String(a)} keys ${keysA.join(' ')}`, ours: `digest ${String(b)} keys ${keysB.join(' ')}` };
  const [digestsA, digestsB] = await Promise.all([keyDigests(control[0], keysA), keyDigests(control[1], keysB)]);
  const differing = keysA.filter((key) => digestsA.get(key) !== digestsB.get(key));
  return { redis: `digest ${String(a)}; differing keys: ${differing.map((key) => `${key} (${digestsA.get(key)})`).join(', ')}`, ours: `digest ${String(b)}; ${differing.map((key) => `${key} (${digestsB.get(key)})`).join(', ')}` };
}

/** The datasets of two nodes compared as at a checkpoint: null when equal, else the keys that differ. */
export async function datasetDifference(a: PeerAddress, b: PeerAddress): Promise<{ redis: string; ours: string } | null> {
  const control: Pair = [await open(a, 2), await open(b, 2)];
  try {
    return await checkpoint(control);
  } finally {
    control.forEach((connection) => connection.close());
  }
}

async function dumpRestore(pair: Pair, op: Extract<FuzzOp, { kind: 'dump-restore' }>): Promise<{ redis: string; ours: string } | null> {
  const dumps = await Promise.all(pair.map((connection) => connection.callRaw('DUMP', op.source)));
  const [da, db] = dumps.map((dump) => dump.value);
  if (typeof da !== 'string' || typeof db !== 'string') {
    return dumps[0]!.raw.equals(dumps[1]!.raw) ? null : { redis: show(dumps[0]!.raw), ours: show(dumps[1]!.raw) };
  }
  // Each side restores the other's payload: our DUMP must load in redis-server, and its DUMP in ours.
  const [ra, rb] = await Promise.all([
    raw(pair[0], ['RESTORE', op.target, '0', Buffer.from(db, 'latin1'), 'REPLACE']),
    raw(pair[1], ['RESTORE', op.target, '0', Buffer.from(da, 'latin1'), 'REPLACE']),
  ]);
  return ra.equals(rb) ? null : { redis: `RESTORE of our payload: ${show(ra)}`, ours: `RESTORE of redis-server's payload: ${show(rb)}` };
}

/**
 * Runs the script on both peers (after resetting them) and returns its
 * first difference, or null. `protocol` 3 sends HELLO 3 first.
 */
export async function runScript(redis: PeerAddress, ours: PeerAddress, ops: ReadonlyArray<FuzzOp>, protocol: 2 | 3 = 2): Promise<FuzzMismatch | null> {
  const pair: Pair = [await open(redis, protocol), await open(ours, protocol)];
  const control: Pair = [await open(redis, 2), await open(ours, 2)];
  try {
    await Promise.all(control.map(reset));
    let queued: Compare[] | null = null;
    for (let index = 0; index < ops.length; index++) {
      const op = ops[index]!;
      if (process.env.FUZZ_TRACE) console.log('OP', index, describeOp(op).slice(0, 200));
      let difference: { redis: string; ours: string } | null = null;
      switch (op.kind) {
        case 'command': {
          const [ra, rb] = await Promise.all(pair.map((connection) => raw(connection, op.cmd)));
          const name = String(op.cmd[0]).toUpperCase();
          // Inside MULTI a command's own reply is QUEUED (compared exactly); EXEC's
          // elements are compared each by the mode of the command it ran.
          let mode: Compare = op.compare ?? 'exact';
          if (queued !== null && (name === 'EXEC' || name === 'DISCARD')) {
            mode = name === 'EXEC' ? { each: queued } : 'exact';
            queued = null;
          } else if (queued !== null) {
            if (ra!.toString('latin1') === '+QUEUED\r\n') queued.push(mode);
            mode = 'exact';
          } else if (name === 'MULTI' && ra!.toString('latin1') === '+OK\r\n') {
            queued = [];
          }
          if (canonicalReply(ra!, mode) !== canonicalReply(rb!, mode)) difference = { redis: show(ra!), ours: show(rb!) };
          break;
        }
        case 'scan': {
          const [sa, sb] = await Promise.all(pair.map((connection) => scanAll(connection, op)));
          if (sa !== sb) difference = { redis: show(sa!), ours: show(sb!) };
          break;
        }
        case 'dump-restore':
          difference = await dumpRestore(pair, op);
          break;
        case 'checkpoint':
          difference = await checkpoint(control);
          break;
      }
      if (difference) return { index, what: describeOp(op), ...difference };
    }
    return null;
  } finally {
    for (const connection of [...pair, ...control]) connection.close();
  }
}

/** What identifies a failure while shrinking: the same operation fails, whatever its arguments' neighbours. */
function signature(op: FuzzOp): string {
  return op.kind === 'command' ? `command ${String(op.cmd[0]).toUpperCase()}` : op.kind;
}

/**
 * Delta debugging (ddmin) over the operations before the failing one: the
 * smallest script found that still fails at an operation of the same kind.
 * Returns the script and its mismatch.
 */
export async function shrinkScript(redis: PeerAddress, ours: PeerAddress, ops: ReadonlyArray<FuzzOp>, mismatch: FuzzMismatch, protocol: 2 | 3 = 2): Promise<{ ops: FuzzOp[]; mismatch: FuzzMismatch }> {
  const target = signature(ops[mismatch.index]!);
  let current = ops.slice(0, mismatch.index + 1);
  let currentMismatch = mismatch;
  const fails = async (candidate: FuzzOp[]): Promise<FuzzMismatch | null> => {
    const found = await runScript(redis, ours, candidate, protocol);
    return found && signature(candidate[found.index]!) === target ? found : null;
  };
  let chunks = 2;
  while (current.length > 1) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    for (let start = 0; start < current.length; start += size) {
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      if (candidate.length === 0) continue;
      const found = await fails(candidate);
      if (found) {
        current = candidate.slice(0, found.index + 1);
        currentMismatch = found;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size === 1) break;
      chunks = Math.min(chunks * 2, current.length);
    }
  }
  return { ops: current, mismatch: currentMismatch };
}
