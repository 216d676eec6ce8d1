/**
 * EngineNode: one embedded Redis-compatible server. One instance owns its
 * configuration, databases, command table, TCP listener, clients and
 * replication state, exactly what one redis-server process owns. It never
 * imports electron: the CLI, the tests and the console's worker threads all
 * run it in plain Node.
 */
import { randomBytes } from 'node:crypto';
import { EngineConfig } from './config/engine-config';
import { ENGINE_REDIS_VERSION } from './version';
import { HotConfig } from './config/hot-config';
import { CommandTable } from './commands/command-table';
import { registerAllCommands } from './commands';
import { Keyspace } from './keyspace/keyspace';
import { Logger, type LogSink } from './log/logger';
import { IdleCollector } from './memory/idle-collector';
import { MemoryManager } from './memory/memory-manager';
import { Persistence } from './persistence/persistence';
import { PubSub } from './pubsub/pubsub';
import { KeyspaceEvents } from './pubsub/keyspace-events';
import { Tracking } from './server/tracking';
import { Replication } from './replication/replication';
import { BlockingManager } from './server/blocking';
import { ClientPause } from './server/client-pause';
import { OutputLimits } from './server/output-limits';
import { ClientRegistry } from './server/client-registry';
import { Dispatcher } from './server/dispatcher';
import { Monitor } from './server/monitor';
import { Propagator } from './server/propagator';
import { Slowlog } from './server/slowlog';
import { ServerStats } from './server/stats';
import { ClientsCron } from './server/clients-cron';
import { ShutdownSequence } from './server/shutdown';
import { LazyFree } from './memory/lazy-free';
import { MigrateSockets } from './server/migrate-sockets';
import { ClientEviction } from './server/client-eviction';
import { bindAddresses, NotListeningError, TcpServer } from './server/tcp-server';
import { TransactionRegistry } from './server/transactions';
import { ActiveExpire } from './keyspace/active-expire';
import { ReplicaKeyExpiry } from './keyspace/replica-key-expiry';
import { Dict } from './keyspace/dict';
import { SnapshotRegistry } from './rdb/snapshot';
import { ScanCursors } from './commands/scan-cursor';
import { RdbLoader } from './rdb/rdb-loader';
import { Scripting } from './scripting/scripting';
import { encodingLimits } from './persistence/persistence';
import type { Client } from './server/client';
import { DebugSettings } from './server/debug-settings';
import { Acl } from './acl/acl-registry';
import { loadAclFile, loadConfiguredUsers } from './acl/acl-file';
import { clientInfoLine } from './commands/server-client';
import { AclStartupError } from './acl/acl-startup-error';
import { LatencyMonitor } from './server/latency-monitor';
import type { CommandNode } from './commands/port/command-node';
import type { ReloadOptions } from './commands/port/persistence-port';
import { renderInfo } from './info/info-sections';
import { memoryBreakdown, type MemoryBreakdown } from './memory/memory-breakdown';
import { reloadDataset, reloadFromMemory } from './persistence/reload';
import { handleSyncCommand } from './replication/psync';
import type { Reply } from './resp/reply';

/** bugReportEnd's text (Redis 7.0), without its final newline. */
const BUG_REPORT_END = [
  '',
  '=== REDIS BUG REPORT END. Make sure to include from START to END. ===',
  '',
  '       Please report the crash by opening an issue on github:',
  '',
  '           http://github.com/redis/redis/issues',
  '',
  "  If a Redis module was involved, please open in the module's repo instead.",
  '',
  '  Suspect RAM error? Use redis-server --test-memory to verify it.',
  '',
  '  Some other issues could be detected by redis-server --check-system',
].join('\n');

export { ENGINE_REDIS_VERSION } from './version';

export interface EngineNodeOptions {
  /**
   * Startup configuration as [name, value] pairs (redis.conf / CLI order).
   * A `user` line's value is its arguments (a list, as the config text
   * gives them), or one string of space-separated words.
   */
  readonly config?: ReadonlyArray<readonly [string, string | ReadonlyArray<string>]>;
  /** Where log lines go (stdout for the CLI, an event stream in the console). */
  readonly logSink?: LogSink;
  /**
   * Load the dataset at startup but ignore the replication ids it records
   * (a restart "without the persisted replid": replicas must full-sync).
   */
  readonly ignoreRdbReplicationInfo?: boolean;
}

export class EngineNode implements CommandNode {
  readonly config = new EngineConfig();
  /** Hot-path copies of config values (refreshed on CONFIG SET). */
  readonly hot: HotConfig;
  readonly log: Logger;
  readonly keyspace: Keyspace;
  readonly commands = new CommandTable();
  readonly stats = new ServerStats();
  readonly clients = new ClientRegistry();
  readonly transactions = new TransactionRegistry();
  readonly pubsub = new PubSub();
  /** Keyspace notifications (notify-keyspace-events), published through `pubsub`. */
  readonly keyspaceEvents = new KeyspaceEvents(this.pubsub);
  /** Client-side caching: CLIENT TRACKING's tables and invalidation messages. */
  readonly tracking: Tracking = new Tracking({
    clientById: (id) => this.clients.clients.get(id),
    allClients: () => this.clients.clients.values(),
    currentClient: () => this.dispatcher.currentClient,
    executing: () => this.dispatcher.executing,
    maxKeys: () => this.config.int('tracking-table-max-keys'),
  });
  readonly monitor = new Monitor();
  readonly slowlog: Slowlog;
  readonly memory: MemoryManager;
  /** A full GC once the node is quiet after a burst of commands (memory/idle-collector.ts). */
  readonly idleCollector = new IdleCollector();
  readonly persistence: Persistence;
  readonly replication: Replication;
  readonly blocking: BlockingManager;
  readonly pause: ClientPause;
  readonly shutdownSequence: ShutdownSequence;
  readonly outputLimits: OutputLimits;
  readonly dispatcher: Dispatcher;
  readonly propagation: Propagator;
  readonly activeExpire: ActiveExpire;
  /** The keys a writable replica's own clients gave a TTL (expireSlaveKeys). */
  readonly replicaKeyExpiry: ReplicaKeyExpiry;
  /** EVAL scripts and FUNCTION libraries (the Lua runtime is made on first use: scripting.ts). */
  readonly scripting: Scripting;
  /**
   * Snapshots in progress (BGSAVE, full syncs): the copy-on-write hook
   * target. Each slice of a walk first sends the client replies already
   * computed (see SnapshotRegistry).
   */
  readonly snapshots = new SnapshotRegistry(() => this.clients.flushAll());
  /** Latency spikes by event class (LATENCY, latency-monitor-threshold). */
  readonly latency: LatencyMonitor;
  /** What DEBUG subcommands have set (tests and diagnosis only). */
  readonly debug = new DebugSettings();
  /** UNLINK / FLUSH ASYNC bookkeeping (lazyfree_pending_objects, lazyfreed_objects; released bytes). */
  readonly lazyFree = new LazyFree({
    noteReleased: (bytes) => this.memory.noteReleased(bytes),
    noteFlushed: (bytes) => this.memory.noteFlushed(bytes),
    listMaxListpackSize: () => this.config.int('list-max-listpack-size'),
    quicklistPackedThreshold: () => this.debug.quicklistPackedThreshold,
  });
  /** MIGRATE's cached connections to its targets. */
  readonly migrateSockets = new MigrateSockets();
  /** maxmemory-clients: the biggest clients are closed while all of them together pass the limit. */
  readonly clientEviction = new ClientEviction({
    config: this.config,
    stats: this.stats,
    clients: () => this.clients.clients.values(),
    evict: (client) => {
      this.log.notice(`Evicting client: ${clientInfoLine(client, Date.now())}`);
      this.killClient(client);
    },
  });
  /** Per-client cron work: idle timeout, query/reply buffer resizing, recent buffer peaks. */
  readonly clientsCron = new ClientsCron({
    clients: { [Symbol.iterator]: () => this.clients.clients.values() },
    debug: this.debug,
    stats: this.stats,
    idleTimeoutSeconds: () => this.config.int('timeout'),
    closeIdleClient: (client) => {
      this.log.verbose('Closing idle client');
      this.killClient(client);
    },
  });
  /** Live SCAN-family iterators (commands/scan-cursor.ts). */
  readonly scanCursors = new ScanCursors();
  readonly tcp: TcpServer;
  /** Users, permissions and the ACL log (main/engine/acl). */
  readonly acl: Acl;
  /** 40 hex chars, new each start (INFO run_id). */
  readonly runId = randomBytes(20).toString('hex');
  /** server.dirty: changes since the last successful save. */
  dirty = 0;
  /** The TCP port actually bound (differs from config when port 0 was asked). */
  port = 0;
  private cronTimer: NodeJS.Timeout | null = null;
  private cronTicks = 0;
  private stopped = false;

  constructor(readonly options: EngineNodeOptions = {}) {
    this.log = new Logger(() => (this.replication?.isReplica ? 'S' : 'M'));
    if (options.logSink) this.log.addSink(options.logSink);
    // `user` lines are not parameters: they define ACL users once the command table exists.
    const userLines: Array<ReadonlyArray<string>> = [];
    for (const [name, value] of options.config ?? []) {
      if (name.toLowerCase() === 'user') userLines.push(typeof value === 'string' ? value.split(' ').filter((word) => word.length > 0) : value);
      else this.config.set(name, typeof value === 'string' ? value : value.join(' '), 'startup');
    }
    this.hot = new HotConfig(this.config);
    this.log.level = this.config.string('loglevel') as Logger['level'];
    this.config.onChange('loglevel', (value) => {
      this.log.level = value as Logger['level'];
    });
    this.keyspace = new Keyspace(this.config.int('databases'));
    this.keyspace.events = this.keyspaceEvents;
    this.keyspaceEvents.configure(this.config.string('notify-keyspace-events'));
    this.config.onChange('notify-keyspace-events', (value) => this.keyspaceEvents.configure(String(value)));
    const applyAccessPolicy = (): void => {
      const access = this.keyspace.access;
      access.lfu = this.config.string('maxmemory-policy').includes('lfu');
      access.lfuLogFactor = this.config.int('lfu-log-factor');
      access.lfuDecayTime = this.config.int('lfu-decay-time');
      access.sharedIntegersOff = this.config.int('maxmemory') > 0 && /lru|lfu/.test(this.config.string('maxmemory-policy'));
    };
    applyAccessPolicy();
    for (const name of ['maxmemory', 'maxmemory-policy', 'lfu-log-factor', 'lfu-decay-time']) this.config.onChange(name, applyAccessPolicy);
    this.slowlog = new Slowlog(this.hot);
    this.latency = new LatencyMonitor(() => this.hot.latencyMonitorThreshold);
    this.memory = new MemoryManager(this.config);
    this.persistence = new Persistence(this);
    this.replication = new Replication(this);
    this.blocking = new BlockingManager(this);
    this.pause = new ClientPause(this);
    this.shutdownSequence = new ShutdownSequence(this);
    this.outputLimits = new OutputLimits(this);
    this.clients.afterWrite = (client) => void this.outputLimits.check(client);
    this.dispatcher = new Dispatcher(this);
    this.propagation = new Propagator(
      (dbIndex, argv) => this.replication.feed(dbIndex, argv),
      () => this.replication.streamsCommands,
      () => this.keyspace.propagationReleased(),
    );
    this.activeExpire = new ActiveExpire(this);
    this.replicaKeyExpiry = new ReplicaKeyExpiry(this.keyspace);
    this.scripting = new Scripting(this);
    this.memory.attach(this);
    this.tcp = new TcpServer(this);
    this.keyspace.hooks = {
      beforeWrite: (db, key) => {
        this.snapshots.beforeWrite(db, key);
        if (this.memory.counting) this.memory.countWrite(db, key);
      },
      keyModified: (db, key, byServer) => {
        this.transactions.touchKey(db, key);
        if (this.tracking.active) this.tracking.invalidateKey(key, byServer ? null : this.dispatcher.currentClient);
      },
      keyReady: (db, key) => this.blocking.keyReady(db, key),
      waitedOn: (db, key) => this.blocking.isWaitedOn(db, key),
      propagateExpire: (db, key) => {
        const command = this.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL';
        this.propagation.add(db.id, [command, key]);
      },
      expiryPaused: () => this.pause.writesPaused(),
      expireSet: (db, key) => {
        // setExpire: a writable replica remembers the TTLs its own clients set (not its master's).
        if (!this.replication.isReplica || this.hot.replicaReadOnly) return;
        const client = this.dispatcher.currentClient;
        if (client !== null && !client.isMaster) this.replicaKeyExpiry.remember(db.id, key);
      },
    };
    this.clients.onWrite = (bytes) => {
      this.stats.netOutputBytes += bytes;
      this.stats.writesProcessed++;
    };
    registerAllCommands(this.commands);
    this.acl = this.startAcl(userLines);
    this.replication.startSnapshot = (sink, options) =>
      this.snapshots.start(options.filter === 'all' ? this.keyspace.dbs : [], sink, {
        replication: options.replication,
        compress: this.config.bool('rdbcompression'),
        checksum: this.config.bool('rdbchecksum'),
        usedMemory: this.memory.usedMemory(),
        keySaveDelayMicros: this.config.int('rdb-key-save-delay'),
        plainNodeThreshold: this.debug.quicklistPackedThreshold,
        listFill: this.config.int('list-max-listpack-size'),
        listCompressDepth: this.config.int('list-compress-depth'),
        functions: options.filter === 'none' ? [] : this.scripting.libraryCodes(),
      });
    this.replication.createLoader = (options) =>
      new RdbLoader({
        databases: this.keyspace.dbs.length,
        keepExpired: options.keepExpired,
        limits: encodingLimits(this),
        warn: (message) => this.log.warning(message),
        access: this.keyspace.access,
      });
  }

  authRequired(): boolean {
    return this.hot.authRequired;
  }

  /**
   * ACL at startup, in Redis's order: requirepass sets the default user's
   * password, then `user` lines or the aclfile define users (not both).
   */
  private startAcl(userLines: ReadonlyArray<ReadonlyArray<string>>): Acl {
    const acl = new Acl(this.commands, {
      clients: () => this.clients.clients.values(),
      killClient: (client) => this.killClient(client),
      clientInfo: (client) => clientInfoLine(client, Date.now()),
      aclPubsubAllChannels: () => this.config.string('acl-pubsub-default') === 'allchannels',
      aclLogMaxLength: () => this.config.int('acllog-max-len'),
      defaultUserChanged: () => {
        this.hot.authRequired = acl.authRequired();
      },
    });
    const requirepass = this.config.string('requirepass');
    if (requirepass !== '') acl.setDefaultPassword(requirepass);
    this.config.onChange('requirepass', (value) => acl.setDefaultPassword(String(value)));
    const aclFile = this.config.string('aclfile');
    if (aclFile !== '' && userLines.length > 0) {
      throw new AclStartupError(
        'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
      );
    }
    const configured = loadConfiguredUsers(acl, userLines, (message) => this.log.notice(message));
    if (configured !== null) throw new AclStartupError(configured, [configured, 'Critical error while loading ACLs. Exiting.']);
    if (aclFile !== '') {
      const errors = loadAclFile(acl, aclFile, this.config.string('dir'), null);
      if (errors !== null) throw new AclStartupError(`Aborting Redis startup because of ACL errors: ${errors}`);
    }
    return acl;
  }

  /**
   * Binds the listener, loads the dump (if any) and starts the periodic
   * tasks. A configured `replicaof` is set before loading, so the
   * replication ids in the dump can rebuild a cached master (PSYNC2
   * restart), and connects once we listen. Resolves with the bound port.
   */
  async start(): Promise<number> {
    const replicaof = this.config.string('replicaof');
    if (replicaof !== '') {
      // "<host> <port>": the port is the last word (a host may hold a space).
      const space = replicaof.lastIndexOf(' ');
      this.replication.setMaster(replicaof.slice(0, space), Number(replicaof.slice(space + 1)), { connect: false, startup: true });
    }
    // initServer binds first: a port that is taken is "Failed listening on port" before any banner
    // (Redis's harness stops looking for that line once it sees " PID: <pid>", and would not retry).
    this.port = await this.tcp.listen(this.config.int('port'), bindAddresses(this.config.string('bind')));
    // initServer: every `bind` address was skipped (the engine has no unix socket nor TLS to fall back on).
    if (!this.tcp.listening) throw new NotListeningError();
    // redisAsciiArt: with always-show-logo, a banner with the port and pid (Redis's test
    // harness waits for " PID: <pid>" in the log before it talks to a server it started),
    // then "Server initialized", then the load (clients meanwhile get -LOADING); a load that
    // fails is logged after the banner, as Redis's harness expects.
    if (this.config.bool('always-show-logo')) {
      this.log.raw(`\n    Replscope engine (Redis ${ENGINE_REDIS_VERSION} compatible) 64 bit\n    Running in standalone mode\n    Port: ${this.config.int('port')}\n    PID: ${process.pid}\n`);
    }
    this.log.notice(`Server initialized`);
    await this.persistence.loadAtStartup();
    this.log.notice('Ready to accept connections');
    const hz = this.config.int('hz');
    this.cronTimer = setInterval(() => this.cron(), Math.max(1, Math.floor(1000 / hz)));
    this.cronTimer.unref?.();
    this.replication.link?.connect();
    return this.port;
  }

  /** serverCron: active expiry every tick; replicationCron once a second. */
  private cron(): void {
    if (this.debug.cronPaused) return;
    // While a script runs past busy-reply-threshold nothing may touch the
    // keyspace or snapshot it half-way (Redis runs no serverCron then).
    if (this.scripting.busy) return;
    this.cronTicks++;
    try {
      const now = Date.now();
      this.dispatcher.clock.resync();
      this.keyspace.access.refreshClock(now);
      if (!this.replication.isReplica) this.activeExpire.cycle();
      else if (this.activeExpire.enabled) this.replicaKeyExpiry.cycle(now);
      this.pause.cron(now);
      this.clientsCron.run(now);
      this.clientEviction.evictIfNeeded();
      this.migrateSockets.closeIdle(now);
      this.replication.cron(now);
      this.persistence.cron(now);
      this.shutdownSequence.cron(now);
      this.stats.sampleMetrics(now);
      this.memory.sample();
      this.idleCollector.cron(this.stats.commandsProcessed, now);
      // Also here, so a CONFIG SET of tracking-table-max-keys applies on an idle server.
      if (this.tracking.clients > 0) this.tracking.limitUsedSlots();
    } catch (failure) {
      this.log.warning(`Cron task failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  /**
   * What SHUTDOWN (server/shutdown.ts) does once the dataset is saved: the host decides (the CLI
   * exits the process, the console stops the worker). Default: stop the node.
   */
  onShutdownRequest: (() => void) | null = null;

  requestShutdown(): void {
    if (this.onShutdownRequest) this.onShutdownRequest();
    else void this.shutdown();
  }

  /**
   * Where Redis calls exit(status) in the middle of a command (DEBUG LOADAOF
   * finding no AOF): no save, no reply, every connection closed. The host
   * decides what that means (the CLI exits the process with the status);
   * default: the node stops.
   */
  onExitRequest: ((status: number) => void) | null = null;

  exitWithoutSaving(status: number): void {
    if (this.onExitRequest) this.onExitRequest(status);
    else void this.shutdown();
  }

  /**
   * What the host does once the node has panicked (see panic). The CLI
   * aborts the process, as redis-server's bugReportEnd does. Default (the
   * node inside the console's worker, or a test): the node stops as a
   * crashed server would look from outside (stopServing).
   */
  onPanic: (() => void) | null = null;
  /** The node panicked (serverPanic): it serves nothing and logs nothing more. */
  crashed = false;

  /**
   * serverPanic (debug.c _serverPanic, Redis 7.0), for the cases we model:
   * the bug report's lines, "Guru Meditation: <message> #<where>" (Redis
   * names its C file and line; we name the module that panicked), then the
   * end of the report. With crash-log-enabled Redis prints its stack trace
   * and an INFO dump between the two; we have neither (a JS stack is not
   * Redis's, and the INFO would be read from a node in an unknown state).
   *
   * Redis then calls abort(): the process dies with SIGABRT. Inside the
   * console an abort would take the Electron main process (or the demo's
   * worker thread and every node it serves) with it, so an embedded node
   * instead stops where it stands: it logs nothing more, its listeners and
   * every connection close at once with no reply (peers see the connection
   * end, as after a crash), its cron stops, nothing is saved. Replicas of
   * it and the console's poller see it down, as they would a crashed
   * redis-server. The rest of the call stack that led here runs on to its
   * end (a JS function cannot be abandoned midway without unwinding through
   * every caller) but its effects reach no one: no socket, no log line.
   *
   * Its own event feed says what happened, as no redis-server can: its links
   * go down with the reason `crashed` and the Guru Meditation text, then a
   * `crashed` event carries that text (the console's timeline and the demo,
   * whose worker ends the node's thread on it).
   */
  panic(message: string, where: string): void {
    if (this.crashed) return;
    this.log.raw('\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===');
    this.log.warning('------------------------------------------------');
    this.log.warning('!!! Software Failure. Press left mouse button to continue');
    this.log.warning(`Guru Meditation: ${message} #${where}`);
    this.log.raw(BUG_REPORT_END);
    this.crashed = true;
    this.log.silence();
    if (this.onPanic) {
      this.onPanic();
      return;
    }
    const meditation = `Guru Meditation: ${message}`;
    void this.stopServing({ crash: meditation });
    this.replication.events.emit({ type: 'crashed', message: meditation });
  }

  // Operations of the command port (commands/port/command-node.ts) that need the whole node.
  renderInfo(requested: ReadonlyArray<string>): string {
    return renderInfo(this, requested);
  }

  memoryBreakdown(): MemoryBreakdown {
    return memoryBreakdown(this);
  }

  reloadDataset(options: ReloadOptions): void {
    reloadDataset(this, options);
  }

  reloadFromMemory(): void {
    reloadFromMemory(this);
  }

  syncCommand(client: Client, argv: ReadonlyArray<string>): Reply {
    return handleSyncCommand(this.replication, client, argv);
  }

  /** Drops a client: its blocking, subscriptions, watches, replica role. */
  disconnectClient(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    // A command that is one call() in Redis however long it runs (a script past
    // busy-reply-threshold, an EXEC parked on one: lastsAsCall) stays blocked: Redis
    // protects its caller (protectClient) and finishes the call, the rest of an EXEC's
    // queue and the call's figures included; its reply is dropped when it ends.
    if (client.blocked?.request.lastsAsCall !== true) this.blocking.unblock(client);
    this.pubsub.removeClient(client);
    this.transactions.unwatchAll(client);
    this.monitor.monitors.delete(client);
    this.tracking.disable(client);
    this.replication.clientGone(client);
    this.clients.remove(client);
  }

  /** Closes a client's connection now (CLIENT KILL, output buffer limits). */
  killClient(client: Client): void {
    if (client.socket) client.socket.destroy();
    this.disconnectClient(client);
  }

  /**
   * Puts a loaded dataset in place of the current one, all databases at once
   * (the old data served clients until now). WATCHers of a key present
   * in the old or the new dataset are touched (swapMainDbWithTempDb), and
   * tracking clients are told "all keys", as after a FLUSHALL.
   */
  replaceAllDatabases(dbs: ReadonlyArray<{ dict: Dict; expires: Map<string, number> }>): void {
    const now = Date.now();
    this.keyspace.dbs.forEach((db, index) => this.transactions.touchFlushed(db, dbs[index] ?? null, now));
    const replacedBytes = this.memory.beforeDatasetReplaced();
    this.keyspace.dbs.forEach((db, index) => {
      const loaded = dbs[index];
      db.dict = loaded ? loaded.dict : new Dict();
      db.expires = loaded ? loaded.expires : new Map();
      db.sdsShapes = null;
      db.version++;
    });
    this.memory.datasetReplaced(replacedBytes);
    this.tracking.invalidateAll();
  }

  /** Stops listening and closes every connection; the node cannot be restarted. */
  async shutdown(): Promise<void> {
    if (await this.stopServing(null)) this.log.warning('Redis is now ready to exit, bye bye...');
  }

  /**
   * The one way a node stops: its cron, its replication (links reported down
   * as `shutdown`, or as `crashed` with the Guru Meditation of a panic),
   * MIGRATE's cached sockets, every client connection and its listeners. The
   * end of a shutdown (finishShutdown's, after the save it may have made), or
   * the embedded node's abort() after a panic: then with no shutdown sequence
   * and no save, and a BGSAVE in progress left to run on as redis-server's
   * forked child does (Persistence.orphanBgsave). False when the node had
   * already stopped.
   */
  private async stopServing(reason: { crash: string } | null): Promise<boolean> {
    if (this.stopped) return false;
    this.stopped = true;
    if (this.cronTimer) clearInterval(this.cronTimer);
    if (reason) this.persistence.orphanBgsave();
    this.replication.close(reason ? { message: reason.crash } : null);
    this.migrateSockets.closeAll();
    for (const client of [...this.clients.clients.values()]) this.killClient(client);
    await this.tcp.close();
    return true;
  }
}
