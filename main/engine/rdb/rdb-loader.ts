/**
 * The streaming RDB loader: fed chunks as they arrive (from a replication
 * socket or a file), it builds the dataset into fresh databases with bounded
 * extra memory, and reports exactly how many bytes belonged to the RDB (a
 * diskless transfer's EOF mark, or the command stream, may follow in the
 * same chunk).
 *
 * Parsing advances item by item (an opcode with its arguments, a key with a
 * small value, the header of a collection, then ONE element of a big
 * collection at a time). An item that runs out of bytes is rewound and
 * retried once at least the bytes it wanted have arrived, so a huge value is
 * never re-parsed from its start at every chunk.
 *
 * Reads RDB versions 1-12: every type Redis 7.0-7.4 writes or loads.
 * Streams are built item by item (stream-rdb-loader.ts); no type is
 * skipped: module values and module AUX data (no module can be loaded
 * here) and any unknown type stop the load with an error, naming the
 * module by its type name. Errors carry the byte offset; a failed load
 * never touches the live dataset (the caller swaps the result in only
 * after finish()).
 */
import { Database } from '../keyspace/database';
import { ListValue, StreamValue, type RedisValue } from '../keyspace/values';
import { lruClockAt, type AccessPolicy } from '../keyspace/key-entry';
import { ByteQueue, NEED_MORE } from './byte-queue';
import * as C from './constants';
import { RdbFormatError } from './format-error';
import { buildCompactValue, isCompactBlobType, validateCompactValue } from './compact-values';
import { readPreGaFunction } from './function-payload';
import { countListpack, decodeListpack } from './listpack';
import { LoadedKeys } from './loaded-keys';
import { decodeLoadedValue } from './loaded-value-decoder';
import { moduleNameFromId } from './module-id';
import { RdbReader } from './rdb-reader';
import { StreamLoader } from './stream-rdb-loader';
import { DEFAULT_LIMITS, HashBuilder, ListBuilder, SetBuilder, ZSetBuilder, type EncodingLimits } from './value-builders';
import { decodeZiplist } from './ziplist';
import { latin1String } from '../util/latin1';

export interface RdbLoaderOptions {
  readonly databases: number;
  /** Replicas keep keys already expired (their master will DEL them); masters drop them. */
  readonly keepExpired: boolean;
  readonly now?: number;
  readonly limits?: EncodingLimits;
  readonly warn?: (message: string) => void;
  /** Called for each expired key dropped (a restarted master propagates DELs for them). */
  readonly onExpiredKey?: (dbIndex: number, key: string) => void;
  /**
   * Keep strings and compact collections in their RDB encoding until first
   * access (LoadedKeys; default true). RESTORE, which wants one value now,
   * turns it off.
   */
  readonly keepEncoded?: boolean;
  /**
   * The keyspace's access policy: every loaded key gets the access field of
   * a key created now, or the one its IDLE/FREQ opcode gives under the
   * matching policy (objectSetLRUOrLFU). Default: the LRU clock now.
   */
  readonly access?: AccessPolicy;
}

/**
 * Types a load keeps in their RDB encoding (when keepEncoded): strings, the
 * compact forms 7.0 and 7.2 write, and small plain sets (7.0 has no
 * listpack set: a set of three words is a RDB_TYPE_SET). The others (big
 * plain collections, which are loaded element by element, and the pre-7.0
 * forms) are built.
 */
const KEPT_ENCODED = new Set([
  C.RDB_TYPE_STRING,
  C.RDB_TYPE_SET,
  C.RDB_TYPE_SET_INTSET,
  C.RDB_TYPE_SET_LISTPACK,
  C.RDB_TYPE_HASH_LISTPACK,
  C.RDB_TYPE_ZSET_LISTPACK,
  C.RDB_TYPE_LIST_QUICKLIST_2,
]);
/** A quicklist of more nodes is built node by node, so a huge list never has to arrive as one item. */
const MAX_KEPT_QUICKLIST_NODES = 16;
/** A plain set of more members is built member by member (its duplicate check then uses a Set). */
const MAX_KEPT_SET_MEMBERS = 16;

export interface LoadStats {
  keysLoaded: number;
  keysExpired: number;
  /** Keys whose value was an empty collection (skipped, as Redis does). */
  keysSkipped: number;
}

export interface LoadedRdb {
  readonly dbs: Database[];
  readonly aux: Map<string, string>;
  readonly version: number;
  readonly stats: LoadStats;
  /**
   * The FUNCTION libraries' payloads in file order (FUNCTION2 entries, and
   * pre-GA ones rebuilt as 7.0 rebuilds them), for the caller to compile
   * and install together with the databases.
   */
  readonly functions: string[];
}

/** An element-wise collection being loaded across items. */
interface CollectionInProgress {
  readonly type: number;
  readonly key: string;
  remaining: number;
  readonly builder: HashBuilder | ZSetBuilder | SetBuilder | ListBuilder;
  /** HASH_METADATA: the minimum field expiry the per-field TTLs are relative to. */
  readonly minExpire: number;
}

export class RdbLoader {
  private readonly queue = new ByteQueue();
  private readonly reader = new RdbReader(this.queue);
  private readonly dbs: Database[];
  private readonly aux = new Map<string, string>();
  private readonly stats: LoadStats = { keysLoaded: 0, keysExpired: 0, keysSkipped: 0 };
  private readonly functions: string[] = [];
  private readonly limits: EncodingLimits;
  private readonly now: number;
  private version = -1;
  private db: Database;
  private expireMs: number | bigint | undefined;
  /** The next key's IDLE seconds and FREQ counter from the RDB, -1 when absent. */
  private pendingIdle = -1;
  private pendingFreq = -1;
  /** The meta word of a loaded key without IDLE/FREQ. */
  private readonly initialMeta: number;
  private collection: CollectionInProgress | null = null;
  private stream: { key: string; loader: StreamLoader } | null = null;
  private complete = false;
  private failure: RdbFormatError | null = null;
  private warnedFieldTtl = false;
  private awaitingChecksum = false;
  /** RESIZEDB's key count for the database being loaded: presizes its LoadedKeys. */
  private expectedKeys = 0;
  private readonly loadedKeys: Array<LoadedKeys | undefined> = [];

  constructor(private readonly options: RdbLoaderOptions) {
    this.dbs = Array.from({ length: options.databases }, (_, id) => new Database(id));
    this.db = this.dbs[0]!;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.now = options.now ?? Date.now();
    this.initialMeta = options.access ? options.access.freshField() : lruClockAt(this.now);
  }

  /** The meta word of the key being stored (its IDLE/FREQ applied), and the pending usage cleared. */
  private takeKeyMeta(): number {
    if (this.pendingIdle < 0 && this.pendingFreq < 0) return this.initialMeta;
    const field = this.options.access?.fieldFromUsage(this.pendingFreq, this.pendingIdle) ?? null;
    this.pendingIdle = -1;
    this.pendingFreq = -1;
    return field === null ? this.initialMeta : field;
  }

  get isComplete(): boolean {
    return this.complete;
  }

  /** Bytes of the RDB accepted so far. */
  get bytesLoaded(): number {
    return this.queue.committed;
  }

  /**
   * Consumes bytes of the RDB. Returns how many bytes of `chunk` belonged to
   * it: all of them until the EOF opcode and checksum were read, then only
   * up to the checksum's last byte. Throws RdbFormatError on bad data.
   */
  feed(chunk: Buffer): number {
    if (this.failure) throw this.failure;
    if (this.complete) return 0;
    this.queue.push(chunk);
    try {
      while (!this.complete) {
        if (this.queue.available < this.queue.wanted) break;
        try {
          this.step();
          this.queue.commit();
          this.queue.wanted = 0;
        } catch (signal) {
          if (signal !== NEED_MORE) throw signal;
          this.queue.rewind();
          break;
        }
      }
    } catch (failure) {
      this.failure = failure instanceof RdbFormatError ? failure : new RdbFormatError(failure instanceof Error ? failure.message : String(failure), this.queue.position);
      throw this.failure;
    }
    return this.complete ? chunk.length - this.queue.takeRest() : chunk.length;
  }

  finish(): LoadedRdb {
    if (this.failure) throw this.failure;
    if (!this.complete) throw new RdbFormatError(`unexpected end of the RDB: ${this.queue.committed} bytes read and the EOF opcode was not reached`, this.queue.committed);
    return { dbs: this.dbs, aux: this.aux, version: this.version, stats: this.stats, functions: this.functions };
  }

  /** Parses one item. */
  private step(): void {
    const r = this.reader;
    if (this.version < 0) return this.readMagic();
    if (this.awaitingChecksum) return this.readChecksum();
    if (this.collection) return this.readElement(this.collection);
    if (this.stream) {
      if (this.stream.loader.step(r)) {
        const { key, loader } = this.stream;
        this.stream = null;
        this.store(key, loader.stream);
      }
      return;
    }
    const opcode = r.byte();
    switch (opcode) {
      case C.RDB_OPCODE_AUX: {
        const key = r.string();
        const value = r.string();
        this.aux.set(key, value);
        return;
      }
      case C.RDB_OPCODE_SELECTDB: {
        const index = r.length();
        if (index >= this.dbs.length) r.fail(`FATAL: Data file was created with a Redis server configured to handle more than ${this.dbs.length} databases (SELECTDB ${index})`);
        this.db = this.dbs[index]!;
        this.expectedKeys = 0;
        return;
      }
      case C.RDB_OPCODE_RESIZEDB:
        this.expectedKeys = r.length();
        r.length();
        return;
      case C.RDB_OPCODE_EXPIRETIME_MS:
        this.expireMs = r.expireTime();
        return;
      case C.RDB_OPCODE_EXPIRETIME:
        this.expireMs = r.secondTime() * 1000;
        return;
      case C.RDB_OPCODE_IDLE:
        this.pendingIdle = r.length();
        return;
      case C.RDB_OPCODE_FREQ:
        this.pendingFreq = r.byte();
        return;
      case C.RDB_OPCODE_FUNCTION2:
        this.functions.push(r.string());
        return;
      case C.RDB_OPCODE_FUNCTION_PRE_GA:
        this.functions.push(readPreGaFunction(r));
        return;
      case C.RDB_OPCODE_MODULE_AUX: {
        // The id is a full 64-bit value (the name's first character sits in the top bits): read exactly.
        const id = BigInt(r.lengthU64());
        r.fail(`The RDB file contains AUX module data I can't load: no matching module '${moduleNameFromId(id)}'`);
        return;
      }
      case C.RDB_OPCODE_SLOT_INFO:
        r.length();
        r.length();
        r.length();
        return;
      case C.RDB_OPCODE_EOF:
        return this.readTrailer();
      default:
        return this.readKey(opcode);
    }
  }

  private readMagic(): void {
    const header = this.reader.raw(9).toString('latin1');
    if (!header.startsWith('REDIS')) this.reader.fail('Wrong signature trying to load DB from file');
    const version = Number(header.slice(5));
    if (!/^\d{4}$/.test(header.slice(5)) || version < 1 || version > C.RDB_VERSION_MAX_READ) {
      this.reader.fail(`Can't handle RDB format version ${header.slice(5)}`);
    }
    this.version = version;
  }

  /** EOF opcode read: the 8-byte CRC follows (RDB >= 5), not covered by itself. */
  private readTrailer(): void {
    if (this.version < 5) {
      this.indexLoadedKeys();
      this.complete = true;
      return;
    }
    // Commit the EOF byte into the CRC first, then read the stored checksum outside it
    // (as its own item: it may arrive in a later chunk).
    this.queue.commit();
    this.queue.stopCrc();
    this.awaitingChecksum = true;
    this.readChecksum();
  }

  private readChecksum(): void {
    const stored = this.reader.raw(8);
    const expected = this.queue.crc.digestBytes();
    if (!stored.equals(Buffer.alloc(8)) && !stored.equals(expected)) {
      // rdbLoadRio's words, the two CRCs as %llx of the little-endian words; rdbReportCorruptRDB's reason.
      const word = (bytes: Buffer): string => bytes.readBigUInt64LE(0).toString(16);
      this.reader.fail(`Wrong RDB checksum expected: (${word(expected)}) but got (${word(stored)}). Aborting now. RDB CRC error`);
    }
    this.indexLoadedKeys();
    this.complete = true;
  }

  private readKey(type: number): void {
    if (this.options.keepEncoded !== false && KEPT_ENCODED.has(type)) return this.readKeptKey(type);
    const r = this.reader;
    const key = r.string();
    if (isCompactBlobType(type)) return this.store(key, buildCompactValue(type, r.blob(), this.limits, this.queue.position));
    switch (type) {
      case C.RDB_TYPE_STRING:
        return this.store(key, r.string());
      case C.RDB_TYPE_LIST:
      case C.RDB_TYPE_SET:
      case C.RDB_TYPE_ZSET:
      case C.RDB_TYPE_ZSET_2:
      case C.RDB_TYPE_HASH:
      case C.RDB_TYPE_LIST_QUICKLIST:
      case C.RDB_TYPE_LIST_QUICKLIST_2:
        return this.beginCollection(type, key, r.length(), 0);
      case C.RDB_TYPE_HASH_METADATA: {
        const minExpire = r.millisecondTime();
        return this.beginCollection(type, key, r.length(), minExpire);
      }
      case C.RDB_TYPE_HASH_METADATA_PRE_GA:
        return this.beginCollection(type, key, r.length(), 0);
      case C.RDB_TYPE_HASH_LISTPACK_EX: {
        r.millisecondTime(); // minimum expiry, implied by the triplets
        return this.storeHashTriplets(key, decodeListpack(r.blob()));
      }
      case C.RDB_TYPE_HASH_LISTPACK_EX_PRE_GA:
        return this.storeHashTriplets(key, decodeListpack(r.blob()));
      case C.RDB_TYPE_STREAM_LISTPACKS:
      case C.RDB_TYPE_STREAM_LISTPACKS_2:
      case C.RDB_TYPE_STREAM_LISTPACKS_3:
        this.stream = { key, loader: new StreamLoader(type) };
        return;
      case C.RDB_TYPE_MODULE_2:
      case C.RDB_TYPE_MODULE_PRE_GA: {
        // No module can be loaded here: its value's bytes mean nothing without it, so the
        // whole load fails (as in Redis without the module), naming the module for the operator.
        const id = BigInt(r.lengthU64());
        r.fail(`The RDB file contains module data I can't load: no matching module type '${moduleNameFromId(id)}' (key '${key.slice(0, 100)}')`);
        return;
      }
      default:
        r.fail(`Unknown RDB encoding type ${type}`);
    }
  }

  /**
   * A key whose value stays in its RDB encoding (LoadedKeys): the value is
   * passed over with the same checks building it would make, then the key's
   * bytes and the value's RDB bytes are copied into the table. No JS string
   * or object is made for the key unless it has a TTL or must be named in
   * an error or warning.
   */
  private readKeptKey(type: number): void {
    const q = this.queue;
    const r = this.reader;
    const keyFrom = q.itemOffset;
    let keyLength = r.skipString();
    let key: string | null = null;
    if (keyLength < 0) {
      // Integer- or LZF-encoded key: the table holds its decoded bytes.
      q.seek(keyFrom);
      key = r.string();
      keyLength = key.length;
    }
    const keyBytesFrom = q.itemOffset - keyLength;
    const valueFrom = q.itemOffset;
    let elements: number;
    if (type === C.RDB_TYPE_STRING) {
      r.skipString();
      elements = 1;
    } else if (type === C.RDB_TYPE_LIST_QUICKLIST_2) {
      const nodes = r.length();
      if (nodes > MAX_KEPT_QUICKLIST_NODES) return this.beginCollection(type, key ?? this.itemText(keyBytesFrom, keyLength), nodes, 0);
      elements = this.passQuicklistNodes(nodes);
    } else if (type === C.RDB_TYPE_SET) {
      const members = r.length();
      if (members > MAX_KEPT_SET_MEMBERS) return this.beginCollection(type, key ?? this.itemText(keyBytesFrom, keyLength), members, 0);
      elements = this.passSetMembers(members);
    } else {
      const at = r.blobSpan();
      elements = validateCompactValue(type, r.spanBytes, at, at + r.spanLength, q.position);
    }
    this.storeKept(type, key, keyBytesFrom, keyLength, valueFrom, q.itemOffset - valueFrom, elements);
  }

  /** Checks `nodes` quicklist 2 nodes as the element reader would; returns the element count. */
  private passQuicklistNodes(nodes: number): number {
    const r = this.reader;
    let elements = 0;
    for (let node = 0; node < nodes; node++) {
      const container = r.length();
      if (container === C.QUICKLIST_NODE_CONTAINER_PLAIN) {
        r.skipString();
        elements++;
      } else if (container === C.QUICKLIST_NODE_CONTAINER_PACKED) {
        const at = r.blobSpan();
        const count = countListpack(r.spanBytes, at, at + r.spanLength);
        if (count === 0) r.fail('empty listpack in a quicklist node');
        elements += count;
      } else r.fail(`quicklist node with unknown container ${container}`);
    }
    return elements;
  }

  /** Member texts of the small set being checked (reused: no array per key). */
  private readonly setMembers: string[] = [];

  /**
   * Checks `count` plain set members as SetBuilder would (Redis's
   * "Duplicate set members detected"); returns the count. The member
   * strings are short-lived: only the RDB bytes are kept.
   */
  private passSetMembers(count: number): number {
    const r = this.reader;
    const members = this.setMembers;
    members.length = 0;
    for (let i = 0; i < count; i++) {
      const member = r.string();
      for (let j = 0; j < i; j++) if (members[j] === member) r.fail('Duplicate set members detected');
      members.push(member);
    }
    members.length = 0;
    return count;
  }

  private itemText(itemOffset: number, length: number): string {
    const bytes = Buffer.allocUnsafe(length);
    this.queue.copyOut(itemOffset, length, bytes, 0);
    return bytes.toString('latin1');
  }

  /**
   * store() for a kept key: `key` is null when its bytes are still only in
   * the item. Key and value bytes that sit in one input chunk stay there
   * (LoadedKeys.appendInPlace); others are copied into a slab.
   */
  private storeKept(type: number, key: string | null, keyBytesFrom: number, keyLength: number, valueFrom: number, valueLength: number, elements: number): void {
    const expireMs = this.expireMs;
    this.expireMs = undefined;
    const meta = this.takeKeyMeta();
    const db = this.db;
    const loaded = this.loadedKeysOf(db);
    const q = this.queue;
    // The key's bytes come right before the value's in the item.
    const inPlaceAt = key === null ? q.locate(keyBytesFrom, keyLength + valueLength) : -1;
    let bytes: Buffer;
    let at: number;
    if (inPlaceAt >= 0) {
      bytes = q.locatedChunk;
      at = inPlaceAt;
    } else {
      bytes = loaded.reserve(keyLength + valueLength);
      at = loaded.reservedAt;
      if (key === null) q.copyOut(keyBytesFrom, keyLength, bytes, at);
      else bytes.write(key, at, keyLength, 'latin1');
      q.copyOut(valueFrom, valueLength, bytes, at + keyLength);
    }
    if (elements === 0) return this.skipEmpty(key ?? latin1String(bytes, at, at + keyLength));
    if (expireMs !== undefined && expireMs < this.now && !this.options.keepExpired) return this.dropExpired(key ?? latin1String(bytes, at, at + keyLength));
    if (expireMs !== undefined) db.storeExpire(key ?? latin1String(bytes, at, at + keyLength), expireMs);
    // Duplicates among kept keys, and with built ones, are found when the load ends (indexLoadedKeys).
    if (inPlaceAt >= 0) loaded.appendInPlace(type, bytes, at, keyLength, valueLength, q.committed);
    else loaded.append(type, keyLength, valueLength, loaded.reservedHash(keyLength), q.committed);
    if (meta !== this.initialMeta) loaded.setMeta(loaded.entryCount - 1, meta);
    if (expireMs !== undefined) loaded.markTimed(loaded.entryCount - 1);
    this.stats.keysLoaded++;
  }

  /**
   * At the end of the load (before reporting it complete): builds each
   * kept-keys index, which finds duplicates among kept keys, then looks up
   * every built key among the kept ones.
   */
  private indexLoadedKeys(): void {
    for (const db of this.dbs) {
      const loaded = this.loadedKeys[db.id];
      if (loaded === undefined) continue;
      const duplicate = loaded.buildIndex();
      if (duplicate >= 0) this.duplicate(loaded.keyOf(duplicate), loaded.loadOffsetOf(duplicate));
      for (const key of db.dict.builtKeys()) {
        const kept = loaded.find(key);
        // Which of the two came second is not recorded; the kept one's offset points at one of them.
        if (kept >= 0) this.duplicate(key, loaded.loadOffsetOf(kept));
      }
      loaded.dropLoadOffsets();
    }
  }

  private loadedKeysOf(db: Database): LoadedKeys {
    let loaded = this.loadedKeys[db.id];
    if (loaded === undefined) {
      loaded = new LoadedKeys(decodeLoadedValue, this.limits, this.expectedKeys);
      loaded.initialMeta = this.initialMeta;
      db.dict.attachLoaded(loaded);
      this.loadedKeys[db.id] = loaded;
    }
    return loaded;
  }

  private beginCollection(type: number, key: string, count: number, minExpire: number): void {
    let builder: CollectionInProgress['builder'];
    if (type === C.RDB_TYPE_HASH || type === C.RDB_TYPE_HASH_METADATA || type === C.RDB_TYPE_HASH_METADATA_PRE_GA) builder = new HashBuilder();
    else if (type === C.RDB_TYPE_SET) builder = new SetBuilder();
    else if (type === C.RDB_TYPE_ZSET || type === C.RDB_TYPE_ZSET_2) builder = new ZSetBuilder();
    else builder = new ListBuilder();
    this.collection = { type, key, remaining: count, builder, minExpire };
    if (count === 0) this.endCollection(this.collection);
  }

  /** One element of a collection being loaded. */
  private readElement(c: CollectionInProgress): void {
    const r = this.reader;
    const offset = this.queue.position;
    switch (c.type) {
      case C.RDB_TYPE_LIST:
        (c.builder as ListBuilder).add(r.string());
        break;
      case C.RDB_TYPE_SET:
        (c.builder as SetBuilder).add(r.string(), offset);
        break;
      case C.RDB_TYPE_ZSET: {
        const member = r.string();
        (c.builder as ZSetBuilder).add(member, r.textDouble(), offset);
        break;
      }
      case C.RDB_TYPE_ZSET_2: {
        const member = r.string();
        (c.builder as ZSetBuilder).add(member, r.binaryDouble(), offset);
        break;
      }
      case C.RDB_TYPE_HASH: {
        const field = r.string();
        (c.builder as HashBuilder).add(field, r.string(), offset);
        break;
      }
      case C.RDB_TYPE_HASH_METADATA:
      case C.RDB_TYPE_HASH_METADATA_PRE_GA: {
        const ttl = r.length();
        const field = r.string();
        const value = r.string();
        const expiresAt = ttl === 0 ? null : c.type === C.RDB_TYPE_HASH_METADATA ? c.minExpire + ttl - 1 : ttl;
        this.warnFieldTtl(c.key);
        if (expiresAt === null || expiresAt > this.now || this.options.keepExpired) (c.builder as HashBuilder).add(field, value, offset);
        break;
      }
      case C.RDB_TYPE_LIST_QUICKLIST: {
        const list = c.builder as ListBuilder;
        for (const element of decodeZiplist(r.blob())) list.add(element);
        break;
      }
      case C.RDB_TYPE_LIST_QUICKLIST_2: {
        const container = r.length();
        const list = c.builder as ListBuilder;
        if (container === C.QUICKLIST_NODE_CONTAINER_PLAIN) list.add(r.string());
        else if (container === C.QUICKLIST_NODE_CONTAINER_PACKED) {
          const elements = decodeListpack(r.blob());
          if (elements.length === 0) r.fail('empty listpack in a quicklist node');
          for (const element of elements) list.add(element);
        } else r.fail(`quicklist node with unknown container ${container}`);
        break;
      }
      default:
        r.fail(`internal: no element reader for type ${c.type}`);
    }
    c.remaining--;
    if (c.remaining === 0) this.endCollection(c);
  }

  private endCollection(c: CollectionInProgress): void {
    this.collection = null;
    const b = c.builder;
    const value = b instanceof ListBuilder ? b.finish() : b.finish(this.limits);
    this.store(c.key, value);
  }

  /** Hashes with field TTLs (7.4): (field, value, ttl ms or 0) triplets; TTLs are not kept. */
  private storeHashTriplets(key: string, flat: string[]): void {
    if (flat.length % 3 !== 0) this.reader.fail('hash listpack with field TTLs whose length is not a multiple of 3');
    this.warnFieldTtl(key);
    const hash = new HashBuilder();
    for (let i = 0; i < flat.length; i += 3) {
      const ttl = Number(flat[i + 2]);
      if (ttl !== 0 && ttl <= this.now && !this.options.keepExpired) continue;
      hash.add(flat[i]!, flat[i + 1]!, this.queue.position);
    }
    this.store(key, hash.finish(this.limits));
  }

  private warnFieldTtl(key: string): void {
    if (this.warnedFieldTtl) return;
    this.warnedFieldTtl = true;
    this.options.warn?.(`Hash field TTLs (Redis 7.4) are not supported: fields of '${key.slice(0, 100)}' and other such hashes are loaded without their TTLs`);
  }

  /** Puts a finished key into the database being loaded (or drops it: expired, empty). */
  private store(key: string, value: RedisValue): void {
    const expireMs = this.expireMs;
    this.expireMs = undefined;
    const meta = this.takeKeyMeta();
    if (isEmptyCollection(value)) return this.skipEmpty(key);
    if (expireMs !== undefined && expireMs < this.now && !this.options.keepExpired) return this.dropExpired(key);
    // Into the Map part only: a duplicate of a kept key is found when the load ends.
    if (!this.db.dict.addBuilt(key, value, meta)) this.duplicate(key);
    if (expireMs !== undefined) {
      this.db.storeExpire(key, expireMs);
      this.db.dict.noteTimed(key);
    }
    this.stats.keysLoaded++;
  }

  private skipEmpty(key: string): void {
    this.options.warn?.(`rdbLoadObject skipping empty key: ${key.slice(0, 100)}`);
    this.stats.keysSkipped++;
  }

  /** Not checked for duplicates: Redis only does that for keys it adds (rdbLoad). */
  private dropExpired(key: string): void {
    this.stats.keysExpired++;
    this.options.onExpiredKey?.(this.db.id, key);
  }

  /** A key met twice; `offset` is where (default: the current position). */
  private duplicate(key: string, offset = this.queue.position): never {
    throw new RdbFormatError(`Duplicated key found in RDB file: '${key.slice(0, 100)}'`, offset);
  }
}

/** An empty list, set, zset or hash (an empty stream is a valid value, as in Redis). */
function isEmptyCollection(value: RedisValue): boolean {
  if (typeof value === 'string' || value instanceof StreamValue) return false;
  if (value instanceof ListValue) return value.length === 0;
  return value.size === 0;
}
