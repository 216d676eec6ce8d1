/**
 * What a client costs, counted the way Redis 7.0 counts it
 * (networking.c getClientMemoryUsage, multi.c multiStateMemOverhead):
 * CLIENT LIST's argv-mem, multi-mem and tot-mem, and the figure
 * maxmemory-clients would compare.
 *
 * Sizes of Redis's structures are those of a 64-bit build; they make the
 * figures comparable with a real server's, not exact for this process.
 */
import type { Client } from './client';

const POINTER_BYTES = 8;
/**
 * zmalloc_size(client): the client struct of 7.0.15 on x86-64 with jemalloc,
 * as a fresh client's tot-mem shows it (37658 = 20480 query buffer + 16384
 * reply buffer + 26 argv + 768).
 */
const CLIENT_STRUCT_BYTES = 768;
/** sizeof(multiCmd): argv pointer, argv_len and argc (ints), cmd pointer. */
const MULTI_CMD_BYTES = 24;
/** A WATCHed key: listNode + watchedKey. */
const WATCHED_KEY_BYTES = 24 + 24;
/** A pattern subscription: its listNode. */
const LIST_NODE_BYTES = 24;
/** A channel subscription: its dictEntry. */
const DICT_ENTRY_BYTES = 24;

function argvBytes(argv: ReadonlyArray<string>): number {
  let bytes = 0;
  for (const arg of argv) bytes += arg.length;
  return bytes;
}

/** argv-mem: the string bytes of the command running now, or of a request still arriving. */
export function argvMemory(client: Client): number {
  if (client.currentArgv !== null) return argvBytes(client.currentArgv);
  return client.requestProgress?.pendingArguments().bytes ?? 0;
}

/** multi-mem: the queued commands' arguments and their argv arrays (mstate.argv_len_sums). */
export function multiMemory(client: Client): number {
  let bytes = 0;
  for (const queued of client.multiQueue) bytes += argvBytes(queued.argv) + POINTER_BYTES * queued.argv.length;
  return bytes;
}

/** omem: the reply bytes behind the static buffer (the reply list). */
export function outputListMemory(client: Client): number {
  return client.replyBuffer.inList(client.outputBacklogBytes).bytes;
}

/** tot-mem: getClientMemoryUsage. */
export function clientMemoryUsage(client: Client): number {
  const argc = client.currentArgv?.length ?? client.requestProgress?.pendingArguments().count ?? 0;
  return (
    outputListMemory(client) +
    client.queryBuffer.footprint +
    CLIENT_STRUCT_BYTES +
    client.replyBuffer.size +
    argvMemory(client) + POINTER_BYTES * argc +
    multiMemory(client) + MULTI_CMD_BYTES * multiSlots(client.multiQueue.length) +
    WATCHED_KEY_BYTES * client.watchedKeys.length +
    LIST_NODE_BYTES * client.patterns.size +
    dictOverhead(client.channels.size) +
    dictOverhead(client.shardChannels.size)
  );
}

/** mstate.alloc_count: room for 2 commands at the first, doubled when full. */
function multiSlots(queued: number): number {
  if (queued === 0) return 0;
  let slots = 2;
  while (slots < queued) slots *= 2;
  return slots;
}

/**
 * A client's channel dict: its entries and bucket array (4 buckets at least, a power of two, once used). */
function dictOverhead(entries: number): number {
  if (entries === 0) return 0;
  let buckets = 4;
  while (buckets < entries) buckets *= 2;
  return DICT_ENTRY_BYTES * entries + POINTER_BYTES * buckets;
}
