/**
 * MEMORY USAGE | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP (object.c
 * memoryCommand), with Redis 7.0's replies and errors.
 *
 * What the numbers are here: used memory is the engine's V8 heap plus the
 * RDB bytes of loaded values not decoded yet (MemoryManager); USAGE is
 * Redis's own figure for the compact encodings (memory/key-usage.ts) and
 * the eviction estimate for the others (memory/value-size.ts), with
 * nested values sampled up to SAMPLES elements (default 5, 0 = all) as in
 * Redis. STATS keeps Redis's field names and order; what has no meaning for
 * a JS engine (Lua caches, cluster links, AOF) is 0, and the allocator
 * fields describe V8's heap.
 */
import { defineCommand, cString } from './define';
import { helpReply } from './help';
import * as errors from '../resp/errors';
import { bulk, double, integer, mapOf, NULL, OK, verbatim, type Reply } from '../resp/reply';
import { keyUsageBytes } from '../memory/key-usage';
import { parseInt64 } from '../util/integers';
import type { CommandContext } from './command-context';
import type { CommandNode } from './port/command-node';

/** Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES. */
const DEFAULT_SAMPLES = 5;
/** Below this much data MEMORY DOCTOR declines to judge (Redis: 5 MB allocated in all). */
const DOCTOR_MIN_BYTES = 5 * 1024 * 1024;

const usage = defineCommand({
  name: 'usage', arity: -3, flags: ['readonly'], acl: ['read'], keys: [2, 2, 1],
  doc: { summary: 'Estimate the memory usage of a key', since: '4.0.0', group: 'server' },
  handler: (ctx: CommandContext): Reply => {
    let samples = DEFAULT_SAMPLES;
    for (let i = 3; i < ctx.argc; i++) {
      if (cString(ctx.arg(i)).toLowerCase() !== 'samples' || i + 1 >= ctx.argc) return errors.SYNTAX;
      const parsed = parseInt64(ctx.arg(++i));
      if (parsed === null) return errors.NOT_INTEGER;
      if (parsed < 0) return errors.SYNTAX;
      samples = parsed === 0 ? Infinity : Number(parsed);
    }
    // dbFind: present even if logically expired, and no hit/miss counted.
    const entry = ctx.db.dict.entry(ctx.arg(2));
    if (entry === undefined) return NULL;
    const listShape = {
      fill: ctx.node.config.int('list-max-listpack-size'),
      compressDepth: ctx.node.config.int('list-compress-depth'),
      packedThreshold: ctx.node.debug.quicklistPackedThreshold,
    };
    const key = ctx.arg(2);
    return integer(keyUsageBytes(key, ctx.db.dict.valueOf(entry), ctx.db.dict.metaOfHolder(entry), samples, listShape, ctx.db.sdsShapes?.get(key)));
  },
});

const stats = defineCommand({
  name: 'stats', arity: 2, flags: [], acl: [], keys: null,
  doc: { summary: 'Show memory usage details', since: '4.0.0', group: 'server' },
  handler: (ctx) => memoryStats(ctx.node),
});

const doctor = defineCommand({
  name: 'doctor', arity: 2, flags: [], acl: [], keys: null,
  doc: { summary: 'Outputs memory problems report', since: '4.0.0', group: 'server' },
  handler: (ctx) => verbatim(doctorReport(ctx.node)),
});

const mallocStats = defineCommand({
  name: 'malloc-stats', arity: 2, flags: [], acl: [], keys: null,
  doc: { summary: 'Show allocator internal stats', since: '4.0.0', group: 'server' },
  // What Redis answers when built without jemalloc.
  handler: () => bulk('Stats not supported for the current allocator'),
});

const purge = defineCommand({
  name: 'purge', arity: 2, flags: [], acl: [], keys: null,
  doc: { summary: 'Ask the allocator to release memory', since: '4.0.0', group: 'server' },
  handler: () => OK,
});

const help = defineCommand({
  name: 'help', arity: 2, flags: ['loading', 'stale'], acl: [], keys: null,
  doc: { summary: 'Show helpful text about the different subcommands', since: '4.0.0', group: 'server' },
  handler: () => helpReply('memory', [
    'DOCTOR',
    '    Return memory problems reports.',
    'MALLOC-STATS',
    '    Return internal statistics report from the memory allocator.',
    'PURGE',
    '    Attempt to purge dirty pages for reclamation by the allocator.',
    'STATS',
    '    Return information about the memory usage of the server.',
    'USAGE <key> [SAMPLES <count>]',
    '    Return memory in bytes used by <key> and its value. Nested values are',
    '    sampled up to <count> times (default: 5, 0 means sample all).',
  ]),
});

export const memoryCommand = defineCommand({
  name: 'memory', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for memory diagnostics commands', since: '4.0.0', group: 'server' },
  subcommands: [doctor, help, mallocStats, purge, stats, usage],
});

function memoryStats(node: CommandNode): Reply {
  const heap = process.memoryUsage();
  const memory = node.memoryBreakdown();
  const keys = node.keyspace.totalKeys();
  const entries: Array<readonly [string, Reply]> = [
    ['peak.allocated', integer(memory.peak)],
    ['total.allocated', integer(memory.used)],
    ['startup.allocated', integer(memory.startup)],
    ['replication.backlog', integer(memory.backlog)],
    ['clients.slaves', integer(memory.clientsReplicas)],
    ['clients.normal', integer(memory.clientsNormal)],
    ['cluster.links', integer(0)],
    ['aof.buffer', integer(0)],
    ['lua.caches', integer(0)],
    ['functions.caches', integer(0)],
  ];
  // Like Redis, only databases holding keys; our dictionaries' own overhead is not measured apart.
  for (const db of node.keyspace.dbs) {
    if (db.size === 0) continue;
    entries.push([`db.${db.id}`, mapOf([['overhead.hashtable.main', integer(0)], ['overhead.hashtable.expires', integer(0)], ['overhead.hashtable.slot-to-keys', integer(0)]])]);
  }
  entries.push(
    ['overhead.total', integer(memory.overhead)],
    ['keys.count', integer(keys)],
    ['keys.bytes-per-key', integer(keys === 0 ? 0 : Math.floor(Math.max(1, memory.used - memory.startup) / keys))],
    ['dataset.bytes', integer(memory.dataset)],
    ['dataset.percentage', double(memory.datasetPercent)],
    ['peak.percentage', double((memory.used * 100) / Math.max(1, memory.peak))],
    ['allocator.allocated', integer(heap.heapUsed)],
    ['allocator.active', integer(heap.heapTotal)],
    ['allocator.resident', integer(heap.rss)],
    ['allocator-fragmentation.ratio', double(heap.heapTotal / Math.max(1, heap.heapUsed))],
    ['allocator-fragmentation.bytes', integer(heap.heapTotal - heap.heapUsed)],
    ['allocator-rss.ratio', double(heap.rss / Math.max(1, heap.heapTotal))],
    ['allocator-rss.bytes', integer(heap.rss - heap.heapTotal)],
    ['rss-overhead.ratio', double(1)],
    ['rss-overhead.bytes', integer(0)],
    ['fragmentation', double(heap.rss / Math.max(1, memory.used))],
    ['fragmentation.bytes', integer(heap.rss - memory.used)],
  );
  return mapOf(entries);
}

/**
 * Redis's doctor texts for an (almost) empty instance, for a past peak much
 * higher than current use, and for nothing to report. Its fragmentation and
 * buffer checks have no meaning on a V8 heap and are not made.
 */
function doctorReport(node: CommandNode): string {
  const used = node.memory.usedMemory();
  if (used - node.memory.startup < DOCTOR_MIN_BYTES) {
    return 'Hi Sam, this instance is empty or is using very little memory, my issues detector can\'t be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n';
  }
  if (node.memory.peak / used > 1.5) {
    return 'Sam, I detected a few issues in this Redis instance memory implants:\n\n' +
      ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n' +
      "I'm here to keep you safe, Sam. I want to help you.\n";
  }
  return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
}
