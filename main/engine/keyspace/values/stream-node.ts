/**
 * One node of a stream: a real listpack, byte for byte what Redis 7.0
 * keeps under one radix-tree key (t_stream.c streamAppendItem), so node
 * splits (which depend on the listpack's byte size), RDB files and DUMP
 * payloads are identical to redis-server's, and a node travels to and from
 * RDB without re-encoding.
 *
 *   master entry: count | deleted | num-fields | field_1 .. field_N | 0
 *   each entry:   flags | ms-delta | seq-delta | [num-fields | field_1 | value_1 ..] | lp-count
 *                 flags SAMEFIELDS (2): the master's fields, only values stored
 *                 flags DELETED (1): a tombstone (XDEL, exact trimming)
 *                 lp-count: elements of the entry before it (read right to left)
 *
 * IDs are deltas from the node's master ID (the radix-tree key), taken as
 * int64 modulo 2^64 as C does. `count` and `deleted` (live and tombstoned
 * entries) are also kept as numbers, and always written back into the
 * listpack, which stays the source of truth for RDB.
 *
 * The buffer has spare capacity while the node is the stream's tail (Redis
 * preallocates up to 4096 bytes); `shrink()` trims it when a new tail is
 * started (lpShrinkToFit).
 */
import {
  backlenSize,
  integerEntrySize,
  LISTPACK_HEADER_SIZE,
  listpackElementText,
  newListpackElement,
  readListpackElement,
  stringEntrySize,
  writeBacklen,
  writeIntegerEntry,
  writeStringEntry,
  type ListpackElement,
} from '../../rdb/listpack';
import { parseInt64 } from '../../util/integers';
import { addDelta, deltaOf, type StreamId } from './stream-id';
import { EntryOffsets } from './stream-entry-offsets';

export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;
/** STREAM_LISTPACK_MAX_PRE_ALLOCATE */
const MAX_PREALLOCATE = 4096;
const LISTPACK_END = 0xff;

/**
 * Bytes held by stream node buffers still alive. They live outside the V8
 * heap (which is what the engine's used memory reads), so they are counted
 * here: added when a buffer is made, taken off when the GC collects it.
 */
let liveListpackBytes = 0;
const collected = new FinalizationRegistry<number>((size) => {
  liveListpackBytes -= size;
});

function allocateListpack(size: number): Buffer {
  const buf = Buffer.allocUnsafeSlow(size);
  liveListpackBytes += size;
  collected.register(buf, size);
  return buf;
}

/** Bytes of stream listpacks held outside the V8 heap (used memory, maxmemory). */
export function streamListpackBytes(): number {
  return liveListpackBytes;
}

/** What readEntry() decodes; callers own one and reuse it. */
export interface StreamEntry {
  flagsPos: number;
  flags: number;
  id: StreamId;
  fieldCount: number;
  /** First field (or, with SAMEFIELDS, first value) element. */
  bodyPos: number;
}

export function newStreamEntry(): StreamEntry {
  return { flagsPos: 0, flags: 0, id: { ms: 0, seq: 0 }, fieldCount: 0, bodyPos: 0 };
}

/** An element as the listpack stores it: a string, or an integer (flags, deltas, counts, and strings that are canonical int64). */
type Stored = string | number | bigint;

/** lpEncodeGetType: strings that are canonical int64 are stored as integers. */
function asStored(element: string): Stored {
  if (element.length > 20) return element;
  const integer = parseInt64(element);
  return integer === null ? element : integer;
}

function storedSize(stored: Stored): number {
  return typeof stored === 'string' ? stringEntrySize(stored.length) : integerEntrySize(stored);
}

/**
 * The elements of the entry being appended, in their stored form: slots
 * [0, pendingCount). One array for the process, refilled by every append
 * (an XADD makes no array). It is never truncated (setting an array's
 * length is a runtime call, and truncating to 0 drops its backing store, so
 * the next pushes allocate a new one); appendPending() zeroes the slots it
 * wrote, so no argument string stays reachable from here.
 */
const pending: Stored[] = [];
let pendingCount = 0;
const PENDING_KEPT_MAX = 1024;

function addPending(element: Stored): void {
  pending[pendingCount++] = element;
}

/** The encoded size of the integer element whose first byte is `first` (0 for a string element). */
function integerSizeAt(first: number): number {
  if ((first & 0x80) === 0) return 1;
  if ((first & 0xe0) === 0xc0) return 2;
  switch (first) {
    case 0xf1: return 3;
    case 0xf2: return 4;
    case 0xf3: return 5;
    case 0xf4: return 9;
    default: return 0;
  }
}

/** Strings up to this length are copied char by char: Buffer.write's native call costs more for them. */
const INLINE_COPY_MAX = 16;

/** Writes an integer element (a safe integer) and its one-byte backlen at pos; returns the position after them. */
function writeIntegerElement(buf: Buffer, pos: number, value: number): number {
  if (value >= 0 && value <= 127) {
    buf[pos] = value;
    buf[pos + 1] = 1;
    return pos + 2;
  }
  const size = integerEntrySize(value);
  writeIntegerEntry(buf, pos, value, size);
  buf[pos + size] = size;
  return pos + size + 1;
}

/** Writes an argument as the listpack stores it (asStored: canonical int64 strings as integers) and its backlen; returns the position after them. */
function writeArgumentElement(buf: Buffer, pos: number, text: string): number {
  const length = text.length;
  const integer = length <= 20 ? parseInt64(text) : null;
  let size: number;
  if (integer !== null) {
    if (typeof integer === 'number') return writeIntegerElement(buf, pos, integer);
    size = 9;
    writeIntegerEntry(buf, pos, integer, size);
  } else if (length <= INLINE_COPY_MAX) {
    buf[pos] = 0x80 | length;
    for (let j = 0; j < length; j++) buf[pos + 1 + j] = text.charCodeAt(j);
    size = 1 + length;
  } else {
    writeStringEntry(buf, pos, text);
    size = stringEntrySize(length);
  }
  pos += size;
  if (size <= 127) {
    buf[pos] = size;
    return pos + 1;
  }
  return pos + writeBacklen(buf, pos, size);
}

export class StreamNode {
  /** The listpack; bytes [0, bytes) are in use. */
  private buf: Buffer;
  private bytes: number;
  private elements: number;
  /** Live entries (the master entry's count). */
  live = 0;
  /** Tombstones (the master entry's deleted count). */
  deleted = 0;
  /** The master entry's fields. */
  readonly masterFields: string[];
  /** Flags element of the first entry. */
  private firstEntryPos = 0;
  /** Entry offsets: built at the node's first read, then kept and extended by appends (null: to build). */
  private entryOffsets: EntryOffsets | null = null;
  private readonly scratch: ListpackElement = newListpackElement();

  private constructor(readonly master: StreamId, buf: Buffer, bytes: number, elements: number, masterFields: string[]) {
    this.buf = buf;
    this.bytes = bytes;
    this.elements = elements;
    this.masterFields = masterFields;
  }

  /**
   * A new tail node whose master entry takes the fields of its first entry
   * (which it then holds). `spare` is the buffer the previous tail released
   * when it shrank (shrink()): reused when it has the preallocated size, so
   * a stream growing by XADD allocates one exact buffer per node, not two.
   * The fields and values are argv[from ..].
   */
  static create(id: StreamId, argv: ReadonlyArray<string>, from: number, maxBytes: number, spare: Buffer | null = null): StreamNode {
    const fields: string[] = [];
    for (let i = from; i < argv.length; i += 2) fields.push(argv[i]!);
    const prealloc = Math.max(maxBytes > 0 && maxBytes < MAX_PREALLOCATE ? maxBytes : MAX_PREALLOCATE, LISTPACK_HEADER_SIZE + 1);
    const buf = spare !== null && spare.length === prealloc ? spare : allocateListpack(prealloc);
    buf[LISTPACK_HEADER_SIZE] = LISTPACK_END;
    const node = new StreamNode(id, buf, LISTPACK_HEADER_SIZE + 1, 0, fields);
    pendingCount = 0;
    addPending(0);
    addPending(0);
    addPending(fields.length);
    for (const field of fields) addPending(asStored(field));
    addPending(0);
    node.appendPending();
    node.firstEntryPos = node.bytes - 1;
    node.append(id, argv, from);
    return node;
  }

  /** A node loaded from RDB: the listpack must already have passed validateStreamListpack(). */
  static fromListpack(master: StreamId, listpack: Buffer, layout: { live: number; deleted: number; masterFields: string[]; firstEntryPos: number; elements: number }): StreamNode {
    const buf = allocateListpack(listpack.length);
    listpack.copy(buf);
    const node = new StreamNode(master, buf, listpack.length, layout.elements, layout.masterFields);
    node.live = layout.live;
    node.deleted = layout.deleted;
    node.firstEntryPos = layout.firstEntryPos;
    return node;
  }

  /** lpBytes. */
  get byteSize(): number {
    return this.bytes;
  }

  /** Bytes held, spare capacity included. */
  get allocatedSize(): number {
    return this.buf.length;
  }

  /** The listpack as Redis stores it (a view: copy it before the node changes). */
  listpack(): Buffer {
    return this.buf.subarray(0, this.bytes);
  }

  clone(): StreamNode {
    return StreamNode.fromListpack(this.master, this.listpack(), {
      live: this.live, deleted: this.deleted, masterFields: this.masterFields, firstEntryPos: this.firstEntryPos, elements: this.elements,
    });
  }

  /**
   * lpShrinkToFit: drops the spare capacity of a node that stops being the
   * tail. Returns the buffer it let go (for the next tail: StreamNode.create),
   * null when it had no spare capacity. Nothing keeps a view of a node's
   * buffer (snapshots copy listpack() at once), so reusing it is safe.
   */
  shrink(): Buffer | null {
    if (this.buf.length === this.bytes) return null;
    const exact = allocateListpack(this.bytes);
    this.buf.copy(exact, 0, 0, this.bytes);
    const released = this.buf;
    this.buf = exact;
    return released;
  }

  /** Entries stored, tombstones included (what stream-node-max-entries counts). */
  get totalEntries(): number {
    return this.live + this.deleted;
  }

  /**
   * Appends an entry (the node is the tail and `id` is above all its IDs)
   * whose fields and values are argv[from ..]: flags SAMEFIELDS when the
   * fields are the master's, in order.
   */
  append(id: StreamId, argv: ReadonlyArray<string>, from: number): void {
    const pairs = (argv.length - from) >> 1;
    const master = this.masterFields;
    let same = pairs === master.length;
    for (let i = 0; same && i < pairs; i++) same = argv[from + 2 * i] === master[i];
    const flagsPos = this.bytes - 1;
    if (!this.appendDirect(id, argv, from, pairs, same)) this.appendEncoded(id, argv, from, pairs, same);
    this.entryOffsets?.push(flagsPos);
    this.setCounts(this.live + 1, this.deleted);
  }

  /**
   * append() in one pass, each element written where it goes (an XADD's
   * usual entry): when the ID deltas are numbers and the spare capacity
   * surely holds the entry, bounding every element by its length plus 10
   * bytes (at most 5 of encoding and 5 of backlen; an integer takes at
   * most 9 and 1). False, with nothing written, otherwise.
   */
  private appendDirect(id: StreamId, argv: ReadonlyArray<string>, from: number, pairs: number, same: boolean): boolean {
    const { ms, seq } = id;
    const base = this.master;
    if (typeof ms !== 'number' || typeof seq !== 'number' || typeof base.ms !== 'number' || typeof base.seq !== 'number') return false;
    const first = same ? from + 1 : from;
    const step = same ? 2 : 1;
    // flags, the two deltas, the field count and lp-count, 10 bytes each.
    let bound = 50;
    for (let i = first; i < argv.length; i += step) bound += argv[i]!.length + 10;
    if (this.bytes + bound > this.buf.length) return false;
    const buf = this.buf;
    let pos = this.bytes - 1;
    buf[pos] = same ? STREAM_ITEM_FLAG_SAMEFIELDS : 0;
    buf[pos + 1] = 1;
    pos = writeIntegerElement(buf, pos + 2, ms - base.ms);
    pos = writeIntegerElement(buf, pos, seq - base.seq);
    if (!same) pos = writeIntegerElement(buf, pos, pairs);
    for (let i = first; i < argv.length; i += step) pos = writeArgumentElement(buf, pos, argv[i]!);
    pos = writeIntegerElement(buf, pos, same ? pairs + 3 : 2 * pairs + 4);
    buf[pos] = LISTPACK_END;
    this.bytes = pos + 1;
    this.elements += same ? pairs + 4 : 2 * pairs + 5;
    this.writeHeader();
    return true;
  }

  /** append() through the pending elements: sized first, the buffer grown, then written. */
  private appendEncoded(id: StreamId, argv: ReadonlyArray<string>, from: number, pairs: number, same: boolean): void {
    pendingCount = 0;
    addPending(same ? STREAM_ITEM_FLAG_SAMEFIELDS : 0);
    addPending(deltaOf(id.ms, this.master.ms));
    addPending(deltaOf(id.seq, this.master.seq));
    if (same) {
      for (let i = 0; i < pairs; i++) addPending(asStored(argv[from + 2 * i + 1]!));
      addPending(pairs + 3);
    } else {
      addPending(pairs);
      for (let i = from; i < argv.length; i++) addPending(asStored(argv[i]!));
      addPending(2 * pairs + 4);
    }
    this.appendPending();
  }

  /**
   * lpAppend for each pending element, then one header update. Small
   * integers and short strings (most of an XADD) are written byte by byte:
   * an element of up to 127 bytes has a one-byte backlen equal to its size.
   */
  private appendPending(): void {
    const stored = pending;
    const count = pendingCount;
    let added = 0;
    for (let i = 0; i < count; i++) {
      const size = storedSize(stored[i]!);
      added += size + backlenSize(size);
    }
    this.ensureCapacity(this.bytes + added);
    const buf = this.buf;
    let pos = this.bytes - 1;
    for (let i = 0; i < count; i++) {
      const element = stored[i]!;
      stored[i] = 0;
      let size: number;
      if (typeof element === 'string') {
        const length = element.length;
        if (length <= INLINE_COPY_MAX) {
          buf[pos] = 0x80 | length;
          for (let j = 0; j < length; j++) buf[pos + 1 + j] = element.charCodeAt(j);
          size = 1 + length;
        } else {
          writeStringEntry(buf, pos, element);
          size = stringEntrySize(length);
        }
      } else if (typeof element === 'number' && element >= 0 && element <= 127) {
        buf[pos] = element;
        size = 1;
      } else {
        size = integerEntrySize(element);
        writeIntegerEntry(buf, pos, element, size);
      }
      pos += size;
      if (size <= 127) buf[pos++] = size;
      else pos += writeBacklen(buf, pos, size);
    }
    buf[pos] = LISTPACK_END;
    this.bytes += added;
    this.elements += count;
    this.writeHeader();
    // An entry with thousands of fields does not leave its backing store behind.
    if (count > PENDING_KEPT_MAX) pending.length = 0;
  }

  /** lpSetTotalBytes and lpSetNumElements (65535: "unknown, count them"), little-endian. */
  private writeHeader(): void {
    const buf = this.buf;
    const bytes = this.bytes;
    const elements = Math.min(this.elements, 65535);
    buf[0] = bytes & 0xff;
    buf[1] = (bytes >>> 8) & 0xff;
    buf[2] = (bytes >>> 16) & 0xff;
    buf[3] = bytes >>> 24;
    buf[4] = elements & 0xff;
    buf[5] = elements >>> 8;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.buf.length) return;
    const grown = allocateListpack(Math.max(needed, Math.min(this.buf.length * 2, needed + (1 << 20))));
    this.buf.copy(grown, 0, 0, this.bytes);
    this.buf = grown;
  }

  /** The size (encoding + data + backlen) of the element at pos. */
  private elementSpan(pos: number): number {
    readListpackElement(this.buf, pos, this.bytes - 1, this.scratch);
    return this.scratch.size + backlenSize(this.scratch.size);
  }

  private integerAt(pos: number): number | bigint {
    readListpackElement(this.buf, pos, this.bytes - 1, this.scratch);
    const element = this.scratch;
    if (!element.isString) return element.integer;
    // lpGetInteger on a string element: Redis asserts it parses (never written so).
    return parseInt64(listpackElementText(this.buf, element)) ?? 0;
  }

  private numberAt(pos: number): number {
    return Number(this.integerAt(pos));
  }

  /** lpReplaceInteger: rewrites an integer element, moving the rest when its width changes. */
  private replaceInteger(pos: number, value: number): void {
    const size = integerEntrySize(value);
    if (integerSizeAt(this.buf[pos]!) === size) {
      // Same encoding width (a count going from 5 to 6): same span and backlen, header unchanged.
      writeIntegerEntry(this.buf, pos, value, size);
      return;
    }
    const oldSpan = this.elementSpan(pos);
    const newSpan = size + backlenSize(size);
    if (newSpan !== oldSpan) {
      const shift = newSpan - oldSpan;
      this.ensureCapacity(this.bytes + shift);
      this.buf.copyWithin(pos + newSpan, pos + oldSpan, this.bytes);
      this.bytes += shift;
      if (this.firstEntryPos > pos) this.firstEntryPos += shift;
      this.entryOffsets = null;
    }
    writeIntegerEntry(this.buf, pos, value, size);
    writeBacklen(this.buf, pos + size, size);
    this.writeHeader();
  }

  /** Writes the master entry's count and deleted (the first two elements). */
  setCounts(live: number, deleted: number): void {
    if (live !== this.live) this.replaceInteger(LISTPACK_HEADER_SIZE, live);
    if (deleted !== this.deleted) this.replaceInteger(LISTPACK_HEADER_SIZE + this.elementSpan(LISTPACK_HEADER_SIZE), deleted);
    this.live = live;
    this.deleted = deleted;
  }

  /** Marks the entry whose flags are at flagsPos as deleted and updates the counts. */
  markDeleted(flagsPos: number): void {
    this.setDeletedFlag(flagsPos);
    this.setCounts(this.live - 1, this.deleted + 1);
  }

  /** Sets the DELETED flag only (the caller fixes the counts). Flags Redis wrote are one byte (0-3), rewritten in place. */
  setDeletedFlag(flagsPos: number): void {
    const flags = this.flagsAt(flagsPos) | STREAM_ITEM_FLAG_DELETED;
    if ((this.buf[flagsPos]! & 0x80) === 0) this.buf[flagsPos] = flags;
    else this.replaceInteger(flagsPos, flags);
  }

  /** The flags of the entry at flagsPos: a 7-bit uint (0-3) as written, or whatever a loaded file holds. */
  private flagsAt(pos: number): number {
    const first = this.buf[pos]!;
    return (first & 0x80) === 0 ? first : this.numberAt(pos);
  }

  /** Moves past the element at pos. */
  private skip(pos: number): number {
    readListpackElement(this.buf, pos, this.bytes - 1, this.scratch);
    return this.past(pos);
  }

  /** Moves past the element at pos that was just read (into the scratch element). */
  private past(pos: number): number {
    return pos + this.scratch.size + backlenSize(this.scratch.size);
  }

  /** The element after an entry's flags (one byte and its backlen, as Redis writes them). */
  private afterFlags(flagsPos: number): number {
    return (this.buf[flagsPos]! & 0x80) === 0 ? flagsPos + 2 : this.skip(flagsPos);
  }

  /** The entries' offsets, built by one walk of the node when missing. */
  private offsets(): EntryOffsets {
    if (this.entryOffsets) return this.entryOffsets;
    const total = this.live + this.deleted;
    const offsets = new EntryOffsets(total);
    let pos = this.firstEntryPos;
    for (let i = 0; i < total; i++) {
      offsets.push(pos);
      const flags = this.flagsAt(pos);
      pos = this.skip(this.skip(this.afterFlags(pos)));
      let elements = this.masterFields.length;
      if ((flags & STREAM_ITEM_FLAG_SAMEFIELDS) === 0) {
        elements = 2 * this.numberAt(pos);
        pos = this.skip(pos);
      }
      for (let j = 0; j <= elements; j++) pos = this.skip(pos);
    }
    this.entryOffsets = offsets;
    return offsets;
  }

  /** The ID of entry i compared with `id` (-1, 0, 1), without making an ID object on the number path. */
  private compareIdAt(i: number, id: StreamId): number {
    let pos = this.afterFlags(this.offsets().at(i));
    const ms = addDelta(this.master.ms, this.integerAt(pos));
    if (ms !== id.ms) return ms < id.ms ? -1 : 1;
    pos = this.past(pos);
    const seq = addDelta(this.master.seq, this.integerAt(pos));
    if (seq !== id.seq) return seq < id.seq ? -1 : 1;
    return 0;
  }

  /** Index of the first entry (tombstones included) whose ID is >= id, or > id when `after`; totalEntries when none. */
  search(id: StreamId, after: boolean): number {
    let low = 0;
    let high = this.live + this.deleted;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = this.compareIdAt(middle, id);
      if (order < 0 || (after && order === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Decodes entry i (0-based, tombstones included). */
  readEntry(i: number, out: StreamEntry): void {
    const flagsPos = this.offsets().at(i);
    const flags = this.flagsAt(flagsPos);
    let pos = this.afterFlags(flagsPos);
    const msDelta = this.integerAt(pos);
    pos = this.past(pos);
    const seqDelta = this.integerAt(pos);
    pos = this.past(pos);
    let fieldCount = this.masterFields.length;
    if ((flags & STREAM_ITEM_FLAG_SAMEFIELDS) === 0) {
      fieldCount = this.numberAt(pos);
      pos = this.past(pos);
    }
    out.flagsPos = flagsPos;
    out.flags = flags;
    out.id = { ms: addDelta(this.master.ms, msDelta), seq: addDelta(this.master.seq, seqDelta) };
    out.fieldCount = fieldCount;
    out.bodyPos = pos;
  }

  /** The entry's fields and values, flat (field, value, ...). */
  fieldsAndValues(entry: StreamEntry): string[] {
    const out: string[] = new Array<string>(entry.fieldCount * 2);
    const end = this.bytes - 1;
    const element = this.scratch;
    let pos = entry.bodyPos;
    const same = (entry.flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
    for (let i = 0; i < entry.fieldCount; i++) {
      if (same) out[2 * i] = this.masterFields[i]!;
      else {
        readListpackElement(this.buf, pos, end, element);
        out[2 * i] = listpackElementText(this.buf, element);
        pos += element.size + backlenSize(element.size);
      }
      readListpackElement(this.buf, pos, end, element);
      out[2 * i + 1] = listpackElementText(this.buf, element);
      pos += element.size + backlenSize(element.size);
    }
    return out;
  }
}
