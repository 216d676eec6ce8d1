/**
 * rdbSaveObject for a stream, as Redis 7.0.15 writes it (type 19,
 * RDB_TYPE_STREAM_LISTPACKS_2; layout in constants.ts and stream-rdb-loader.ts):
 * the nodes as they are (16-byte key, listpack through the string path, so
 * LZF when rdbcompression), the stream's metadata as lengths, then each
 * group in name order with its PEL (raw IDs, 8-byte LE delivery time,
 * delivery count) and its consumers in name order (name, 8-byte LE
 * seen-time, raw IDs of their PEL).
 */
import type { StreamValue } from '../keyspace/values';
import { encodeId, type StreamId } from '../keyspace/values/stream-id';
import { sortedGroups } from '../keyspace/values/stream-group';
import type { ByteWriter } from './byte-writer';
import { writeBlob, writeLength, writeLengthU64, writeString } from './rdb-encoding';

function writeIdLengths(out: ByteWriter, id: StreamId): void {
  writeLengthU64(out, id.ms);
  writeLengthU64(out, id.seq);
}

export function writeStream(out: ByteWriter, stream: StreamValue, compress: boolean): void {
  writeLength(out, stream.nodes.size);
  for (const { key, value } of stream.nodes.entries()) {
    writeBlob(out, encodeId(key), false);
    writeBlob(out, value.listpack(), compress);
  }
  writeLength(out, stream.length);
  writeIdLengths(out, stream.lastId);
  writeIdLengths(out, stream.firstId);
  writeIdLengths(out, stream.maxDeletedId);
  writeLengthU64(out, stream.entriesAdded);
  const groups = sortedGroups(stream.groups);
  writeLength(out, groups.length);
  for (const [name, group] of groups) {
    writeString(out, name, compress);
    writeIdLengths(out, group.lastId);
    writeLengthU64(out, group.entriesRead);
    writeLength(out, group.pel.size);
    for (const { key, value } of group.pel.entries()) {
      out.bytes(encodeId(key));
      out.int64LE(BigInt(value.deliveryTime));
      writeLengthU64(out, value.deliveryCount);
    }
    const consumers = group.sortedConsumers();
    writeLength(out, consumers.length);
    for (const consumer of consumers) {
      writeString(out, consumer.name, compress);
      out.int64LE(BigInt(consumer.seenTime));
      writeLength(out, consumer.pel.size);
      for (const id of consumer.pel.keys()) out.bytes(encodeId(id));
    }
  }
}
