/**
 * processCommand() and call() of server.c: the generic rules every command
 * goes through, in Redis's order, before and after its handler runs.
 *
 * Order of the checks (each failure replies an error and, inside MULTI,
 * flags the transaction so EXEC aborts):
 *   1. unknown command / unknown subcommand      6. OOM (maxmemory)
 *   2. arity                                     7. MISCONF (failed BGSAVE)
 *   3. protected commands (DEBUG)                8. NOREPLICAS (min-replicas-to-write)
 *   4. NOAUTH                                    9. READONLY replica
 *   5. no_multi inside MULTI                    10. RESP2 pub/sub context
 *   5b. ACL permissions (NOPERM, logged)        11. MASTERDOWN (stale data)
 *                                               12. LOADING
 *                                               13. BUSY (a script past busy-reply-threshold)
 *                                               14. replica links touching the keyspace
 *                                               15. client pause (postponed, not refused)
 *                                               16. the Lua runtime not made yet (postponed)
 * EVAL and FCALL are checked with the flags their script declares (dynamicFlags).
 * then MULTI queuing or execution.
 *
 * Execution (call): the handler runs with a fixed "now"; a thrown exception
 * becomes an error reply and a log line, never a dead server; its dirty count
 * decides propagation; stats, slowlog and MONITOR are fed; effects collected
 * during a top-level call are flushed to the replication stream at its end.
 */
// The module's binding, not the global: Node 20's globalThis.performance is a lazy accessor (a getter call per read).
import { performance } from 'node:perf_hooks';
import { CommandContext } from '../commands/command-context';
import type { BlockRequest, ResolvedCommand } from '../commands/command-spec';
import * as errors from '../resp/errors';
import { error, QUEUED, type ErrorReply, type Reply } from '../resp/reply';
import type { EngineNode } from '../node';
import type { Client } from './client';
import type { TransactionPark } from '../commands/port/dispatcher-port';
import { RequestClock } from './request-clock';
import { ACL_OK } from '../acl/acl-selector';
import { afterErrorReply, lastCommandName, logReplicaReply } from './error-replies';
import { afterUnblock, countFailure, countWholeCall, recordLatency } from './call-figures';
import { DEBUG_NOT_ALLOWED, MISCONF, MODULE_NOT_ALLOWED, protectedAllowed, refuse } from './command-refusals';
import { LatencyHistogram } from './latency-histogram';
import { shownArgv } from './shown-argv';
import { rememberTrackedKeys } from './tracked-keys';

const PUBSUB_CONTEXT_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
const MULTI_PASSTHROUGH = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
const OOM_EXEMPT_IN_MULTI = new Set(['exec', 'discard', 'quit', 'reset']);

/** What a closed run's argument slots hold (Dispatcher.runArgv). */
const NO_ARGV: ReadonlyArray<string> = Object.freeze([]);

/** afterCall's duration for a command of a run: measured when the run closes (Dispatcher.closeRun). */
const MEASURED_WITH_RUN = -1;

export class Dispatcher {
  /** The request path's wall clock (derived from the monotonic readings). */
  readonly clock = new RequestClock();
  /**
   * Inside an input batch (the requests of one socket read, run back to
   * back): the performance.now() reading where the next command starts (the
   * batch's start, or the last reading taken). -1 outside a batch, and
   * whenever a nested batch ended: the next command then reads the clock
   * itself. A command's measured duration also covers the parsing of its
   * own request (a fraction of a microsecond).
   */
  private batchMark = -1;
  /**
   * The run of pipelined fast commands (ResolvedCommand.timedInRun) since
   * the last clock reading (see closeRun): they take no reading of their
   * own; the run's duration is shared out among them when it closes.
   */
  private readonly runCommands: ResolvedCommand[] = [];
  private readonly runClients: Array<Client | null> = [];
  private readonly runArgv: Array<ReadonlyArray<string>> = [];
  /**
   * The run's length: entries past it in the three arrays are stale. The
   * arrays keep their size from run to run (closeRun clears the entries
   * that would keep a client or arguments alive): `length = 0` went through
   * V8's runtime and shrank them, and the next run grew them again, which
   * made an unpipelined request's path (one run per read) 10-19% dearer.
   */
  private runLength = 0;

  constructor(private readonly node: EngineNode) {}

  /** The socket read path is about to run the requests of one chunk. */
  beginBatch(): void {
    if (this.runLength > 0) this.closeRun();
    this.batchMark = performance.now();
  }

  /** Must follow beginBatch(), also when the batch threw. */
  endBatch(): void {
    if (this.runLength > 0) this.closeRun();
    this.batchMark = -1;
  }

  /**
   * Ends the run of fast commands: one clock reading, and the time since the
   * run started (batchMark) is shared out equally among its commands as
   * their duration: commandstats usec, the latency histogram, the slowlog.
   *
   * Why: a clock reading is a native call of 30-40 ns on this path, a tenth
   * of a pipelined SET; Redis reads the TSC instead. What stays exact: the
   * total time of the run's commands (so each command's usec when a run
   * holds one command type, as pipelines usually do), every call count, and
   * the slowlog whenever the run took less than slowlog-log-slower-than (no
   * command in it can have crossed the threshold). A run is closed before
   * any command that is not fast (timedInRun: DEBUG SLEEP, SLOWLOG, INFO,
   * EXEC, scripts read or cross these figures themselves; SET joins runs,
   * see command-table.ts), when its batch ends, and it is
   * never used while latency-monitor-threshold is set or a client blocks.
   * What differs from Redis: a stall inside a run (a collector pause) is
   * spread over its commands instead of charged to the one it hit, so a
   * histogram sees the mean and the slowlog logs each command whose share
   * crosses the threshold.
   */
  private closeRun(): void {
    const ended = performance.now();
    const commands = this.runCommands;
    const count = this.runLength;
    const share = ((ended - this.batchMark) * 1000) / count;
    const slowlog = this.node.slowlog;
    const logged = slowlog.logs(share);
    const tracked = this.node.hot.latencyTracking;
    // A run mostly repeats one command: each stretch of the same command gets its figures added once.
    for (let index = 0; index < count;) {
      const command = commands[index]!;
      let next = index + 1;
      while (next < count && commands[next] === command) next++;
      const stats = command.stats;
      stats.usec += share * (next - index);
      if (tracked) (stats.histogram ??= new LatencyHistogram()).recordMicros(share, next - index);
      if (logged && !command.is.skip_slowlog) {
        for (let logging = index; logging < next; logging++) slowlog.record(this.runClients[logging]!, this.runArgv[logging]!, share);
      }
      index = next;
    }
    const clients = this.runClients;
    const argvs = this.runArgv;
    for (let index = 0; index < count; index++) {
      clients[index] = null;
      argvs[index] = NO_ARGV;
    }
    this.runLength = 0;
    if (this.batchMark >= 0) this.batchMark = ended;
  }

  /**
   * Runs one request from a client. Returns after the reply (if any) is
   * queued; blocked clients get their reply later.
   */
  processCommand(client: Client, argv: string[]): void {
    // A node that panicked runs nothing more (redis-server aborted in the middle of the call).
    if (this.node.crashed) return;
    if (client.replyMode === 'skip-next') client.replyMode = 'skip';
    else if (client.replyMode === 'skip') client.replyMode = 'on';
    const previous = this.currentClient;
    this.currentClient = client;
    this.checkAndRun(client, argv);
    this.currentClient = previous;
    const tracking = client.tracking;
    // CLIENT CACHING covers the next command, or the next transaction (resetClient).
    if (tracking !== null && tracking.caching && !client.inMulti && !client.lastCommand.startsWith('client|')) tracking.caching = false;
    if (client.isReplica && client.replicaGeneratedReply) this.replicaMisbehaved(client);
  }

  /** server.current_client: whose request is being processed (tracking's NOLOOP and reply ordering). */
  currentClient: Client | null = null;
  /** True while a command handler runs (Redis's fixed_time_expire > 0). */
  executing = false;

  private checkAndRun(client: Client, argv: string[]): void {
    const node = this.node;
    const lookup = node.commands.lookup(argv);
    // A pipelined fast command (timedInRun) joins the run of clock-less commands; anything else closes it first.
    const inRun = this.batchMark >= 0 && lookup.kind === 'found' && lookup.command.timedInRun && node.hot.latencyMonitorThreshold === 0;
    if (!inRun && this.runLength > 0) this.closeRun();
    const started = this.batchMark >= 0 ? this.batchMark : performance.now();
    const now = this.clock.wallAt(started);
    client.lastInteraction = now;
    if (lookup.kind === 'unknown') {
      // c->lastcmd is what the lookup found: nothing (CLIENT LIST cmd=NULL).
      client.lastCommand = 'NULL';
      refuse(node, client, null, errors.unknownCommand(argv));
      return;
    }
    if (lookup.kind === 'unknownSubcommand') {
      client.lastCommand = 'NULL';
      refuse(node, client, null, errors.unknownSubcommand(argv[1] ?? '', lookup.container.spec.name));
      return;
    }
    const command = lookup.command;
    client.lastCommand = command.fullName;
    const name = command.name;
    const arity = command.arity;
    if ((arity > 0 && arity !== argv.length) || argv.length < -arity) {
      refuse(node, client, command, errors.wrongArity(command.fullName));
      return;
    }
    const flags = command.dynamicFlags === null ? command.is : (command.dynamicFlags(argv, node) ?? command.is);
    if (flags.protected) {
      const isModule = command.parent !== null && command.parent.name === 'module';
      if (!protectedAllowed(node, client, isModule)) {
        refuse(node, client, command, isModule ? MODULE_NOT_ALLOWED : DEBUG_NOT_ALLOWED);
        return;
      }
    }
    if (!client.authenticated && node.authRequired() && !flags.no_auth) {
      refuse(node, client, command, errors.NOAUTH);
      return;
    }
    if (client.inMulti && flags.no_multi) {
      refuse(node, client, command, error('ERR Command not allowed inside a transaction'));
      return;
    }
    // ACL: a user allowed everything (the default one, usually) costs one flag read.
    const user = client.user;
    if (user !== null && !user.unrestricted) {
      const check = user.check(command, argv);
      if (check.result !== ACL_OK) {
        refuse(node, client, command, node.acl.refuse(client, check, command, argv, client.inMulti ? 'multi' : 'toplevel'));
        return;
      }
    }
    let isWrite = flags.write;
    let isDenyOom = flags.denyoom;
    let isRead = flags.readonly;
    let denyStale = !flags.stale;
    let denyLoading = !flags.loading;
    let mayReplicate = flags.may_replicate;
    if (name === 'exec' && client.inMulti) {
      // EXEC is checked as what it will run: the queued commands' flags together
      // (server state may have changed since they were queued), with the flags
      // each was queued with (EVAL/FCALL: its script's declared flags).
      for (const queued of client.multiQueue) {
        const is = queued.flags;
        isWrite ||= is.write;
        isDenyOom ||= is.denyoom;
        isRead ||= is.readonly;
        denyStale ||= !is.stale;
        denyLoading ||= !is.loading;
        mayReplicate ||= is.may_replicate;
      }
    }
    if (!client.isMaster && node.hot.maxmemory > 0 && !node.scripting.busy) {
      // Nothing is evicted while clients are paused (isSafeToPerformEvictions), nor
      // while a script runs past busy-reply-threshold (processCommand's
      // !isInsideYieldingLongCommand()): the commands other clients send meanwhile
      // must not put eviction DELs amid the script's effects; the next one after it evicts.
      const outOfMemory = !node.pause.writesPaused() && !node.memory.performEvictions();
      const rejectOnOom = isDenyOom || (client.inMulti && !OOM_EXEMPT_IN_MULTI.has(name));
      if (outOfMemory && rejectOnOom) {
        refuse(node, client, command, errors.OOM);
        return;
      }
    }
    // Keep the tracking table within tracking-table-max-keys (before the command, even if it is queued).
    if (node.tracking.clients > 0) node.tracking.limitUsedSlots();
    if (!client.isMaster && (isWrite || name === 'ping') && node.persistence.writesDeniedByDiskError()) {
      refuse(node, client, command, MISCONF);
      return;
    }
    if (isWrite && !client.isMaster && !node.replication.enoughGoodReplicas()) {
      refuse(node, client, command, errors.NOREPLICAS);
      return;
    }
    if (isWrite && !client.isMaster && node.replication.isReplica && node.hot.replicaReadOnly) {
      refuse(node, client, command, errors.READONLY);
      return;
    }
    if (client.protocol === 2 && client.subscriptionCount > 0 && !PUBSUB_CONTEXT_ALLOWED.has(name)) {
      refuse(node, client, command, error(`ERR Can't execute '${command.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`));
      return;
    }
    if (node.replication.isReplica && !node.hot.replicaServeStaleData && !node.replication.linkUp && denyStale && !client.isMaster) {
      refuse(node, client, command, errors.MASTERDOWN);
      return;
    }
    if (node.persistence.loading && denyLoading) {
      refuse(node, client, command, errors.LOADING);
      return;
    }
    if (node.scripting.busy && !flags.allow_busy) {
      // A script is running past busy-reply-threshold (script-runner.ts).
      refuse(node, client, command, node.scripting.busyError());
      return;
    }
    if (client.isReplica && (isWrite || isRead || mayReplicate)) {
      refuse(node, client, command, error("ERR Replica can't interact with the keyspace"));
      return;
    }
    if (node.pause.shouldPostpone(client, isWrite || mayReplicate)) {
      node.blocking.postpone(client, command, argv);
      return;
    }
    // 16. a command that compiles Lua waits for the runtime, made on first use (scripting.ts).
    if (command.is.noscript && node.scripting.postponeForRuntime(client, command, argv)) return;
    if (client.inMulti && !MULTI_PASSTHROUGH.has(name)) {
      client.multiQueue.push({ command, argv, flags });
      client.reply(QUEUED);
      return;
    }
    this.call(client, command, argv, true, now, started, inRun);
    if (!node.scripting.busy) node.blocking.handleReadyKeys();
  }

  /**
   * A replica link must never make us reply (it would corrupt the stream it
   * reads): Redis 7.0 logs it (at the first reply, error-replies.ts) and
   * drops the replica once the request is done (freeClientAsync).
   */
  replicaMisbehaved(client: Client): void {
    client.replicaGeneratedReply = false;
    logReplicaReply(this.node, client);
    const commandName = lastCommandName(client);
    if (client.replicaLink) this.node.replication.dropReplica(client.replicaLink, 'protocol-error', `replica sent '${commandName}'`);
    else this.node.killClient(client);
  }

  /**
   * Executes a command that passed the checks. `topLevel` is false for
   * commands run by EXEC: their effects are flushed with EXEC's. `started`
   * is the performance.now() reading the duration is measured from and
   * `now` the command's fixed wall-clock time. `inRun`: a pipelined fast
   * command whose duration is measured with its run (closeRun).
   */
  call(client: Client, command: ResolvedCommand, argv: string[], topLevel: boolean, now = Date.now(), started = performance.now(), inRun = false): Reply | null {
    const node = this.node;
    // After a panic: no reply, no effect (the rest of an EXEC's queue, or of a script, after the command that panicked).
    if (node.crashed) return null;
    const ctx = new CommandContext(node, client, argv, command, now);
    if (!topLevel) ctx.nested = true;
    if (command.is.touches_arbitrary_keys) node.propagation.noMulti = true;
    let reply: Reply | null;
    // The result's kind, read once here and passed down (see encodeReplyOfKind); 'none' with no reply.
    let kind: Reply['kind'];
    const wasExecuting = this.executing;
    this.executing = true;
    try {
      const result = command.handler!(ctx);
      const resultKind = result.kind;
      if (resultKind === 'block') {
        reply = this.blockOrTimeout(ctx, result as BlockRequest);
        kind = reply === null ? 'none' : reply.kind;
      } else {
        reply = result as Reply;
        kind = resultKind;
      }
    } catch (failure) {
      reply = this.handlerCrashed(command, argv, failure);
      kind = 'error';
    }
    this.executing = wasExecuting;
    if (inRun && reply !== null) {
      const index = this.runLength++;
      this.runCommands[index] = command;
      this.runClients[index] = client;
      this.runArgv[index] = shownArgv(ctx);
      this.afterCall(ctx, reply, kind, MEASURED_WITH_RUN, topLevel);
      return reply;
    }
    if (this.runLength > 0) {
      // Only a fast command that blocked gets here with a run open: it is timed from the run's end.
      this.closeRun();
      started = this.batchMark;
    }
    const ended = performance.now();
    if (this.batchMark >= 0) this.batchMark = ended;
    this.afterCall(ctx, reply, kind, (ended - started) * 1000, topLevel);
    return reply;
  }

  /**
   * Gives a blocked client another go (a key became ready, ACKs arrived) or
   * answers its timeout. When it is served, it is unblocked and the run is
   * accounted like a top-level call (reply, propagation as rewritten by the
   * handler, e.g. BLPOP -> LPOP). Returns true when the client was served.
   */
  resumeBlocked(client: Client, mode: 'retry' | 'timeout', readyKey: string | null = null): boolean {
    const state = client.blocked;
    if (!state) return false;
    // The command that made the key ready is logged first, as in Redis.
    if (this.runLength > 0) this.closeRun();
    const node = this.node;
    const ctx = new CommandContext(node, client, state.argv, state.command, Date.now());
    ctx.servingBlocked = mode === 'retry' && readyKey !== null;
    const started = performance.now();
    let reply: Reply | null;
    // Served as the current client (its own invalidations follow this reply).
    const previousClient = this.currentClient;
    const wasExecuting = this.executing;
    this.currentClient = client;
    this.executing = true;
    try {
      reply = mode === 'retry' ? state.request.retry(ctx, readyKey) : state.request.onTimeout(ctx);
    } catch (failure) {
      reply = this.handlerCrashed(state.command, state.argv, failure);
    }
    this.executing = wasExecuting;
    if (reply === null) {
      node.propagation.flush();
      this.currentClient = previousClient;
      return false;
    }
    node.blocking.unblock(client);
    const micros = (performance.now() - started) * 1000;
    afterUnblock(node, ctx, reply, state, mode === 'retry' ? micros : 0);
    this.currentClient = previousClient;
    return true;
  }

  /**
   * Bookkeeping after a handler ran: reply, stats, latency histogram,
   * slowlog, monitor, propagation. Every feature that is off costs one test
   * of a field here (failures and redaction are out of line).
   */
  private afterCall(ctx: CommandContext, reply: Reply | null, kind: Reply['kind'], micros: number, topLevel: boolean): void {
    const node = this.node;
    const { client, command } = ctx;
    const is = command.is;
    const stats = command.stats;
    if (reply !== null) {
      client.replyOfKind(reply, kind);
      if (kind === 'error') countFailure(node, client, command, reply as ErrorReply);
    }
    stats.calls++;
    node.stats.commandsProcessed++;
    if (micros === MEASURED_WITH_RUN) {
      // usec, the histogram and the slowlog are fed when the run closes. No latency sample:
      // runs are never used while latency-monitor-threshold is set (checkAndRun).
    } else {
      if (reply === null && client.blocked !== null) {
        // Blocked: the histogram and the slowlog get the whole duration once it is served.
        client.blocked.callMicros = micros;
        if (client.blocked.request.lastsAsCall === true) {
          // Not blocked in Redis: everything is counted once, from the call to the reply (afterUnblock).
          client.blocked.blockedAt = performance.now();
          return this.afterCallTail(ctx, topLevel);
        }
        stats.usec += micros;
      } else if (reply === null && this.transactionPark !== null && this.transactionParkMicros < 0) {
        // A script parked EXEC's queue: counted once it ends (finishParkedCall).
        this.transactionParkMicros = micros;
        this.transactionParkAt = performance.now();
        return this.afterCallTail(ctx, topLevel);
      } else {
        stats.usec += micros;
        recordLatency(node, command, micros);
        if (!is.skip_slowlog) node.slowlog.record(client, shownArgv(ctx), micros);
      }
      if (node.hot.latencyMonitorThreshold > 0) node.latency.addSampleIfNeeded(is.fast ? 'fast-command' : 'command', Math.floor(micros / 1000));
    }
    this.afterCallTail(ctx, topLevel);
  }

  /** afterCall's part after the figures: monitor, tracking, dirty, propagation. */
  private afterCallTail(ctx: CommandContext, topLevel: boolean): void {
    const node = this.node;
    const { client, command } = ctx;
    const is = command.is;
    if (node.monitor.monitors.size > 0 && !is.skip_monitor && !is.admin) node.monitor.feed(client, shownArgv(ctx), ctx.now);
    if (is.readonly && node.tracking.clients > 0) rememberTrackedKeys(node, client, command, ctx.argv);
    if (ctx.dirty > 0) node.dirty += ctx.dirty;
    if ((ctx.dirty > 0 || ctx.propagationForced) && !ctx.propagationPrevented && !client.suppressPropagation && command.name !== 'exec') {
      node.propagation.add(client.dbIndex, ctx.propagateArgv ?? ctx.argv);
    }
    if (topLevel) {
      node.propagation.flush();
      client.replicationOffsetAfterLastCommand = node.replication.masterReplOffset;
      // After the reply and propagation: the client's own invalidations (trackingHandlePendingKeyInvalidations).
      if (node.tracking.hasPending) node.tracking.flushPending();
    }
  }

  /** A command answered `client` an error: failed_calls, then afterErrorReply (the error statistics unless already counted). */
  countFailure(client: Client, command: ResolvedCommand, reply: ErrorReply): void {
    countFailure(this.node, client, command, reply);
  }

  errorReplied(client: Client, message: string, commandName: string): void {
    afterErrorReply(this.node, client, message, { command: commandName });
  }

  /**
   * A handler that cannot be served now: block the client, or, where Redis
   * does not block (inside MULTI, the master link), reply as on timeout.
   */
  private blockOrTimeout(ctx: CommandContext, request: BlockRequest): Reply | null {
    if (this.executingTransaction && request.parksTransaction === true) {
      // A timed-out script inside EXEC: EXEC takes the request (takeTransactionPark) and parks.
      this.transactionPark = request;
      return null;
    }
    const parkedMaster = ctx.client.isMaster && request.parksMaster === true;
    if (!parkedMaster && (ctx.client.inMulti || ctx.client.isMaster || ctx.client.socket === null || this.executingTransaction)) {
      return (request.onDenied ?? request.onTimeout)(ctx);
    }
    this.node.blocking.block(ctx.client, ctx.command, ctx.argv, request);
    return null;
  }

  /** True while EXEC runs its queue (blocking commands then behave as non-blocking). */
  executingTransaction = false;

  /** The block request of a script that timed out inside EXEC's queue, until EXEC takes it. */
  private transactionPark: BlockRequest | null = null;
  /** How long that script's call took until it parked (µs; -1 until afterCall records it) and when it parked. */
  private transactionParkMicros = -1;
  private transactionParkAt = 0;

  /** The script the last queued command left running past busy-reply-threshold (EXEC then parks), or null. */
  takeTransactionPark(): TransactionPark | null {
    const request = this.transactionPark;
    if (request === null) return null;
    const park = { request, callMicros: Math.max(0, this.transactionParkMicros), parkedAt: this.transactionParkAt };
    this.transactionPark = null;
    this.transactionParkMicros = -1;
    return park;
  }

  finishParkedCall(client: Client, command: ResolvedCommand, argv: string[], park: TransactionPark): void {
    countWholeCall(this.node, client, command, argv, park.callMicros + (performance.now() - park.parkedAt) * 1000);
  }

  private handlerCrashed(command: ResolvedCommand, argv: string[], failure: unknown): Reply {
    const detail = failure instanceof Error ? (failure.stack ?? failure.message) : String(failure);
    this.node.log.warning(`Command '${command.fullName}' (${argv.length} args) failed with an internal error: ${detail}`);
    return error(`ERR internal error while executing '${command.fullName}'; the server keeps running (see the server log)`);
  }
}
