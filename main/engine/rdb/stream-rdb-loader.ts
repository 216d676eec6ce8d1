/**
 * Loads a stream value (types 15, 19, 21) one item at a time, so a stream
 * of any size is read as it arrives (rdb.c rdbLoadObject, stream part):
 *
 *   len N, N x (string 16-byte node key, string listpack)   nodes
 *   len length, len last ms, len last seq                   (all versions)
 *   len first ms, len first seq, len max-deleted ms,
 *   len max-deleted seq, len entries-added                  (19, 21)
 *   len G, G x ( string name, len last ms, len last seq,
 *                [len entries-read (19, 21)],
 *                len P, P x (16-byte id, 8-byte LE ms, len count),
 *                len C, C x ( string name, 8-byte LE seen,
 *                             [8-byte LE active (21)],
 *                             len K, K x 16-byte id ) )
 *
 * Checks, with Redis's messages: node keys of 16 bytes, every listpack
 * (deeply, see stream-listpack-check.ts), no node key twice, the length
 * against the nodes, duplicate groups, consumers and PEL entries, consumer
 * PEL IDs present in the group PEL, and (always, where Redis needs
 * sanitize-dump-payload) every group PEL entry owned by a consumer.
 *
 * Each step reads all of its item before changing anything: an item cut
 * short by the end of a chunk is read again from its start.
 *
 * Type 15 (5.0-6.2) has no 7.0 bookkeeping: entries-added is taken as the
 * length, the first ID is found by walking (the maximum ID when there is
 * no entry, as Redis does), and each group's read counter is estimated.
 * Type 21's consumer active-time (7.2) has no place in a 7.0 stream and is
 * dropped.
 */
import { StreamValue } from '../keyspace/values';
import { readIdBE, u64, type StreamId } from '../keyspace/values/stream-id';
import { StreamGroup, StreamNack, type StreamConsumer } from '../keyspace/values/stream-group';
import { estimateDistance } from '../keyspace/values/stream-lag';
import { StreamNode } from '../keyspace/values/stream-node';
import { RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_3 } from './constants';
import type { RdbReader } from './rdb-reader';
import { checkStreamListpack } from './stream-listpack-check';

type Phase = 'node-count' | 'node' | 'meta' | 'group-count' | 'group' | 'group-pel' | 'consumer-count' | 'consumer' | 'consumer-pel' | 'done';

export class StreamLoader {
  readonly stream = new StreamValue();
  private phase: Phase = 'node-count';
  private nodes = 0;
  private groups = 0;
  private pending = 0;
  private consumers = 0;
  private liveEntries = 0;
  private group: StreamGroup | null = null;
  private consumer: StreamConsumer | null = null;

  constructor(private readonly type: number) {}

  private get v2(): boolean {
    return this.type !== RDB_TYPE_STREAM_LISTPACKS;
  }

  private id(r: RdbReader): StreamId {
    const ms = r.lengthU64();
    return { ms, seq: r.lengthU64() };
  }

  /** Consumes one item; returns true when the whole stream has been read. */
  step(r: RdbReader): boolean {
    const stream = this.stream;
    switch (this.phase) {
      case 'node-count':
        this.nodes = r.length();
        this.phase = this.nodes > 0 ? 'node' : 'meta';
        return false;
      case 'node': {
        const nodeKey = r.blob();
        if (nodeKey.length !== 16) r.fail('Stream node key entry is not the size of a stream ID');
        const master = readIdBE(nodeKey, 0);
        const listpack = r.blob();
        const layout = checkStreamListpack(listpack);
        if (!stream.nodes.set(master, StreamNode.fromListpack(master, listpack, layout))) r.fail('Listpack re-added with existing key');
        this.liveEntries += layout.live;
        if (--this.nodes === 0) this.phase = 'meta';
        return false;
      }
      case 'meta':
        this.readMeta(r);
        this.phase = 'group-count';
        return false;
      case 'group-count':
        this.groups = r.length();
        this.phase = this.groups > 0 ? 'group' : 'done';
        return this.phase === 'done';
      case 'group': {
        const name = r.string();
        const lastId = this.id(r);
        // entries_read is a long long written as uint64: 2^64 - 1 is -1.
        const entriesRead = this.v2 ? r.lengthU64() : estimateDistance(stream, lastId);
        const pending = r.length();
        // Every read of the item is done: what follows runs once even when the item is retried.
        stream.groups ??= new Map();
        if (stream.groups.has(name)) r.fail(`Duplicated consumer group name ${name}`);
        this.group = new StreamGroup(lastId, typeof entriesRead === 'bigint' ? u64(BigInt.asIntN(64, entriesRead)) : entriesRead);
        stream.groups.set(name, this.group);
        this.pending = pending;
        this.phase = this.pending > 0 ? 'group-pel' : 'consumer-count';
        return false;
      }
      case 'group-pel': {
        const id = readIdBE(r.raw(16), 0);
        const deliveryTime = r.millisecondTime();
        const nack = new StreamNack(deliveryTime, r.lengthU64(), null);
        if (!this.group!.pel.set(id, nack)) r.fail('Duplicated global PEL entry loading stream consumer group');
        if (--this.pending === 0) this.phase = 'consumer-count';
        return false;
      }
      case 'consumer-count':
        this.consumers = r.length();
        if (this.consumers > 0) this.phase = 'consumer';
        else return this.endGroup(r);
        return false;
      case 'consumer': {
        const name = r.string();
        const seenTime = r.millisecondTime();
        if (this.type === RDB_TYPE_STREAM_LISTPACKS_3) r.raw(8);
        const pending = r.length();
        const consumer = this.group!.createConsumer(name, seenTime);
        if (!consumer) r.fail('Duplicate stream consumer detected.');
        this.consumer = consumer;
        this.pending = pending;
        if (this.pending > 0) this.phase = 'consumer-pel';
        else return this.endConsumer(r);
        return false;
      }
      case 'consumer-pel': {
        const id = readIdBE(r.raw(16), 0);
        const nack = this.group!.pel.get(id);
        if (!nack) r.fail('Consumer entry not found in group global PEL');
        if (!this.consumer!.pel.set(id, nack)) r.fail('Duplicated consumer PEL entry  loading a stream consumer group');
        nack.consumer = this.consumer;
        if (--this.pending === 0) return this.endConsumer(r);
        return false;
      }
      case 'done':
        return true;
    }
  }

  private readMeta(r: RdbReader): void {
    const stream = this.stream;
    const length = r.lengthU64();
    stream.lastId = this.id(r);
    if (this.v2) {
      stream.firstId = this.id(r);
      stream.maxDeletedId = this.id(r);
      stream.entriesAdded = r.lengthU64();
    }
    if (length !== this.liveEntries) {
      r.fail(this.liveEntries === 0 ? 'Stream length inconsistent with rax entries' : `Stream length ${length} does not match the ${this.liveEntries} entries of its nodes`);
    }
    stream.length = this.liveEntries;
    if (!this.v2) {
      stream.entriesAdded = stream.length;
      stream.firstId = stream.edgeId(true, true);
    }
  }

  private endConsumer(r: RdbReader): boolean {
    if (--this.consumers > 0) {
      this.phase = 'consumer';
      return false;
    }
    return this.endGroup(r);
  }

  private endGroup(r: RdbReader): boolean {
    for (const { value } of this.group!.pel.entries()) {
      if (!value.consumer) r.fail('Stream CG PEL entry without consumer');
    }
    if (--this.groups > 0) {
      this.phase = 'group';
      return false;
    }
    this.phase = 'done';
    return true;
  }
}
