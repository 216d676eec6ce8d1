/**
 * The command port: everything of the node a command handler may reach, as
 * `ctx.node` (see command-context.ts). EngineNode implements it; commands
 * never import node.ts.
 *
 * Why it exists: commands, their CommandContext and node.ts used to import
 * each other, one import circle of 110 files (69 under commands/), so any
 * command could reach any part of the node and every subsystem's internals
 * were a command's business. The port turns that around: the commands layer
 * owns these interfaces and the node (with its subsystems) implements them,
 * so the dependency points one way (node → commands) and what a command may
 * touch is written down here. test/engine/command-port.test.ts fails when a
 * file under commands/ imports node.ts or any import circle joins commands/
 * and node.ts again; `npx tsx scripts/import-cycles.ts main/engine` prints
 * the circles that remain.
 *
 * Two kinds of members:
 *  - parts that are leaves of the node (keyspace, pub/sub, ACL, the client
 *    registry, …): their modules never import node.ts, so the port names
 *    their classes as they are;
 *  - parts that drive the node (replication, scripting, persistence, the
 *    dispatcher, blocking, pause, listeners, memory): their classes hold the
 *    node, so the port has a narrow view of each (port/*.ts), only what
 *    commands use. Config has one too: commands read it and CONFIG SET it
 *    but do not hook into it. A command that needs more adds it to the view, where a
 *    reviewer sees it.
 * Operations that need the whole node (INFO, DEBUG RELOAD, PSYNC, MEMORY
 * STATS) are methods the node performs on the command's behalf.
 *
 * Types only: `ctx.node` is the EngineNode itself, so the hot path pays no
 * indirection for the port.
 */
import type { Acl } from '../../acl/acl-registry';
import type { HotConfig } from '../../config/hot-config';
import type { Keyspace } from '../../keyspace/keyspace';
import type { Logger } from '../../log/logger';
import type { LazyFree } from '../../memory/lazy-free';
import type { KeyspaceEvents } from '../../pubsub/keyspace-events';
import type { PubSub } from '../../pubsub/pubsub';
import type { Reply } from '../../resp/reply';
import type { Client } from '../../server/client';
import type { ClientRegistry } from '../../server/client-registry';
import type { DebugSettings } from '../../server/debug-settings';
import type { LatencyMonitor } from '../../server/latency-monitor';
import type { MigrateSockets } from '../../server/migrate-sockets';
import type { Monitor } from '../../server/monitor';
import type { Propagator } from '../../server/propagator';
import type { Slowlog } from '../../server/slowlog';
import type { ServerStats } from '../../server/stats';
import type { Tracking } from '../../server/tracking';
import type { TransactionRegistry } from '../../server/transactions';
import type { CommandTable } from '../command-table';
import type { ScanCursors } from '../scan-cursor';
import type { BlockingPort } from './blocking-port';
import type { ConfigPort } from './config-port';
import type { ClientPausePort } from './client-pause-port';
import type { DispatcherPort } from './dispatcher-port';
import type { ListenerPort } from './listener-port';
import type { MemoryBreakdown, MemoryPort } from './memory-port';
import type { PersistencePort, ReloadOptions } from './persistence-port';
import type { ReplicationPort } from './replication-port';
import type { ScriptingPort } from './scripting-port';
import type { ShutdownPort } from './shutdown-port';

export interface CommandNode {
  /** Read, and CONFIG SET; no change listeners (config-port.ts). */
  readonly config: ConfigPort;
  /** Hot-path copies of config values (refreshed on CONFIG SET). */
  readonly hot: HotConfig;
  readonly log: Logger;
  readonly keyspace: Keyspace;
  readonly commands: CommandTable;
  readonly stats: ServerStats;
  readonly clients: ClientRegistry;
  readonly transactions: TransactionRegistry;
  readonly pubsub: PubSub;
  readonly keyspaceEvents: KeyspaceEvents;
  readonly tracking: Tracking;
  readonly monitor: Monitor;
  readonly slowlog: Slowlog;
  readonly latency: LatencyMonitor;
  readonly debug: DebugSettings;
  readonly scanCursors: ScanCursors;
  readonly acl: Acl;
  readonly propagation: Propagator;
  /** UNLINK / FLUSH ASYNC bookkeeping (lazyfree_pending_objects, lazyfreed_objects). */
  readonly lazyFree: LazyFree;
  /** MIGRATE's cached connections to its targets. */
  readonly migrateSockets: MigrateSockets;
  /** server.dirty: changes since the last successful save. */
  dirty: number;
  /** The TCP port actually bound (CONFIG SET port moves it). */
  port: number;

  readonly replication: ReplicationPort;
  readonly scripting: ScriptingPort;
  readonly persistence: PersistencePort;
  readonly dispatcher: DispatcherPort;
  readonly blocking: BlockingPort;
  readonly pause: ClientPausePort;
  readonly tcp: ListenerPort;
  readonly memory: MemoryPort;
  /** SHUTDOWN's wait for lagging replicas, save and exit (server/shutdown.ts). */
  readonly shutdownSequence: ShutdownPort;
  /** DEBUG SET-ACTIVE-EXPIRE. */
  readonly activeExpire: { enabled: boolean };
  /** The keys a writable replica's own clients gave a TTL (expireSlaveKeys; FLUSHALL forgets them, INFO counts them). */
  readonly replicaKeyExpiry: { readonly size: number; clear(): void };

  /** Closes a client's connection now (CLIENT KILL). */
  killClient(client: Client): void;
  /** INFO [section…]: the whole text. */
  renderInfo(requested: ReadonlyArray<string>): string;
  /** MEMORY STATS / DOCTOR and INFO memory's split of used memory. */
  memoryBreakdown(): MemoryBreakdown;
  /** DEBUG RELOAD; throws ReloadError (persistence/reload-error.ts) with the reply text. */
  reloadDataset(options: ReloadOptions): void;
  /** DEBUG LOADAOF: the dataset dumped to memory and loaded back. */
  reloadFromMemory(): void;
  /** Redis's exit(status) inside a command: the node stops without saving or replying (see EngineNode). */
  exitWithoutSaving(status: number): void;
  /** SYNC / PSYNC from a replica (the master side of the handshake). */
  syncCommand(client: Client, argv: ReadonlyArray<string>): Reply;
}
