/**
 * Consumer groups (stream.h streamCG, streamConsumer, streamNACK).
 *
 * A group has a last-delivered ID, a read counter (entries_read, -1 when
 * unknown: see stream-lag.ts), its pending entries list (PEL: ID -> NACK)
 * and its consumers by name. Each consumer has its own PEL holding the very
 * same NACK objects as the group's (a NACK points back at its owner), so
 * moving an entry between consumers moves one object between two maps.
 *
 * Invariant: a NACK is in its group's PEL and in exactly its consumer's
 * PEL. Only while a group is being loaded from RDB, or right after XCLAIM
 * FORCE made it, is a NACK briefly without consumer.
 *
 * Group and consumer names order as raw bytes (Redis keeps them in rax
 * trees): listings sort them that way.
 */
import { IdTree } from './stream-id-tree';
import type { Counter, StreamId } from './stream-id';

/** SCG_INVALID_ENTRIES_READ */
export const INVALID_ENTRIES_READ = -1;

export class StreamNack {
  constructor(
    /** Unix ms of the last delivery. */
    public deliveryTime: number,
    public deliveryCount: Counter,
    public consumer: StreamConsumer | null,
  ) {}
}

export class StreamConsumer {
  readonly pel = new IdTree<StreamNack>();

  constructor(
    readonly name: string,
    /** Unix ms the consumer was last seen (read, claimed, created). */
    public seenTime: number,
  ) {}
}

export class StreamGroup {
  readonly pel = new IdTree<StreamNack>();
  readonly consumers = new Map<string, StreamConsumer>();

  constructor(
    public lastId: StreamId,
    public entriesRead: Counter,
  ) {}

  /** streamCreateConsumer: null when the name is taken. */
  createConsumer(name: string, now: number): StreamConsumer | null {
    if (this.consumers.has(name)) return null;
    const consumer = new StreamConsumer(name, now);
    this.consumers.set(name, consumer);
    return consumer;
  }

  /** streamLookupConsumer; refreshes seen-time unless `refresh` is false (SLC_NO_REFRESH). */
  lookupConsumer(name: string, now: number, refresh = true): StreamConsumer | undefined {
    const consumer = this.consumers.get(name);
    if (consumer && refresh) consumer.seenTime = now;
    return consumer;
  }

  /** streamDelConsumer: drops the consumer and its pending entries from the group PEL too. */
  deleteConsumer(consumer: StreamConsumer): void {
    for (const id of consumer.pel.keys()) this.pel.delete(id);
    this.consumers.delete(consumer.name);
  }

  /** XACK of one ID: true when it was pending. */
  acknowledge(id: StreamId): boolean {
    const nack = this.pel.delete(id);
    if (!nack) return false;
    nack.consumer?.pel.delete(id);
    return true;
  }

  /**
   * Gives a pending entry to `consumer` (XCLAIM, XAUTOCLAIM, a re-read
   * after XGROUP SETID): out of the previous owner's PEL, into the new one.
   */
  assign(id: StreamId, nack: StreamNack, consumer: StreamConsumer): void {
    if (nack.consumer === consumer) return;
    nack.consumer?.pel.delete(id);
    consumer.pel.set(id, nack);
    nack.consumer = consumer;
  }

  /** Consumers in name (byte) order. */
  sortedConsumers(): StreamConsumer[] {
    return [...this.consumers.values()].sort((a, b) => compareNames(a.name, b.name));
  }

  clone(): StreamGroup {
    const copy = new StreamGroup(this.lastId, this.entriesRead);
    const nacks = new Map<StreamNack, StreamNack>();
    for (const { key, value } of this.pel.entries()) {
      const nack = new StreamNack(value.deliveryTime, value.deliveryCount, null);
      nacks.set(value, nack);
      copy.pel.set(key, nack);
    }
    for (const consumer of this.consumers.values()) {
      const twin = new StreamConsumer(consumer.name, consumer.seenTime);
      copy.consumers.set(twin.name, twin);
      for (const { key, value } of consumer.pel.entries()) {
        const nack = nacks.get(value)!;
        nack.consumer = twin;
        twin.pel.set(key, nack);
      }
    }
    return copy;
  }
}

/** memcmp order of latin1 strings (rax order of group and consumer names). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups of a stream in name (byte) order. */
export function sortedGroups(groups: Map<string, StreamGroup> | null): Array<[string, StreamGroup]> {
  if (!groups) return [];
  return [...groups].sort((a, b) => compareNames(a[0], b[0]));
}
