/**
 * The redis-server 7.0.15 parameters the engine has no use for, so that
 * CONFIG GET * lists what redis-server lists, redis.conf files that set them
 * load, and CONFIG SET answers as redis-server does: the same defaults, the
 * same range and enum errors, immutable ones refused with "can't set
 * immutable config", and the validations config.c runs (is_valid_fn) with
 * their texts. Each group says what setting it changes on the engine.
 */
import type { ConfigParam } from './config-types';
import { bool, enumeration, int, memory, string, uint } from './param-builders';
import { INT_MAX, LLONG_MAX, strtoll, UINT_MAX, ULLONG_MAX } from './numeric-values';
import { cString } from '../util/c-string';

const LONG_MAX = LLONG_MAX;

/** isValidActiveDefrag of a build without HAVE_DEFRAG (the engine has no allocator to defragment), Debian's text. */
function refuseActiveDefrag(enabled: boolean): string | null {
  return enabled
    ? 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution'
    : null;
}

/**
 * applyTlsCfg / applyTLSPort: redis-server configures OpenSSL once TLS is
 * in use (tls-port, tls-replication or tls-cluster) and answers this when
 * that fails. The engine has no TLS listener or TLS replication link, so
 * turning any of them on fails the same way; the certificate and cipher
 * settings alone are stored, as redis-server stores them while TLS is off.
 */
const TLS_UNAVAILABLE = 'Unable to update TLS configuration. Check server logs.';

/** isValidAnnouncedHostname (NET_HOST_STR_LEN 256). */
function validAnnouncedHostname(value: string): string | null {
  if (Buffer.byteLength(value) >= 256) return 'Hostnames must be less than 256 characters';
  if (!/^[A-Za-z0-9.-]*$/.test(value)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return null;
}

/** Variables of proc-title-template, expanded as validateProcTitleTemplate does (an empty title). */
const PROC_TITLE_VARIABLES: ReadonlyMap<string, string> = new Map([
  ['title', ''], ['listen-addr', '*:6379'], ['server-mode', ''], ['config-file', '-'], ['port', '6379'], ['tls-port', '0'], ['unixsocket', ''],
]);

/** isValidProcTitleTemplate: sdstemplate must expand it ("{{" is a brace) to something besides spaces. */
function validProcTitleTemplate(template: string): string | null {
  const invalid = 'template format is invalid or contains unknown variables';
  let expanded = '';
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{', at);
    if (open < 0) {
      expanded += template.slice(at);
      break;
    }
    expanded += template.slice(at, open);
    if (open + 1 >= template.length) return invalid;
    if (template[open + 1] === '{') {
      expanded += '{';
      at = open + 2;
      continue;
    }
    const close = template.indexOf('}', open + 1);
    if (close < 0) return invalid;
    const value = PROC_TITLE_VARIABLES.get(template.slice(open + 1, close));
    if (value === undefined) return invalid;
    expanded += value;
    at = close + 1;
  }
  return expanded.replace(/^ +| +$/g, '') === '' ? invalid : null;
}

/**
 * setConfigOOMScoreAdjValuesOption: three arguments split on single spaces
 * (an extra space is an empty one), each strtoll to its end ("" is 0) in
 * -2000..2000; the end is the argument's first NUL (a C string there).
 */
function parseOomScoreAdjValues(value: string): { value: string } | { error: string } {
  const parts = value === '' ? [] : value.split(' ');
  if (parts.length !== 3) return { error: 'wrong number of arguments' };
  const numbers: bigint[] = [];
  for (const part of parts) {
    const parsed = strtoll(cString(part));
    if (parsed === null || parsed < -2000n || parsed > 2000n) return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
    numbers.push(parsed);
  }
  return { value: numbers.join(' ') };
}

/** isValidAOFdirname (the name is checked at start-up: the parameter is immutable). */
function validAofDirname(value: string): string | null {
  if (value === '') return 'appenddirname can\'t be empty';
  return /[/\\]/.test(value) ? "appenddirname can't be a path, just a dirname" : null;
}

export const INERT_PARAMETERS: ReadonlyArray<ConfigParam> = [
  // TLS: the engine listens and replicates in plain TCP only (see TLS_UNAVAILABLE).
  { ...int('tls-port', 0, 0, 65535), validate: (port: number) => (port === 0 ? null : TLS_UNAVAILABLE) } as ConfigParam,
  { ...bool('tls-replication', false), validate: (on: boolean) => (on ? TLS_UNAVAILABLE : null) } as ConfigParam,
  { ...bool('tls-cluster', false), validate: (on: boolean) => (on ? TLS_UNAVAILABLE : null) } as ConfigParam,
  enumeration('tls-auth-clients', 'yes', ['no', 'yes', 'optional']),
  bool('tls-prefer-server-ciphers', false),
  bool('tls-session-caching', true),
  int('tls-session-cache-size', 20 * 1024, 0, INT_MAX),
  int('tls-session-cache-timeout', 300, 0, INT_MAX),
  ...['tls-cert-file', 'tls-key-file', 'tls-key-file-pass', 'tls-client-cert-file', 'tls-client-key-file', 'tls-client-key-file-pass',
    'tls-dh-params-file', 'tls-ca-cert-file', 'tls-ca-cert-dir', 'tls-protocols', 'tls-ciphers', 'tls-ciphersuites'].map((name) => string(name, '')),
  // Cluster: cluster support is off, as in a redis-server without cluster-enabled; none of these is read.
  bool('cluster-enabled', false, false),
  string('cluster-config-file', 'nodes.conf', false),
  int('cluster-port', 0, 0, 65535, false),
  int('cluster-node-timeout', 15000, 0, LLONG_MAX),
  int('cluster-migration-barrier', 1, 0, INT_MAX),
  int('cluster-replica-validity-factor', 10, 0, INT_MAX, true, ['cluster-slave-validity-factor']),
  bool('cluster-replica-no-failover', false, true, ['cluster-slave-no-failover']),
  bool('cluster-require-full-coverage', true),
  bool('cluster-allow-reads-when-down', false),
  bool('cluster-allow-pubsubshard-when-down', true),
  bool('cluster-allow-replica-migration', true),
  string('cluster-announce-ip', ''),
  { ...string('cluster-announce-hostname', ''), validate: validAnnouncedHostname } as ConfigParam,
  int('cluster-announce-port', 0, 0, 65535),
  int('cluster-announce-bus-port', 0, 0, 65535),
  int('cluster-announce-tls-port', 0, 0, 65535),
  enumeration('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint']),
  memory('cluster-link-sendbuf-limit', 0, 0, ULLONG_MAX, { unsigned: true }),
  // Active defragmentation: there is no allocator to defragment (V8 compacts its own heap); activedefrag yes is refused.
  { ...bool('activedefrag', false), validate: refuseActiveDefrag } as ConfigParam,
  memory('active-defrag-ignore-bytes', 100 * 1024 * 1024, 1, LLONG_MAX, { unsigned: true }),
  int('active-defrag-threshold-lower', 10, 0, 1000),
  int('active-defrag-threshold-upper', 100, 0, 1000),
  int('active-defrag-cycle-min', 1, 1, 99),
  int('active-defrag-cycle-max', 25, 1, 99),
  uint('active-defrag-max-scan-fields', 1000, 1, LONG_MAX),
  bool('jemalloc-bg-thread', true),
  // Threads, processes and the OS: one Node thread serves all clients, nothing is forked,
  // the engine sets no process title, CPU affinity, OOM score, THP, socket mark or syslog.
  int('io-threads', 1, 1, 128, false),
  bool('io-threads-do-reads', false, false),
  string('server_cpulist', '', false),
  string('bio_cpulist', '', false),
  string('aof_rewrite_cpulist', '', false),
  string('bgsave_cpulist', '', false),
  bool('set-proc-title', true, false),
  { ...string('proc-title-template', '{title} {listen-addr} {server-mode}'), validate: validProcTitleTemplate } as ConfigParam,
  { ...enumeration('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute']), sameAs: { relative: 'yes' } } as ConfigParam,
  { kind: 'special', name: 'oom-score-adj-values', multiArgument: true, defaultValue: '0 200 800', mutable: true, parse: parseOomScoreAdjValues },
  bool('disable-thp', true, false),
  uint('socket-mark-id', 0, 0, UINT_MAX, false),
  enumeration('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], false),
  bool('syslog-enabled', false, false),
  string('syslog-ident', 'redis', false),
  enumeration('syslog-facility', 'local0', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], false),
  bool('always-show-logo', false, false),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  string('ignore-warnings', ''),
  // Unix socket: the engine listens on TCP only; unixsocket is accepted and nothing listens there.
  string('unixsocket', '', false),
  { ...uint('unixsocketperm', 0, 0, 0o777, false), octal: true } as ConfigParam,
  // Networking and the main loop: outgoing connections bind no source address; the cron
  // runs at hz (no dynamic-hz) and Map-based dicts need no incremental rehashing.
  string('bind-source-addr', ''),
  bool('dynamic-hz', true),
  bool('activerehashing', true),
  // Disk writes: saves are fsynced once, at the end (no incremental fsync); a replica's
  // disk write errors are not a thing here since it loads from the socket into memory.
  bool('rdb-save-incremental-fsync', true),
  bool('replica-ignore-disk-write-errors', false),
  // Append-only file: the engine keeps none (commands/persistence.ts, BGREWRITEAOF).
  { ...string('appenddirname', 'appendonlydir', false), validate: validAofDirname } as ConfigParam,
  bool('aof-load-truncated', true),
  bool('aof-rewrite-incremental-fsync', true),
  bool('aof-timestamp-enabled', false),
  bool('aof-disable-auto-gc', false),
  bool('no-appendfsync-on-rewrite', false),
  int('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  memory('auto-aof-rewrite-min-size', 64 * 1024 * 1024, 0, LLONG_MAX),
];
