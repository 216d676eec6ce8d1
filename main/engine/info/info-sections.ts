/**
 * INFO (server.c genRedisInfoString): sections in Redis 7.0's order, field
 * names exactly as Redis prints them so dashboards and exporters read ours
 * unchanged. Values that have no meaning in a JS engine (allocator
 * internals, fork statistics) keep Redis's neutral values.
 */
import os from 'node:os';
import { memoryBreakdown } from '../memory/memory-breakdown';
import type { EngineNode } from '../node';
import { ENGINE_BUILD_ID, ENGINE_GIT_SHA1, ENGINE_MEM_ALLOCATOR, ENGINE_REDIS_VERSION } from '../version';
import type { CommandStats } from '../commands/command-spec';
import { formatFixed } from '../util/floats';
import { cString } from '../util/c-string';

export type InfoFields = Array<[string, string | number]>;
type Section = (node: EngineNode) => InfoFields;

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];
const ALL_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace'];

function human(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes}B` : `${value.toFixed(2)}${units[unit]}`;
}

const server: Section = (node) => {
  const uptime = Math.floor((Date.now() - node.stats.startTime) / 1000);
  return [
    ['redis_version', ENGINE_REDIS_VERSION],
    ['redis_git_sha1', ENGINE_GIT_SHA1],
    ['redis_git_dirty', 0],
    ['redis_build_id', ENGINE_BUILD_ID],
    ['redis_mode', 'standalone'],
    // uname's sysname, release and machine, as Redis prints them ("x86_64", not Node's "x64").
    ['os', `${os.type()} ${os.release()} ${os.machine()}`],
    ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'libuv'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', node.runId],
    ['tcp_port', node.port],
    // Microseconds, as TIME gives them (Date.now() would leave the last three digits 000).
    ['server_time_usec', Math.round((performance.timeOrigin + performance.now()) * 1000)],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', node.config.int('hz')],
    ['configured_hz', node.config.int('hz')],
    ['lru_clock', Math.floor(Date.now() / 1000) & 0xffffff],
    ['executable', process.execPath],
    ['config_file', ''],
    ['io_threads_active', 0],
    // While SHUTDOWN waits for lagging replicas.
    ...(node.shutdownSequence.initiated ? [['shutdown_in_milliseconds', node.shutdownSequence.millisecondsLeft()] as [string, number]] : []),
  ];
};

const clients: Section = (node) => [
  ['connected_clients', node.clients.countNormal()],
  ['cluster_connections', 0],
  ['maxclients', node.config.int('maxclients')],
  ['client_recent_max_input_buffer', node.clientsCron.recentMaxBuffers().input],
  ['client_recent_max_output_buffer', node.clientsCron.recentMaxBuffers().output],
  ['blocked_clients', node.blocking.reportedBlockedClients],
  ['tracking_clients', node.tracking.clients],
  ['clients_in_timeout_table', node.blocking.clientsInTimeoutTable],
];

/** The Lua fields of INFO memory (7.0.15's names and order). */
function scriptingMemory(node: EngineNode): InfoFields {
  const scripting = node.scripting;
  const lua = scripting.evalMemory();
  const vmFunctions = scripting.functionsMemory();
  const libraries = scripting.functions;
  const functionsBytes = libraries.memory();
  const scripts = scripting.scriptsMemory + functionsBytes;
  return [
    ['used_memory_lua', lua],
    ['used_memory_vm_eval', lua],
    ['used_memory_lua_human', human(lua)],
    ['used_memory_scripts_eval', scripting.scriptsMemory],
    ['number_of_cached_scripts', scripting.scripts.size],
    ['number_of_functions', libraries.functionCount],
    ['number_of_libraries', libraries.libraries.size],
    ['used_memory_vm_functions', vmFunctions],
    ['used_memory_vm_total', lua + vmFunctions],
    ['used_memory_vm_total_human', human(lua + vmFunctions)],
    ['used_memory_functions', functionsBytes],
    ['used_memory_scripts', scripts],
    ['used_memory_scripts_human', human(scripts)],
  ];
}

const memory: Section = (node) => {
  const usage = process.memoryUsage();
  const memory = memoryBreakdown(node);
  const { used, backlog } = memory;
  const maxmemory = node.config.int('maxmemory');
  return [
    ['used_memory', used],
    ['used_memory_human', human(used)],
    ['used_memory_rss', usage.rss],
    ['used_memory_rss_human', human(usage.rss)],
    ['used_memory_peak', memory.peak],
    ['used_memory_peak_human', human(memory.peak)],
    ['used_memory_peak_perc', `${((used / Math.max(1, memory.peak)) * 100).toFixed(2)}%`],
    ['used_memory_overhead', memory.overhead],
    ['used_memory_startup', memory.startup],
    ['used_memory_dataset', memory.dataset],
    ['used_memory_dataset_perc', `${memory.datasetPercent.toFixed(2)}%`],
    ['allocator_allocated', usage.heapUsed],
    ['allocator_active', usage.heapTotal],
    ['allocator_resident', usage.rss],
    ['total_system_memory', os.totalmem()],
    ['total_system_memory_human', human(os.totalmem())],
    ...scriptingMemory(node),
    ['maxmemory', maxmemory],
    ['maxmemory_human', human(maxmemory)],
    ['maxmemory_policy', node.config.string('maxmemory-policy')],
    ['allocator_frag_ratio', '1.00'],
    ['allocator_frag_bytes', 0],
    ['allocator_rss_ratio', '1.00'],
    ['allocator_rss_bytes', 0],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', (usage.rss / Math.max(1, used)).toFixed(2)],
    ['mem_fragmentation_bytes', usage.rss - used],
    ['mem_not_counted_for_evict', backlog],
    ['mem_replication_backlog', backlog],
    ['mem_total_replication_buffers', node.replication.totalBufferBytes()],
    ['mem_clients_slaves', memory.clientsReplicas],
    ['mem_clients_normal', memory.clientsNormal],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', ENGINE_MEM_ALLOCATOR],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', node.lazyFree.pendingObjects],
    ['lazyfreed_objects', node.lazyFree.freedObjects],
  ];
};

const stats: Section = (node) => {
  const s = node.stats;
  const k = node.keyspace.stats;
  return [
    ['total_connections_received', s.connectionsReceived],
    ['total_commands_processed', s.commandsProcessed],
    ['instantaneous_ops_per_sec', s.instantaneous('commands')],
    ['total_net_input_bytes', s.netInputBytes],
    ['total_net_output_bytes', s.netOutputBytes],
    ['total_net_repl_input_bytes', s.netReplInputBytes],
    ['total_net_repl_output_bytes', s.netReplOutputBytes],
    ['instantaneous_input_kbps', (s.instantaneous('netInput') / 1024).toFixed(2)],
    ['instantaneous_output_kbps', (s.instantaneous('netOutput') / 1024).toFixed(2)],
    ['instantaneous_input_repl_kbps', (s.instantaneous('netReplInput') / 1024).toFixed(2)],
    ['instantaneous_output_repl_kbps', (s.instantaneous('netReplOutput') / 1024).toFixed(2)],
    ['rejected_connections', s.rejectedConnections],
    ['sync_full', s.syncFull],
    ['sync_partial_ok', s.syncPartialOk],
    ['sync_partial_err', s.syncPartialErr],
    ['expired_keys', k.expiredKeys],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', s.evictedKeys],
    ['evicted_clients', s.evictedClients],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', k.keyspaceHits],
    ['keyspace_misses', k.keyspaceMisses],
    ['pubsub_channels', node.pubsub.channels.size],
    ['pubsub_patterns', node.pubsub.patterns.size],
    ['pubsubshard_channels', node.pubsub.shardChannels.size],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', node.migrateSockets.size],
    ['slave_expires_tracked_keys', node.replicaKeyExpiry.size],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', node.tracking.totalKeys],
    ['tracking_total_items', node.tracking.totalTrackedItems],
    ['tracking_total_prefixes', node.tracking.totalPrefixes],
    ['unexpected_error_replies', s.unexpectedErrorReplies],
    ['total_error_replies', s.totalErrorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', s.readsProcessed],
    ['total_writes_processed', s.writesProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', s.replyBufferShrinks],
    ['reply_buffer_expands', s.replyBufferExpands],
  ];
};

const cpu: Section = () => {
  const usage = process.cpuUsage();
  const seconds = (micros: number): string => (micros / 1e6).toFixed(6);
  return [
    ['used_cpu_sys', seconds(usage.system)],
    ['used_cpu_user', seconds(usage.user)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', seconds(usage.system)],
    ['used_cpu_user_main_thread', seconds(usage.user)],
  ];
};

const commandstats: Section = (node) => {
  const out: InfoFields = [];
  const add = (name: string, stats: CommandStats): void => {
    if (stats.calls === 0 && stats.rejectedCalls === 0 && stats.failedCalls === 0) return;
    const usec = Math.round(stats.usec);
    out.push([`cmdstat_${name}`, `calls=${stats.calls},usec=${usec},usec_per_call=${(stats.calls ? usec / stats.calls : 0).toFixed(2)},rejected_calls=${stats.rejectedCalls},failed_calls=${stats.failedCalls}`]);
  };
  for (const command of node.commands.all()) {
    add(command.fullName, command.stats);
    for (const sub of node.commands.subcommandsOf(command.spec.name)) add(sub.fullName, sub.stats);
  }
  return out;
};

/**
 * latency_percentiles_usec_<command>:p50=..,p99=..,p99.9=.. for every command
 * with a latency histogram (latency-tracking-info-percentiles picks the
 * percentiles; values in µs with three decimals, as hdr reports them).
 */
const latencystats: Section = (node) => {
  if (!node.hot.latencyTracking) return [];
  const percentiles = node.config.string('latency-tracking-info-percentiles').split(' ').filter((p) => p !== '');
  const out: InfoFields = [];
  const add = (name: string, stats: CommandStats): void => {
    const histogram = stats.histogram;
    if (histogram === null) return;
    out.push([`latency_percentiles_usec_${name}`, percentiles.map((p) => `p${p}=${formatFixed(histogram.valueAtPercentile(Number(p)) / 1000, 3)}`).join(',')]);
  };
  for (const command of node.commands.all()) {
    add(command.fullName, command.stats);
    for (const sub of node.commands.subcommandsOf(command.spec.name)) add(sub.fullName, sub.stats);
  }
  return out;
};

/** The error codes in byte order, as Redis walks its rax of them (not in the order they first occurred). */
const errorstats: Section = (node) => [...node.stats.errorCounts]
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  .map(([prefix, count]) => [`errorstat_${prefix}`, `count=${count}`]);

const keyspace: Section = (node) => {
  const out: InfoFields = [];
  const now = Date.now();
  for (const db of node.keyspace.dbs) {
    if (db.size === 0) continue;
    let ttlSum = 0;
    let sampled = 0;
    for (const when of db.expires.values()) {
      if (sampled >= 100) break;
      ttlSum += Math.max(0, when - now);
      sampled++;
    }
    out.push([`db${db.id}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=${sampled ? Math.round(ttlSum / sampled) : 0}`]);
  }
  return out;
};

const SECTIONS: Record<string, Section> = {
  server,
  clients,
  memory,
  persistence: (node) => node.persistence.infoFields(),
  stats,
  replication: (node) => node.replication.infoFields(),
  cpu,
  modules: () => [],
  commandstats,
  errorstats,
  latencystats,
  cluster: () => [['cluster_enabled', 0]],
  keyspace,
};

/** The INFO text for the requested section names (none = default). */
export function renderInfo(node: EngineNode, requested: ReadonlyArray<string>): string {
  let names: string[];
  // Section names are C strings there (strcasecmp, sdsnew): each ends at its first NUL.
  const lower = requested.map((name) => cString(name).toLowerCase());
  if (lower.length === 0 || lower.includes('default')) names = DEFAULT_SECTIONS;
  else if (lower.includes('all') || lower.includes('everything')) names = ALL_SECTIONS;
  else names = ALL_SECTIONS.filter((name) => lower.includes(name));
  const parts: string[] = [];
  for (const name of names) {
    const fields = SECTIONS[name]!(node);
    // Redis capitalises each section name, except "CPU", which it spells in capitals.
    const title = name === 'cpu' ? 'CPU' : name.charAt(0).toUpperCase() + name.slice(1);
    let text = `# ${title}\r\n`;
    for (const [field, value] of fields) text += `${field}:${value}\r\n`;
    parts.push(text);
  }
  return parts.join('\r\n');
}
