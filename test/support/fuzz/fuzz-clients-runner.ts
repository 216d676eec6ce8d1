/**
 * Runs a multi-client script (fuzz-clients.ts) on a real redis-server and
 * our engine, step by step, and returns the first step after which some
 * connection received something different.
 *
 * A step is deterministic on both servers because the runner waits for the
 * server to settle before the next one:
 *  - a command's own reply is awaited, unless the command blocked: then the
 *    server's INFO blocked_clients grows by one instead (a short timeout is
 *    waited out: its nil reply is part of the step);
 *  - clients a step served (or unblocked with an error) are those whose
 *    blocking command got its reply; the runner waits until the clients
 *    still waiting are as many as INFO blocked_clients says;
 *  - every observer (keyspace subscriber, tracking clients, the redirect
 *    subscriber) then answers a PING: whatever the server sent it before
 *    (notifications, invalidations) has arrived. An observer whose PING is
 *    not answered within SETTLE_MS stops the run as unsettled, not as a
 *    difference: its frames of the step are incomplete (once, under load,
 *    the PING reply missing made a BCAST invalidation look absent, seed
 *    3054 of 2026-12-06).
 * Then each connection's frames of the step are compared: a command's own
 * reply by its compare mode, everything else byte for byte.
 */
import net from 'node:net';
import { encodeRequest, parseReply } from '../resp-reply-parser';
import { RespConnection } from '../resp-connection';
import { canonicalReply, type Compare } from './fuzz-compare';
import { ACTORS, CLIENTS, CLIENT_CONFIG_DEFAULTS, KEYSPACE_SUBSCRIBER, REDIRECT_SUBSCRIBER, TRACKING_DEFAULT, TRACKING_REDIRECTED, TRACKING_BCAST, trackingOptions, type ClientOp, type ClientScript } from './fuzz-clients';
import { describeArg, type PeerAddress } from './fuzz-runner';
import type { Arg } from './fuzz-values';

const BLOCKING = new Set(['BLPOP', 'BRPOP', 'BLMOVE', 'BRPOPLPUSH', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP']);
const SETTLE_MS = 3000;

export interface ClientMismatch {
  readonly index: number;
  readonly what: string;
  readonly redis: string;
  readonly ours: string;
  /**
   * Not a difference found: an observer of one server did not answer its
   * barrier PING within SETTLE_MS (a machine under load), so that step's
   * frames were not complete and were not compared.
   */
  readonly unsettled?: true;
}

function mayBlock(cmd: ReadonlyArray<Arg>): boolean {
  const name = String(cmd[0]).toUpperCase();
  if (BLOCKING.has(name)) return true;
  return (name === 'XREAD' || name === 'XREADGROUP') && cmd.some((arg) => String(arg).toUpperCase() === 'BLOCK');
}

/** The keys a blocking command waits on. */
function waitedKeys(cmd: ReadonlyArray<Arg>): string[] {
  const name = String(cmd[0]).toUpperCase();
  const args = cmd.map(String);
  if (name === 'BLMOVE' || name === 'BRPOPLPUSH') return [args[1]!];
  if (name === 'BLMPOP' || name === 'BZMPOP') return args.slice(3, 3 + Number(args[2]));
  if (name === 'XREAD' || name === 'XREADGROUP') {
    const streams = args.findIndex((arg) => arg.toUpperCase() === 'STREAMS');
    return args.slice(streams + 1, streams + 1 + (args.length - streams - 1) / 2);
  }
  return args.slice(1, -1); // BLPOP, BRPOP, BZPOPMIN, BZPOPMAX: keys, then the timeout
}

/**
 * SWAPDB signals every waited-on key of both databases that holds a value
 * (scanDatabaseForReadyKeys) in the order of db->blocking_keys, a dict whose
 * hash seed is random per redis-server process: with two or more keys
 * waited on, which is served first (and so who gets what, and the order of
 * the notifications) differs from one redis-server to the next (6 restarts
 * of redis-server 7.0.15 with BLPOP l3 l2 in db 1 and both lists in db 0:
 * l2 served 4 times, l3 2 times). Such a step is left out on both servers.
 */
function swapdbOrderIsRandom(op: ClientOp, blocked: ReadonlySet<number>, lastSent: ReadonlyMap<number, ReadonlyArray<Arg>>): boolean {
  if (op.kind !== 'send' || String(op.cmd[0]).toUpperCase() !== 'SWAPDB') return false;
  const keys = new Set<string>();
  for (const client of blocked) for (const key of waitedKeys(lastSent.get(client) ?? [])) keys.add(key);
  return keys.size >= 2;
}

/**
 * SORT BY a pattern looks up one weight key per element in the order it
 * loaded them, and it loads a sorted set (converted to a skiplist first) and
 * a hash-table set in dict order, which redis-server's random hash seed
 * decides (sort.c): the keymiss events of missing weight keys come in an
 * order that differs from one redis-server to the next (6 restarts of
 * redis-server 7.0.15, ZADD z1 -1 a 1 b, SORT_RO z1 BY s* GET # DESC: sb
 * before sa 4 times, sa before sb twice; seed 2341). While keymiss events
 * are on, such a step is left out on both servers; the reply itself is
 * sorted, and the single-client runner still compares it.
 */
function sortLookupOrderIsRandom(op: ClientOp, script: ClientScript): boolean {
  if (op.kind !== 'send') return false;
  const name = String(op.cmd[0]).toUpperCase();
  if (name !== 'SORT' && name !== 'SORT_RO') return false;
  const by = op.cmd.findIndex((arg) => String(arg).toUpperCase() === 'BY');
  if (by < 0 || !String(op.cmd[by + 1] ?? '').includes('*')) return false;
  return script.config.some(([parameter, value]) => parameter === 'notify-keyspace-events' && value.includes('m'));
}

export function describeClientOp(op: ClientOp): string {
  return op.kind === 'sleep' ? `sleep ${op.ms} ms` : `client ${op.client}: ${op.cmd.map(describeArg).join(' ')}`;
}

/** A connection that keeps every frame it receives, in order. */
class Recorder {
  readonly frames: Buffer[] = [];
  /** Frames that are not RESP3 pushes (replies, and RESP2 pub/sub messages). */
  replies = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly socket: net.Socket;
  private readonly ready: Promise<void>;
  private wake: (() => void) | null = null;
  closed = false;

  constructor(port: number, host: string) {
    this.socket = net.createConnection({ host, port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      for (;;) {
        const parsed = parseReply(this.buffer);
        if (!parsed) break;
        const frame = Buffer.from(this.buffer.subarray(0, parsed.end));
        this.buffer = this.buffer.subarray(parsed.end);
        this.frames.push(frame);
        if (frame[0] !== 0x3e) this.replies++;
      }
      this.wake?.();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    this.socket.on('error', () => undefined);
  }

  async send(cmd: ReadonlyArray<Arg>): Promise<void> {
    await this.ready;
    this.socket.write(encodeRequest(cmd));
  }

  /** Waits until `replies` reaches count (false on timeout or close). */
  async waitReplies(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies < count) {
      if (this.closed || Date.now() > deadline) return false;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 5);
      });
      this.wake = null;
    }
    return true;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One server's side of a run: the connections, what each still waits for, the blocked ones. */
class Side {
  readonly clients: Recorder[] = [];
  readonly expected: number[] = new Array<number>(CLIENTS).fill(0);
  readonly blocked = new Set<number>();
  /** Frames of each connection before the current step. */
  private marks: number[] = [];

  constructor(readonly control: RespConnection, readonly peer: PeerAddress) {}

  private protocols: ReadonlyArray<2 | 3> = [];

  async open(script: ClientScript): Promise<void> {
    this.protocols = script.protocols;
    await this.control.pipeline([['FLUSHALL'], ['SCRIPT', 'FLUSH'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ...CLIENT_CONFIG_DEFAULTS.map(([name, value]) => ['CONFIG', 'SET', name, value]), ...script.config.map(([name, value]) => ['CONFIG', 'SET', name, value])]);
    for (let i = 0; i < CLIENTS; i++) this.clients.push(new Recorder(this.peer.port, this.peer.host ?? '127.0.0.1'));
    for (let i = 0; i < CLIENTS; i++) {
      if (script.protocols[i] === 3) await this.call(i, ['HELLO', '3']);
      await this.call(i, ['CLIENT', 'ID']);
      this.ids.push(/^:(\d+)/.exec(this.clients[i]!.frames.at(-1)!.toString('latin1'))?.[1] ?? '0');
    }
    await this.call(KEYSPACE_SUBSCRIBER, ['PSUBSCRIBE', '__key*__:*']);
    await this.call(REDIRECT_SUBSCRIBER, ['SUBSCRIBE', '__redis__:invalidate']);
    await this.call(TRACKING_DEFAULT, ['CLIENT', 'TRACKING', 'ON', ...trackingOptions(TRACKING_DEFAULT, script.tracking)]);
    await this.call(TRACKING_BCAST, ['CLIENT', 'TRACKING', 'ON', ...trackingOptions(TRACKING_BCAST, script.tracking)]);
    await this.call(TRACKING_REDIRECTED, ['CLIENT', 'TRACKING', 'ON', ...this.redirectOptions(script)]);
  }

  /** Client ids by connection index. */
  private readonly ids: string[] = [];

  redirectOptions(script: ClientScript): string[] {
    return [...trackingOptions(TRACKING_REDIRECTED, script.tracking), 'REDIRECT', this.ids[REDIRECT_SUBSCRIBER]!];
  }

  private async call(client: number, cmd: ReadonlyArray<Arg>): Promise<void> {
    // In RESP3 a subscription is confirmed by a push, not a reply.
    const name = String(cmd[0]).toUpperCase();
    if ((name === 'SUBSCRIBE' || name === 'PSUBSCRIBE') && this.protocols[client] === 3) {
      const frames = this.clients[client]!.frames.length;
      await this.clients[client]!.send(cmd);
      const deadline = Date.now() + SETTLE_MS;
      while (this.clients[client]!.frames.length === frames && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
      return;
    }
    this.expected[client]!++;
    await this.clients[client]!.send(cmd);
    await this.clients[client]!.waitReplies(this.expected[client]!, SETTLE_MS);
  }

  private async blockedClients(): Promise<number> {
    const info = String(await this.control.call('INFO', 'clients'));
    return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? -1);
  }

  /** Runs one step; returns each connection's frames of the step, canonicalized. */
  async step(op: ClientOp, script: ClientScript): Promise<string[]> {
    this.marks = this.clients.map((client) => client.frames.length);
    let direct: { client: number; compare: Compare } | null = null;
    if (op.kind === 'sleep') {
      await new Promise((resolve) => setTimeout(resolve, op.ms));
    } else if (!this.blocked.has(op.client)) {
      const client = this.clients[op.client]!;
      let cmd = op.cmd;
      if (op.client === TRACKING_REDIRECTED && cmd[0] === 'CLIENT' && cmd[2] === 'ON') cmd = ['CLIENT', 'TRACKING', 'ON', ...this.redirectOptions(script)];
      cmd = cmd.map((arg) => (typeof arg === 'string' && arg.startsWith('$ID') ? this.ids[Number(arg.slice(3))]! : arg));
      this.expected[op.client]!++;
      direct = { client: op.client, compare: op.compare ?? 'exact' };
      const before = await (mayBlock(cmd) ? this.blockedClients() : Promise.resolve(0));
      await client.send(cmd);
      if (mayBlock(cmd)) {
        // Either it answers at once, or the server counts one more blocked client.
        const deadline = Date.now() + SETTLE_MS;
        for (;;) {
          if (client.replies >= this.expected[op.client]!) break;
          if ((await this.blockedClients()) > before) {
            if (client.replies >= this.expected[op.client]!) break;
            this.blocked.add(op.client);
            break;
          }
          if (Date.now() > deadline) break;
        }
        if (this.blocked.has(op.client) && op.waitServed) {
          await client.waitReplies(this.expected[op.client]!, SETTLE_MS);
          if (client.replies >= this.expected[op.client]!) this.blocked.delete(op.client);
        }
      } else {
        await client.waitReplies(this.expected[op.client]!, SETTLE_MS);
      }
    }
    await this.settleBlocked();
    // Observers answer a PING after everything the server sent them before.
    const observers = [KEYSPACE_SUBSCRIBER, TRACKING_DEFAULT, REDIRECT_SUBSCRIBER, TRACKING_BCAST];
    const answered = await Promise.all(observers.map((i) => this.barrier(i)));
    this.unsettled = observers.filter((_, at) => !answered[at]);
    return this.clients.map((client, i) => {
      const frames = client.frames.slice(this.marks[i]);
      // The barrier's own reply, when it came (an unsettled step is not compared).
      if (observers.includes(i) && !this.unsettled.includes(i)) frames.pop();
      let directSeen = false;
      return frames.map((frame) => {
        if (direct && direct.client === i && !directSeen && frame[0] !== 0x3e && !this.blocked.has(i) && op.kind === 'send') {
          directSeen = true;
          return canonicalReply(frame, this.compareInMulti(i, op.cmd, frame, direct.compare));
        }
        return frame.toString('latin1');
      }).join('');
    });
  }

  /**
   * PING with a token on an observer, waited for by its text: a subscriber's
   * pub/sub messages count as replies too, so counting replies is not enough.
   */
  private async barrier(client: number): Promise<boolean> {
    const token = `barrier-${++this.barriers}`;
    const recorder = this.clients[client]!;
    this.expected[client]!++;
    await recorder.send(['PING', token]);
    const deadline = Date.now() + SETTLE_MS;
    while (Date.now() < deadline && !recorder.frames.at(-1)?.includes(token)) await recorder.waitReplies(recorder.replies + 1, 10);
    this.expected[client] = recorder.replies;
    return recorder.frames.at(-1)?.includes(token) === true;
  }

  /** Observers whose barrier PING went unanswered in the last step. */
  unsettled: number[] = [];

  private barriers = 0;

  /** Compare modes of the commands each client queued since MULTI (null: not in MULTI). */
  private readonly queued: Array<Compare[] | null> = new Array<Compare[] | null>(CLIENTS).fill(null);

  /**
   * The mode a direct reply is compared by: inside MULTI a command's reply
   * is QUEUED (exact) and EXEC's elements are compared each by the mode of
   * the command it ran, as the single-client runner does.
   */
  private compareInMulti(client: number, cmd: ReadonlyArray<Arg>, frame: Buffer, mode: Compare): Compare {
    const name = String(cmd[0]).toUpperCase();
    const queued = this.queued[client];
    if (queued && (name === 'EXEC' || name === 'DISCARD')) {
      this.queued[client] = null;
      return name === 'EXEC' ? { each: queued } : 'exact';
    }
    if (queued) {
      if (frame.toString('latin1') === '+QUEUED\r\n') queued.push(mode);
      return 'exact';
    }
    if (name === 'MULTI' && frame.toString('latin1') === '+OK\r\n') this.queued[client] = [];
    return mode;
  }

  /** Waits until the clients still waiting for a blocking command's reply are as many as the server has blocked. */
  private async settleBlocked(): Promise<void> {
    if (this.blocked.size === 0) return;
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const serverBlocked = await this.blockedClients();
      for (const i of [...this.blocked]) if (this.clients[i]!.replies >= this.expected[i]!) this.blocked.delete(i);
      if (this.blocked.size <= serverBlocked || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  close(): void {
    for (const client of this.clients) client.close();
  }
}

/** Runs the script on both servers; the first step whose frames differ, or null. */
export async function runClientScript(redis: PeerAddress, ours: PeerAddress, script: ClientScript): Promise<ClientMismatch | null> {
  const controls = [new RespConnection(redis.host ?? '127.0.0.1', redis.port), new RespConnection(ours.host ?? '127.0.0.1', ours.port)];
  const sides = [new Side(controls[0]!, redis), new Side(controls[1]!, ours)] as const;
  try {
    await Promise.all(sides.map((side) => side.open(script)));
    const lastSent = new Map<number, ReadonlyArray<Arg>>();
    for (let index = 0; index < script.ops.length; index++) {
      const op = script.ops[index]!;
      if (process.env.FUZZ_TRACE) console.log('OP', index, describeClientOp(op).slice(0, 200));
      if (swapdbOrderIsRandom(op, sides[0].blocked, lastSent) || sortLookupOrderIsRandom(op, script)) continue;
      if (op.kind === 'send' && !sides[0].blocked.has(op.client)) lastSent.set(op.client, op.cmd);
      const started = Date.now();
      const [a, b] = await Promise.all(sides.map((side) => side.step(op, script)));
      if (process.env.FUZZ_TRACE) console.log('  took', Date.now() - started, 'ms', JSON.stringify(a).slice(0, 400), [...sides[0].blocked].join(','));
      if (sides.some((side) => side.unsettled.length > 0)) {
        const late = sides.map((side) => side.unsettled.map((client) => `client ${client}`).join(', ') || 'none');
        return { index, what: `${describeClientOp(op)} (unsettled: an observer's barrier PING not answered within ${SETTLE_MS} ms; not compared)`, redis: `late: ${late[0]}`, ours: `late: ${late[1]}`, unsettled: true };
      }
      for (let client = 0; client < CLIENTS; client++) {
        if (a![client] !== b![client]) {
          return { index, what: `${describeClientOp(op)} (differs on client ${client}${client < ACTORS ? '' : ' ' + ['keyspace subscriber', 'tracking', 'redirect subscriber', 'tracking redirected', 'tracking bcast'][client - ACTORS]}, RESP${script.protocols[client]})`, redis: JSON.stringify(a![client]).slice(0, 800), ours: JSON.stringify(b![client]).slice(0, 800) };
        }
      }
    }
    return null;
  } finally {
    for (const side of sides) side.close();
    // The next script must not find this one's clients still blocked (a push of its would serve them).
    for (const control of controls) {
      const deadline = Date.now() + SETTLE_MS;
      while (Date.now() < deadline && !/blocked_clients:0\r/.test(String(await control.call('INFO', 'clients').catch(() => '')))) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (const control of controls) {
      await control.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1').catch(() => undefined);
      control.close();
    }
  }
}

/** Delta debugging over the steps before the failing one (as shrinkScript does for single-client scripts). */
export async function shrinkClientScript(redis: PeerAddress, ours: PeerAddress, script: ClientScript, mismatch: ClientMismatch): Promise<{ script: ClientScript; mismatch: ClientMismatch }> {
  let current = script.ops.slice(0, mismatch.index + 1);
  let currentMismatch = mismatch;
  let chunks = 2;
  while (current.length > 1) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    for (let start = 0; start < current.length; start += size) {
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      if (candidate.length === 0) continue;
      const found = await runClientScript(redis, ours, { ...script, ops: candidate });
      if (found && found.unsettled !== true) {
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
  return { script: { ...script, ops: current }, mismatch: currentMismatch };
}
