/**
 * The poll of one node, independent of every other node's.
 *
 * Each node has its own connection, its own command timeout and at most one
 * INFO in flight. A poll tick asks every node whose previous INFO has been
 * answered; a node whose INFO is still out (hung: SIGSTOP, DEBUG SLEEP, a
 * long script) is not asked again and nobody waits for it: the tick builds
 * its snapshot from that node's last answer, marked stale with how long the
 * node has not answered. When the request finally times out the node reads
 * `hung`, still with its last known INFO (its role, offsets), still marked
 * stale — never silently current. Unless its address refused or reset a
 * connection since that answer: the process that gave it is gone, and a
 * process found there since that does not answer (a new one, stopped) is
 * shown hung with none of the old one's figures (role, run_id, offsets),
 * its health detail saying why. A node that refuses connections (or
 * authentication) shows no figures at all: it has no current role.
 *
 * A connection the server closed is not a node gone. Sentinel's REPLICAOF
 * comes with CLIENT KILL TYPE normal, which closes this console's
 * connection too, so a node that answered its last request and is found
 * with its connection closed (the request in flight cut, or refused while
 * ioredis reconnects) is asked once more on a new connection, which ioredis
 * dials at once, before it is called unreachable. So is a node whose
 * request went out on a connection held as up and broke under it (EPIPE,
 * ECONNRESET, closed), whatever its last answer: a node whose last poll
 * timed out (slow under load, DEBUG SLEEP) and is then killed breaks that
 * old socket, and the socket's error says nothing of the process; the fresh
 * dial does. A node really gone is still reported at this request: the new
 * connection is refused (ECONNREFUSED: the process is gone), and that is
 * the failure shown. While the retry is out, the node's last answer is
 * shown stale (`reconnecting`): it is from before its connection broke, and
 * whether the process that gave it still lives is not known until the node
 * answers again (a killed node's next dial can be reset, and the one after
 * comes 50 ms later: node-client.ts). Not retried: a refused connection, a timeout (hung),
 * an answer of the server (NOAUTH, LOADING...), a request that found the
 * connection already down while the node was not answering (ioredis is
 * dialling it at its backoff; its dials' errors explain it).
 *
 * Invariant: a request (the retry included) ends within the command
 * timeout of its start, and a tick waits only for requests it started
 * itself (see DeploymentMonitor).
 */
import type { Redis } from 'ioredis';
import type { NodeHealth } from '../../../shared/contract/snapshots';
import { parseInfo, type InfoFields } from './info-fields';
import { classifyFailure, COMMAND_TIMEOUT_MS } from './node-client';
import { dialerFailureProblem } from '../net/node-dialer';

/** The failure kinds (connection-failure.ts) of a connection the server or the network closed under a request. */
const CLOSED_UNDER_REQUEST: ReadonlySet<string> = new Set(['connection-closed', 'connection-reset']);

/**
 * The failure kinds of a request that say the process behind the node's last answer is gone, in words:
 * nothing listens at its address (refused), or a dial to it was reset (a listening socket closing with
 * the process, see reconnected()). A connection closed is not one: CLIENT KILL closes it too.
 */
const PROCESS_GONE: ReadonlyMap<string, string> = new Map([
  ['refused', 'refused connections (ECONNREFUSED)'],
  ['connection-reset', 'reset a connection (ECONNRESET)'],
]);

export interface NodeSample {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** When `info` was read (the last answer; older than the tick when stale). */
  readonly time: number;
  readonly health: NodeHealth;
  readonly healthDetail: string | null;
  /** The failure kind behind it (connection-failure.ts: refused, connect-timeout, no-reply...); null when up. */
  readonly healthProblem: string | null;
  /**
   * The node's INFO: this poll's answer, or the last one it gave when it did
   * not answer this time (stale). null when it never answered (unreachable
   * from the start, denied).
   */
  readonly info: InfoFields | null;
  /** The POLLED_CONFIG values of this poll's answer (null when stale, or CONFIG GET is not allowed). */
  readonly config: ReadonlyMap<string, string> | null;
  /** True when `info` is not this poll's answer: the node's request is overdue, or it timed out and its last answer is shown. */
  readonly stale: boolean;
  /** Why, in plain words ("no answer for 3.2 s"), when stale. */
  readonly staleReason: string | null;
  /**
   * True while the request out is the one retry after its connection broke under the previous attempt
   * (reset, closed): `info` is the last answer, from before the break, and marked stale.
   */
  readonly reconnecting: boolean;
  readonly embedded: boolean;
  readonly deniedCommands: string[];
  /** Redis's own replies refusing them (NOPERM ...), in the same order. */
  readonly deniedReplies: string[];
}

/**
 * The settings polled with INFO (one CONFIG GET with several names, Redis 7):
 * what decides whether replicas resync partially, how long a link survives
 * and who may write. A change of any of them is an event (config-changes.ts).
 */
export const POLLED_CONFIG = [
  'repl-backlog-size', 'repl-backlog-ttl', 'repl-timeout', 'repl-diskless-sync', 'repl-diskless-sync-delay', 'repl-diskless-load',
  'client-output-buffer-limit', 'min-replicas-to-write', 'min-replicas-max-lag', 'replica-read-only', 'replica-serve-stale-data',
  'replica-priority', 'maxmemory', 'maxmemory-policy', 'appendonly', 'save',
  // The address a replica gives its master (REPLCONF listening-port / ip-address), which its master lists: DeploymentMonitor.announcedAliases.
  'replica-announce-ip', 'replica-announce-port',
  // replica-announced no: SENTINEL REPLICAS hides the replica, which Sentinel may still promote (promote-plan.ts).
  'replica-announced',
] as const;

interface Answer {
  readonly time: number;
  readonly health: NodeHealth;
  readonly healthDetail: string | null;
  readonly healthProblem: string | null;
  readonly info: InfoFields | null;
  readonly config: ReadonlyMap<string, string> | null;
  readonly deniedCommands: string[];
  /** Redis's own replies refusing them (NOPERM ...), in the same order. */
  readonly deniedReplies: string[];
}

export class NodeSampler {
  private inFlight: Promise<void> | null = null;
  /** Redis's reply when CONFIG GET was refused (NOPERM, or a renamed/unknown command); null while it is allowed. */
  private configDenied: string | null = null;
  private inFlightSince = 0;
  /** Set while the request in flight is being asked again after its connection broke under it: what broke it. */
  private reconnectingAfter: string | null = null;
  private answer: Answer | null = null;
  /** The last INFO the node gave, and when: kept through failures so its role is known. */
  private lastInfo: { readonly info: InfoFields; readonly time: number } | null = null;
  /**
   * Set when the node's address refused or reset a connection since `lastInfo` (the process that gave it is
   * gone): the failure's words. A process found there later that does not answer is another one, and
   * `lastInfo` (its run_id, role, offsets) is not shown as its. Cleared by the next answer.
   */
  private goneSinceInfo: string | null = null;

  /** The last INFO the node gave, and when (null before its first answer). */
  get lastAnswer(): { readonly info: InfoFields; readonly time: number } | null {
    return this.lastInfo;
  }

  constructor(
    readonly id: string,
    readonly host: string,
    readonly port: number,
    readonly client: Redis,
    private readonly embedded: boolean,
    /** The SSH tunnel's reason when the node could not be reached through it. */
    private readonly dialerFailure: () => Promise<string | null>,
    /**
     * Sent on the same connection just before INFO when it returns a request
     * (Redis answers in order, so it ran first): the event detector's
     * command-counter baseline (command-evidence.ts). Its failure is its own.
     */
    private readonly beforeInfo: () => Promise<void> | null = () => null,
  ) {}

  /**
   * Asks the node for INFO unless a request is already out; resolves when
   * the request this call started is answered (or failed), at once when it
   * started none.
   */
  request(): Promise<void> {
    if (this.inFlight) return Promise.resolve();
    this.inFlightSince = Date.now();
    const request = this.read().finally(() => {
      if (this.inFlight === request) this.inFlight = null;
    });
    this.inFlight = request;
    return request;
  }

  /**
   * Whether a tick should wait for this node's answer: it answered its last
   * request (or has not been asked yet). A node that timed out or refused is
   * still asked every tick, but nobody waits for it.
   */
  get answering(): boolean {
    return this.inFlight === null && (this.answer === null || this.answer.health === 'up' || this.answer.health === 'loading');
  }

  /** The node as the snapshot at `now` shows it, marked stale if it is older than `freshWithinMs`. */
  sample(now: number, freshWithinMs: number): NodeSample {
    const base = { id: this.id, host: this.host, port: this.port, embedded: this.embedded };
    const answer = this.answer;
    if (answer === null) {
      // Never answered yet (the first request is out).
      return { ...base, time: now, health: 'unknown', healthDetail: 'not polled yet', healthProblem: null, info: null, config: null, stale: false, staleReason: null, reconnecting: false, deniedCommands: [], deniedReplies: [] };
    }
    const waitedMs = this.inFlight ? now - this.inFlightSince : 0;
    const answeredInfo = answer.info !== null;
    // A hung node (timed out) keeps its last known INFO, marked stale; a node
    // that refuses connections or authentication has no current role to show.
    // Not when its address refused or reset a connection since that INFO: its process is gone, and the one
    // there now has not answered (a process at the address killed, a new one started and stopped).
    const lastInfo = answeredInfo ? { info: answer.info!, time: answer.time } : answer.health === 'hung' && this.goneSinceInfo === null ? this.lastInfo : null;
    const healthDetail = !answeredInfo && answer.health === 'hung' && this.goneSinceInfo !== null && this.lastInfo !== null
      ? `${answer.healthDetail ?? 'no answer'} Its last answer (run_id ${this.lastInfo.info.get('run_id') ?? 'unknown'}) came from a process that is gone: its address ${this.goneSinceInfo} since, so none of that answer's figures are shown.`
      : answer.healthDetail;
    let staleReason: string | null = null;
    const figuresAge = `its figures are from ${seconds(now - (lastInfo?.time ?? answer.time))} ago`;
    const reconnecting = this.inFlight !== null && this.reconnectingAfter !== null;
    if (reconnecting && lastInfo) staleReason = `its connection broke under the request (${this.reconnectingAfter}), asked again on a new one: ${figuresAge}`;
    else if (waitedMs > freshWithinMs) staleReason = `no answer for ${seconds(waitedMs)}: ${figuresAge}`;
    else if (!answeredInfo && lastInfo) staleReason = `no answer within the ${seconds(COMMAND_TIMEOUT_MS)} timeout: ${figuresAge}`;
    return {
      ...base,
      time: lastInfo?.time ?? answer.time,
      health: answer.health,
      healthDetail,
      healthProblem: answer.healthProblem,
      info: lastInfo?.info ?? null,
      config: staleReason === null ? answer.config : null,
      stale: staleReason !== null,
      staleReason,
      reconnecting,
      deniedCommands: answer.deniedCommands,
      deniedReplies: answer.deniedReplies,
    };
  }

  private async read(): Promise<void> {
    const deadline = this.inFlightSince + COMMAND_TIMEOUT_MS;
    const wasAnswering = this.answer !== null && (this.answer.health === 'up' || this.answer.health === 'loading');
    // Sent on a connection ioredis holds as up: a reset or close now is that socket breaking under the
    // request (the process died, or the server closed it), whatever the node's last answer was.
    const sentOnOpenConnection = this.client.status === 'ready';
    try {
      if (this.client.status === 'wait') await this.client.connect();
      this.answered(await this.ask(this.beforeInfo()));
    } catch (failure) {
      const broken = classifyFailure(failure, this.client).problem.kind;
      if (!(wasAnswering || sentOnOpenConnection) || !CLOSED_UNDER_REQUEST.has(broken)) return this.failed(failure);
      this.reconnectingAfter = broken === 'connection-reset' ? 'reset' : 'closed';
      try {
        this.answered(await this.askAgain(deadline));
      } catch (retryFailure) {
        await this.failed(retryFailure);
      } finally {
        this.reconnectingAfter = null;
      }
    }
  }

  /** INFO, with CONFIG GET pipelined (one round trip), after `before` (sent first on the same connection). */
  private async ask(before: Promise<void> | null): Promise<{ text: string; config: ReadonlyMap<string, string> | null }> {
    const [text, config] = await Promise.all([this.client.info(), this.readConfig()]);
    await before;
    return { text, config };
  }

  /**
   * The one retry after the server closed the connection: waits for
   * ioredis's reconnect (dialled at once, see node-client.ts) and asks
   * again, all before `deadline`. Without the command-counter baseline: one
   * taken now could follow the REPLICAOF that came with the CLIENT KILL,
   * and hide it. Rejects with the new connection's failure (ECONNREFUSED
   * when the process is gone), as a closed connection when it is still not
   * up at the deadline, or as a timeout when it is up but INFO is not answered.
   */
  private async askAgain(deadline: number): Promise<{ text: string; config: ReadonlyMap<string, string> | null }> {
    await reconnected(this.client, deadline);
    const request = this.ask(null);
    request.catch(() => undefined); // answered after the deadline: nobody waits for it
    return await beforeDeadline(request, deadline, () => new Error('Command timed out (after the connection was re-established)'));
  }

  private answered(reply: { text: string; config: ReadonlyMap<string, string> | null }): void {
    const info = parseInfo(reply.text);
    const time = Date.now();
    this.answer = { time, health: 'up', healthDetail: null, healthProblem: null, info, config: reply.config, deniedCommands: this.configDenied !== null ? ['config|get'] : [], deniedReplies: this.configDenied !== null ? [this.configDenied] : [] };
    this.lastInfo = { info, time };
    this.goneSinceInfo = null;
  }

  private async failed(failure: unknown): Promise<void> {
    const { health, detail, problem } = classifyFailure(failure, this.client);
    const gone = PROCESS_GONE.get(problem.kind);
    if (gone !== undefined && this.lastInfo !== null) this.goneSinceInfo ??= gone;
    const tunnelDetail = health === 'unreachable' ? await this.dialerFailure() : null;
    // Through an SSH tunnel, the tunnel's reason replaces the socket's (which only says "closed").
    this.answer = { time: Date.now(), health, healthDetail: tunnelDetail ?? detail, healthProblem: tunnelDetail !== null ? dialerFailureProblem(tunnelDetail) : problem.kind, info: null, config: null, deniedCommands: health === 'denied' ? ['info'] : [], deniedReplies: health === 'denied' ? [problem.detail] : [] };
  }

  /**
   * The replication settings (POLLED_CONFIG), or null when they cannot be
   * read. A user who may not run CONFIG GET is asked once, then never again
   * (the config of that node is then known only through INFO).
   */
  private async readConfig(): Promise<ReadonlyMap<string, string> | null> {
    if (this.configDenied !== null) return null;
    try {
      const reply = await this.client.call('CONFIG', 'GET', ...POLLED_CONFIG);
      if (!Array.isArray(reply)) return null;
      const config = new Map<string, string>();
      for (let index = 0; index + 1 < reply.length; index += 2) config.set(String(reply[index]), String(reply[index + 1]));
      return config;
    } catch (failure) {
      if (failure instanceof Error && /NOPERM|unknown command|unknown subcommand/i.test(failure.message)) this.configDenied = failure.message;
      return null;
    }
  }
}

/**
 * Resolves once the client's connection is up again; rejects when an
 * attempt fails (the errors it raised are kept by node-client.ts for the
 * classifier), when it is closed for good (the monitor closed it: it is
 * never dialled from here) or at `deadline`. Only a 'close' after a
 * 'connecting' is an attempt that failed: the close that ended the old
 * connection may still be emitted after this starts waiting.
 *
 * A dial reset before the connection was ready (ECONNRESET, EPIPE) says
 * nothing yet and ioredis's next one is awaited: a process being killed
 * closes its connections and its listening socket one after the other, and
 * a dial in between is taken into the listening socket's queue and reset
 * with it ("connect ECONNRESET" after kill -9 of redis-server, 1 run in
 * ~12, or a reset once connected); the next dial is refused (ECONNREFUSED),
 * which says the process is gone.
 */
function reconnected(client: Redis, deadline: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'end' || client.status === 'wait') return Promise.reject(new Error('Connection is closed.'));
  return new Promise((resolve, reject) => {
    let dialled = client.status === 'connecting' || client.status === 'connect';
    let attemptError: NodeJS.ErrnoException | null = null;
    const onConnecting = (): void => {
      dialled = true;
      attemptError = null;
    };
    const onError = (failure: NodeJS.ErrnoException): void => {
      attemptError = failure;
    };
    const onClose = (): void => {
      if (!dialled) return;
      if (attemptError?.code === 'ECONNRESET' || attemptError?.code === 'EPIPE') dialled = false;
      else finish(new Error('Connection is closed.'));
    };
    const onEnd = (): void => finish(new Error('Connection is closed.'));
    const onReady = (): void => finish(null);
    const timer = setTimeout(() => finish(new Error('Connection is closed.')), Math.max(0, deadline - Date.now()));
    function finish(failure: Error | null): void {
      clearTimeout(timer);
      client.off('connecting', onConnecting).off('error', onError).off('close', onClose).off('end', onEnd).off('ready', onReady);
      if (failure) reject(failure);
      else resolve();
    }
    client.on('connecting', onConnecting).on('error', onError).on('close', onClose).on('end', onEnd).on('ready', onReady);
  });
}

/** `promise`, or a rejection with `failure()` at `deadline`, whichever comes first. */
function beforeDeadline<T>(promise: Promise<T>, deadline: number, failure: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(failure()), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
