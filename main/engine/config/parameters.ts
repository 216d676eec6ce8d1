/**
 * Every configuration parameter the engine honours (or accepts for
 * compatibility, marked "accepted"), with Redis 7.0's names, aliases and
 * defaults. CONFIG GET/SET, the CLI and redis.conf-style files all go through
 * this table.
 */
import { changeDirectory, currentDirectory } from './dir-param';
import type { ConfigParam } from './config-types';
import { bool, enumeration, hidden, int, memory, string, uint } from './param-builders';
import { INERT_PARAMETERS } from './inert-parameters';
import { parseClientOutputBufferLimit, parseSavePoints, parseBind, parseReplicaOf, parseLatencyPercentiles, parseShutdownOnSignal } from './special-params';
import { formatNotifyKeyspaceEventsConfig, parseNotifyKeyspaceEventsConfig } from '../pubsub/keyspace-events';
import { INT_MAX, INT_MIN, LLONG_MAX, UINT_MAX, ULLONG_MAX } from './numeric-values';

const KB = 1024;
const MB = 1024 * 1024;
const GB = 1024 * MB;
/** LONG_MAX, LLONG_MAX and SSIZE_MAX are the same on the 64-bit builds Redis supports. */
const LONG_MAX = LLONG_MAX;

export const CONFIG_PARAMETERS: ReadonlyArray<ConfigParam> = [
  // Network
  { kind: 'special', name: 'bind', multiArgument: true, defaultValue: '127.0.0.1', mutable: true, parse: parseBind },
  int('port', 6379, 0, 65535),
  int('tcp-backlog', 511, 0, INT_MAX, false),
  int('timeout', 0, 0, INT_MAX),
  int('tcp-keepalive', 300, 0, INT_MAX),
  bool('protected-mode', true),
  uint('maxclients', 10000, 1, UINT_MAX),
  // General
  bool('daemonize', false, false),
  enumeration('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning']),
  string('logfile', '', false),
  int('databases', 16, 1, 1_000_000, false),
  int('hz', 10, 0, INT_MAX, true, undefined, { clampTo: [1, 500] }),
  string('pidfile', '', false),
  enumeration('enable-debug-command', 'no', ['no', 'yes', 'local'], false),
  enumeration('enable-module-command', 'no', ['no', 'yes', 'local'], false),
  enumeration('enable-protected-configs', 'no', ['no', 'yes', 'local'], false),
  int('shutdown-timeout', 10, 0, INT_MAX),
  { kind: 'special', name: 'shutdown-on-sigint', multiArgument: true, defaultValue: 'default', mutable: true, parse: parseShutdownOnSignal },
  { kind: 'special', name: 'shutdown-on-sigterm', multiArgument: true, defaultValue: 'default', mutable: true, parse: parseShutdownOnSignal },
  // Security (users themselves come from `user` lines and aclfile: main/engine/acl)
  // sds values (createSDSConfig): every byte kept, a NUL included; the other strings end at one.
  string('requirepass', '', true, undefined, { binary: true }),
  string('aclfile', '', false),
  uint('acllog-max-len', 128, 0, LONG_MAX),
  enumeration('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels']),
  // Snapshotting
  { kind: 'special', name: 'save', multiArgument: true, defaultValue: '3600 1 300 100 60 10000', mutable: true, parse: parseSavePoints },
  bool('stop-writes-on-bgsave-error', true),
  bool('rdbcompression', true),
  bool('rdbchecksum', true, false),
  // Protected as in 7.0 (enable-protected-configs): where the node writes its files.
  { ...string('dbfilename', 'dump.rdb'), protected: true, validate: (name: string) => (/[/\\]/.test(name) ? "dbfilename can't be a path, just a filename" : null) },
  // redis-server chdir()s into dir and CONFIG GET prints getcwd() (dir-param.ts).
  { kind: 'special', name: 'dir', defaultValue: '.', mutable: true, protected: true, parse: changeDirectory, format: currentDirectory },
  bool('rdb-del-sync-files', false),
  // Payloads are always checked deeply (stream-listpack-check.ts); the setting is kept for CONFIG SET/GET.
  enumeration('sanitize-dump-payload', 'no', ['no', 'yes', 'clients']),
  hidden(int('rdb-key-save-delay', 0, INT_MIN, INT_MAX)),
  hidden(int('key-load-delay', 0, INT_MIN, INT_MAX)),
  // Kept for CONFIG SET/GET and config files (Redis's rdb.tcl sets it); the loader does not use it.
  hidden(int('loading-process-events-interval-bytes', 2 * 1024 * 1024, 1024, INT_MAX)),
  bool('appendonly', false),
  // Accepted (there is no AOF): test suites and redis.conf files set them.
  bool('aof-use-rdb-preamble', true),
  enumeration('appendfsync', 'everysec', ['everysec', 'always', 'no']),
  string('appendfilename', 'appendonly.aof', false),
  // Replication
  { kind: 'special', name: 'replicaof', multiArgument: true, aliases: ['slaveof'], defaultValue: '', mutable: false, parse: parseReplicaOf },
  string('masterauth', '', true, undefined, { binary: true }),
  string('masteruser', ''),
  bool('replica-serve-stale-data', true, true, ['slave-serve-stale-data']),
  bool('replica-read-only', true, true, ['slave-read-only']),
  bool('repl-diskless-sync', true),
  int('repl-diskless-sync-delay', 5, 0, INT_MAX),
  int('repl-diskless-sync-max-replicas', 0, 0, INT_MAX),
  enumeration('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  int('repl-ping-replica-period', 10, 1, INT_MAX, true, ['repl-ping-slave-period']),
  int('repl-timeout', 60, 1, INT_MAX),
  bool('repl-disable-tcp-nodelay', false),
  memory('repl-backlog-size', 1 * MB, 1, LLONG_MAX, { raiseTo: 16 * KB }),
  int('repl-backlog-ttl', 3600, 0, LONG_MAX),
  int('replica-priority', 100, 0, INT_MAX, true, ['slave-priority']),
  bool('replica-announced', true),
  string('replica-announce-ip', '', true, ['slave-announce-ip']),
  int('replica-announce-port', 0, 0, 65535, true, ['slave-announce-port']),
  int('min-replicas-to-write', 0, 0, INT_MAX, true, ['min-slaves-to-write']),
  int('min-replicas-max-lag', 10, 0, INT_MAX, true, ['min-slaves-max-lag']),
  bool('replica-lazy-flush', false, true, ['slave-lazy-flush']),
  bool('replica-ignore-maxmemory', true, true, ['slave-ignore-maxmemory']),
  enumeration('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas']),
  // Clients and memory
  { kind: 'special', name: 'client-output-buffer-limit', multiArgument: true, defaultValue: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', mutable: true, parse: parseClientOutputBufferLimit },
  memory('client-query-buffer-limit', 1 * GB, 1 * MB, LONG_MAX, { unsigned: true }),
  memory('proto-max-bulk-len', 512 * MB, 1 * MB, LONG_MAX),
  memory('maxmemory', 0, 0, ULLONG_MAX, { unsigned: true }),
  // Clients together may use this much (or this share of maxmemory) before the biggest are evicted.
  memory('maxmemory-clients', 0, -100, LONG_MAX, { percent: true }),
  enumeration('maxmemory-policy', 'noeviction', ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction']),
  int('maxmemory-samples', 5, 1, INT_MAX),
  int('maxmemory-eviction-tenacity', 10, 0, 100),
  int('lfu-log-factor', 10, 0, INT_MAX),
  int('lfu-decay-time', 1, 0, INT_MAX),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-server-del', false),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  // Scripting: the milliseconds after which a running script makes the node answer BUSY.
  int('busy-reply-threshold', 5000, 0, LONG_MAX, true, ['lua-time-limit']),
  int('active-expire-effort', 1, 1, 10),
  // Encodings
  uint('hash-max-listpack-entries', 512, 0, LONG_MAX, true, ['hash-max-ziplist-entries']),
  memory('hash-max-listpack-value', 64, 0, LONG_MAX, { unsigned: true, aliases: ['hash-max-ziplist-value'] }),
  uint('zset-max-listpack-entries', 128, 0, LONG_MAX, true, ['zset-max-ziplist-entries']),
  memory('zset-max-listpack-value', 64, 0, LONG_MAX, { unsigned: true, aliases: ['zset-max-ziplist-value'] }),
  uint('set-max-intset-entries', 512, 0, LONG_MAX),
  int('list-max-listpack-size', -2, INT_MIN, INT_MAX, true, ['list-max-ziplist-size']),
  int('list-compress-depth', 0, 0, INT_MAX),
  memory('stream-node-max-bytes', 4096, 0, LONG_MAX, { unsigned: true }),
  // A sparse HyperLogLog growing past this many bytes (header included) turns dense.
  memory('hll-sparse-max-bytes', 3000, 0, LONG_MAX, { unsigned: true }),
  int('stream-node-max-entries', 100, 0, LONG_MAX),
  // Logs and diagnostics
  int('slowlog-log-slower-than', 10000, -1, LONG_MAX),
  uint('slowlog-max-len', 128, 0, LONG_MAX),
  int('latency-monitor-threshold', 0, 0, LONG_MAX),
  bool('latency-tracking', true),
  { kind: 'special', name: 'latency-tracking-info-percentiles', multiArgument: true, defaultValue: '50 99 99.9', mutable: true, parse: parseLatencyPercentiles },
  uint('tracking-table-max-keys', 1_000_000, 0, LONG_MAX),
  { kind: 'special', name: 'notify-keyspace-events', defaultValue: '', mutable: true, parse: parseNotifyKeyspaceEventsConfig, format: formatNotifyKeyspaceEventsConfig },
  ...INERT_PARAMETERS,
];
