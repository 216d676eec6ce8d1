/**
 * DEBUG OBJECT <key>: Redis's one-line description of a value (debug.c):
 *
 *   Value at:<addr> refcount:<n> encoding:<enc> serializedlength:<bytes>
 *   lru:<clock> lru_seconds_idle:<s>[ ql_nodes:.. ql_avg_node:.. ql_listpack_max:..
 *   ql_compressed:.. ql_uncompressed_size:..]
 *
 * serializedlength is the size of the value's RDB encoding as we would
 * write it (rdbSavedObjectLen); the quicklist figures describe the nodes
 * redis-server 7.0 would hold for the list (memory/quicklist-layout.ts,
 * the nodes the RDB writer writes too): ql_uncompressed_size sums their
 * listpack bytes (a plain node: its element's). There is no address: at:0x0.
 */
import { objectEncoding } from '../keyspace/encoding';
import { accessField, idleMs } from '../keyspace/key-entry';
import { objectRefcount } from './keys-object';
import { ListValue } from '../keyspace/values';
import { ByteWriter } from '../rdb/byte-writer';
import { listCompressDepth, listFill, quicklistLayout } from '../memory/quicklist-layout';
import { writeValue } from '../rdb/value-writer';
import * as errors from '../resp/errors';
import { simple, type Reply } from '../resp/reply';
import type { CommandContext } from './command-context';

function quicklistFields(ctx: CommandContext, list: ListValue): string {
  const fill = ctx.node.config.int('list-max-listpack-size');
  const nodes = quicklistLayout(list, fill, ctx.node.debug.quicklistPackedThreshold);
  let size = 0;
  for (const node of nodes) size += node.bytes;
  const average = nodes.length === 0 ? 0 : list.length / nodes.length;
  const compressed = listCompressDepth(list, ctx.node.config.int('list-compress-depth')) !== 0 ? 1 : 0;
  return ` ql_nodes:${nodes.length} ql_avg_node:${average.toFixed(2)} ql_listpack_max:${listFill(list, fill)} ql_compressed:${compressed} ql_uncompressed_size:${size}`;
}

export function debugObjectLine(ctx: CommandContext, key: string): Reply {
  const entry = ctx.db.dict.entry(key);
  if (entry === undefined) return errors.NO_SUCH_KEY;
  const value = ctx.db.dict.valueOf(entry);
  const meta = ctx.db.dict.metaOfHolder(entry);
  const out = new ByteWriter(256);
  writeValue(out, value, {
    compress: ctx.node.config.bool('rdbcompression'),
    plainNodeThreshold: ctx.node.debug.quicklistPackedThreshold,
    listFill: ctx.node.config.int('list-max-listpack-size'),
    listCompressDepth: ctx.node.config.int('list-compress-depth'),
  });
  const extra = value instanceof ListValue ? quicklistFields(ctx, value) : '';
  const lru = accessField(meta);
  const idleSeconds = Math.floor(idleMs(lru, ctx.keyspace.access.lruClock) / 1000);
  return simple(`Value at:0x0 refcount:${objectRefcount(value, meta, ctx.keyspace.argvReferences(ctx.db, key))} encoding:${objectEncoding(value, meta)} serializedlength:${out.size} lru:${lru} lru_seconds_idle:${idleSeconds}${extra}`);
}
