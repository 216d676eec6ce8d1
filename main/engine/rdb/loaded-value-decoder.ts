/**
 * Decodes a value kept in its RDB encoding by LoadedKeys, on first access:
 * the bytes after the type byte, exactly as the RDB had them. The loader
 * validated them when it stored them, so a failure here is an internal
 * error, not corrupt input.
 */
import type { RedisValue } from '../keyspace/values';
import { ByteQueue } from './byte-queue';
import { buildCompactValue } from './compact-values';
import { QUICKLIST_NODE_CONTAINER_PLAIN, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_STRING } from './constants';
import { decodeListpack } from './listpack';
import { RdbReader } from './rdb-reader';
import { ListBuilder, type EncodingLimits } from './value-builders';

export function decodeLoadedValue(type: number, bytes: Buffer, limits: EncodingLimits): RedisValue {
  const queue = new ByteQueue();
  queue.stopCrc();
  queue.push(bytes);
  const r = new RdbReader(queue);
  if (type === RDB_TYPE_STRING) return r.string();
  if (type !== RDB_TYPE_LIST_QUICKLIST_2) return buildCompactValue(type, r.blob(), limits, 0);
  const list = new ListBuilder();
  for (let nodes = r.length(); nodes > 0; nodes--) {
    if (r.length() === QUICKLIST_NODE_CONTAINER_PLAIN) list.add(r.string());
    else for (const element of decodeListpack(r.blob())) list.add(element);
  }
  return list.finish();
}
