/**
 * Keys loaded from an RDB keep their values in RDB encoding until first
 * access (LoadedKeys). These tests hold that to the same standard as built
 * values:
 *  - a node started on a redis-server dump answers every kind of command on
 *    loaded keys exactly as a redis-server started on the same dump
 *    (reads, in-place writes, overwrites, deletes, renames, TTLs, SCAN,
 *    KEYS; PF commands editing a loaded dense HLL in place), and DEBUG
 *    DIGEST agrees before and after;
 *  - a SAVE mixing untouched loaded values (copied through as loaded) with
 *    decoded and modified ones loads into redis-server with the same digest;
 *  - what a building load refuses, a kept load refuses at load time, not at
 *    first access: duplicate keys between kept and built keys, and corrupt
 *    values in a file without a checksum; on randomly damaged dumps without
 *    a checksum both loads end alike (same dataset, or both refuse).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyspace } from '../../main/engine/keyspace/keyspace';
import { SetValue, type HashValue } from '../../main/engine/keyspace/values';
import { ByteWriter } from '../../main/engine/rdb/byte-writer';
import { RDB_TYPE_HASH_LISTPACK, RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_SET_LISTPACK, RDB_TYPE_STRING, RDB_TYPE_ZSET_LISTPACK } from '../../main/engine/rdb/constants';
import { RdbFormatError } from '../../main/engine/rdb/format-error';
import { encodeListpack } from '../../main/engine/rdb/listpack';
import { RawRdbValue } from '../../main/engine/rdb/raw-rdb-value';
import { writeBlob, writeLength, writeString } from '../../main/engine/rdb/rdb-encoding';
import { RdbLoader } from '../../main/engine/rdb/rdb-loader';
import { SnapshotRegistry } from '../../main/engine/rdb/snapshot';
import { writeDatabaseHeader, writeEof, writeHeader, writeKeyEntry } from '../../main/engine/rdb/rdb-sections';
import { runDifferential, shape, step, unordered, type Step } from '../support/differential';
import { dumpDatabases } from '../support/database-dump';
import { dumpDataset, everyEncodingCommands, runCommands } from '../support/dataset';
import { loadOutcome, mutatedWithoutChecksum } from '../support/rdb-outcome';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';

let dump: string;

function dirWith(file: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-loaded-'));
  copyFileSync(file, path.join(dir, 'dump.rdb'));
  return dir;
}

beforeAll(async () => {
  const source = await startRedisServer();
  await runCommands(source, everyEncodingCommands());
  await runCommands(source, [['SELECT', '0'], ['SADD', 'set:listpack-in-7.2', 'x', 'y'], ['SET', '12345', 'integer-named key'], ['SET', '', 'the empty key'], ['SET', 'k'.repeat(60), 'compressible key name']]);
  await runCommands(source, [['PFADD', 'hll:dense', ...Array.from({ length: 3000 }, (_, i) => `e${i}`)], ['PFADD', 'hll:sparse', 'a', 'b', 'c']]);
  await source.call('SAVE');
  dump = path.join(mkdtempSync(path.join(tmpdir(), 'replscope-loaded-src-')), 'dump.rdb');
  copyFileSync(path.join(source.dir, 'dump.rdb'), dump);
});

afterAll(async () => {
  await stopAllEngines();
  await stopAllRedisServers();
});

describe('a node started on a redis-server dump', () => {
  let redis: RedisProcess;
  let ours: EngineHandle;

  beforeAll(async () => {
    [redis, ours] = await Promise.all([
      startRedisServer({ dir: dirWith(dump), args: ['--dbfilename', 'dump.rdb'] }),
      startEngine([['dbfilename', 'dump.rdb']], { dir: dirWith(dump) }),
    ]);
  });

  it('loaded its keys without building them, and answers like redis-server on them', async () => {
    // Nothing was decoded yet: every loaded value is still copy-through material.
    const db0 = ours.node.keyspace.db(0).dict;
    let kept = 0;
    const walk = db0.walkForSave(true);
    for (let entry = walk.next(); entry !== null; entry = walk.next()) if (entry[1] instanceof RawRdbValue) kept++;
    expect(kept).toBeGreaterThan(20);

    const script: Step[] = [
      step('DEBUG', 'DIGEST'), step('DBSIZE'),
      step('TYPE', 'str:short'), step('TYPE', 'list:small'), step('TYPE', 'hash:small'), step('TYPE', 'set:intset'), step('TYPE', 'zset:small'),
      step('OBJECT', 'ENCODING', 'int:127'), step('OBJECT', 'ENCODING', 'str:big'), step('OBJECT', 'ENCODING', 'set:intset'),
      step('OBJECT', 'ENCODING', 'hash:small'), step('OBJECT', 'ENCODING', 'zset:small'), step('OBJECT', 'ENCODING', 'list:small'),
      step('GET', 'str:compressible'), step('GET', 'int:-9223372036854775808'), step('GET', '12345'), step('GET', ''), step('GET', 'k'.repeat(60)),
      step('STRLEN', 'str:big'), step('APPEND', 'str:short', ' world'), step('GET', 'str:short'), step('INCR', 'int:127'),
      step('LRANGE', 'list:small', '0', '-1'), step('LPUSH', 'list:small', 'new'), step('LLEN', 'list:small'),
      unordered('HGETALL', 'hash:small'), step('HSET', 'hash:small', 'f4', 'v4'), step('HGET', 'hash:small', 'f4'),
      unordered('SMEMBERS', 'set:intset'), step('SADD', 'set:intset', 'not-an-int'), step('OBJECT', 'ENCODING', 'set:intset'),
      unordered('SMEMBERS', 'set:listpack-in-7.2'),
      step('TYPE', 'set:strings'), step('OBJECT', 'ENCODING', 'set:strings'), unordered('SMEMBERS', 'set:strings'),
      step('SISMEMBER', 'set:strings', 'b'), step('SADD', 'set:strings', 'd'), step('SCARD', 'set:strings'),
      step('ZRANGE', 'zset:small', '0', '-1', 'WITHSCORES'), step('ZADD', 'zset:small', '7', 'g'), step('ZSCORE', 'zset:small', 'g'),
      step('SET', 'str:empty', 'overwritten'), step('DEL', 'str:binary'), step('EXISTS', 'str:binary'), step('SET', 'str:binary', 'again'),
      step('RENAME', 'str:unicode', 'str:renamed'), step('EXISTS', 'str:unicode'), step('GET', 'str:renamed'),
      step('TTL', 'str:expiring'), step('PERSIST', 'str:expiring'), step('TTL', 'str:expiring'),
      step('SET', 'brand-new', '1'), step('DBSIZE'),
      // A loaded dense HLL: the first change copies it into bytes the next PF commands edit in place (held-bytes.ts).
      step('PFADD', 'hll:dense', 'x1', 'x2', 'x3'), step('PFADD', 'hll:dense', 'x4', 'x5'), step('PFCOUNT', 'hll:dense'), step('PFADD', 'hll:dense', 'x6', 'x7'),
      step('PFMERGE', 'hll:dense', 'hll:sparse'), step('PFCOUNT', 'hll:dense', 'hll:sparse'), step('STRLEN', 'hll:dense'), step('GET', 'hll:dense'),
      step('PFADD', 'hll:dense', 'x8', 'x9'), step('DEBUG', 'DIGEST-VALUE', 'hll:dense'), step('PFADD', 'hll:dense', 'x10', 'x11'), step('PFCOUNT', 'hll:dense'),
      unordered('KEYS', '*'), unordered('KEYS', 'int:*'), shape('RANDOMKEY'),
      step('SELECT', '3'), step('TTL', 'db3:hash'), unordered('KEYS', '*'), step('SELECT', '0'),
      step('DEBUG', 'DIGEST'),
    ];
    expect(await runDifferential(redis, ours, script)).toEqual([]);
  });

  it('SCAN visits every key exactly once', async () => {
    const seen: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = (await ours.call('SCAN', cursor, 'COUNT', '7')) as [string, string[]];
      seen.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    expect(seen.length).toBe(new Set(seen).size);
    expect(seen.sort()).toEqual(((await redis.call('KEYS', '*')) as string[]).sort());
  });

  it('a SAVE mixing untouched, decoded and modified loaded keys loads into redis-server with the same digest', async () => {
    await ours.call('GET', 'str:incompressible'); // decoded, unchanged
    expect(await ours.call('SAVE')).toBe('OK');
    const reloaded = await startRedisServer({ dir: dirWith(path.join(ours.dir, 'dump.rdb')), args: ['--dbfilename', 'dump.rdb'] });
    expect(await reloaded.call('DEBUG', 'DIGEST')).toBe(await redis.call('DEBUG', 'DIGEST'));
    expect(await dumpDataset(reloaded)).toEqual(await dumpDataset(redis));
  });
});

/** A version 10 RDB of database 0 with the given entries and a zero (unchecked) CRC. */
function rdbOf(entries: Array<[string, ConstructorParameters<typeof RawRdbValue> | HashValue | SetValue | string]>): Buffer {
  const out = new ByteWriter(1024);
  writeHeader(out, 0, null);
  writeDatabaseHeader(out, 0, entries.length, 0);
  for (const [key, value] of entries) {
    const written = Array.isArray(value) ? new RawRdbValue(...value) : value;
    writeKeyEntry(out, key, written, undefined, { compress: false });
  }
  writeEof(out);
  return Buffer.concat([out.drain(), Buffer.alloc(8)]);
}

function blob(bytes: Buffer): Buffer {
  const out = new ByteWriter(64);
  writeBlob(out, bytes, false);
  return out.drain();
}

/** A plain set (RDB_TYPE_SET) value as written: member count, then each member as an RDB string. */
function plainSet(members: string[]): Buffer {
  const out = new ByteWriter(64);
  writeLength(out, members.length);
  for (const member of members) writeString(out, member, false);
  return out.drain();
}

function loadError(file: Buffer): string {
  const loader = new RdbLoader({ databases: 16, keepExpired: true });
  try {
    loader.feed(file);
    loader.finish();
  } catch (failure) {
    expect(failure).toBeInstanceOf(RdbFormatError);
    return (failure as Error).message;
  }
  throw new Error('the load succeeded');
}

function bigSet(): SetValue {
  const set = new SetValue();
  for (let i = 0; i < 300; i++) set.items.add(`member-${i}`);
  set.encoding = 'hashtable';
  return set;
}

describe('a kept load refuses what a building load refuses', () => {
  it('loads a well-formed crafted file (the fixtures below differ from it in one point each)', () => {
    const loader = new RdbLoader({ databases: 16, keepExpired: true });
    loader.feed(rdbOf([['a', 'text'], ['b', bigSet()], ['c', [RDB_TYPE_HASH_LISTPACK, blob(encodeListpack(['f', 'v', 'g', 'w']))]]]));
    const db = loader.finish().dbs[0]!;
    expect(db.dict.size).toBe(3);
    expect((db.dict.get('c') as HashValue).get('g')).toBe('w');
  });

  it('a 7.2 listpack set is kept at load but re-encoded when saved, so a 7.0 replica can read it', async () => {
    const loader = new RdbLoader({ databases: 16, keepExpired: true });
    loader.feed(rdbOf([['set72', [RDB_TYPE_SET_LISTPACK, blob(encodeListpack(['b', 'a', '7']))]], ['s', 'text']]));
    const db = loader.finish().dbs[0]!;
    const walk = db.dict.walkForSave(true);
    const saved = new Map<string, unknown>();
    for (let entry = walk.next(); entry !== null; entry = walk.next()) saved.set(entry[0], entry[1]);
    expect(saved.get('s')).toBeInstanceOf(RawRdbValue);
    expect(saved.get('set72')).toBeInstanceOf(SetValue);
    const chunks: Buffer[] = [];
    const snapshot = new SnapshotRegistry().start([db], { write: (chunk) => (chunks.push(chunk), true) }, { replication: null, compress: true, checksum: true, usedMemory: 0 });
    await snapshot.done;
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-loaded-72-'));
    writeFileSync(path.join(dir, 'dump.rdb'), Buffer.concat(chunks));
    const redis = await startRedisServer({ dir, args: ['--dbfilename', 'dump.rdb'] });
    expect(((await redis.call('SMEMBERS', 'set72')) as string[]).sort()).toEqual(['7', 'a', 'b']);
    expect(await redis.call('GET', 's')).toBe('text');
  });

  it('duplicate keys: kept then kept, built then kept, kept then built', () => {
    const twice = rdbOf([['dup', 'one'], ['dup', 'two']]);
    const message = loadError(twice);
    expect(message).toContain("Duplicated key found in RDB file: 'dup'");
    // The offset is the second entry's: its type byte (string), then the key.
    const offset = Number(/at byte offset (\d+)/.exec(message)?.[1]);
    expect(twice[offset]).toBe(RDB_TYPE_STRING);
    expect(twice.subarray(offset + 2, offset + 5).toString()).toBe('dup');
    expect(twice.subarray(offset + 6, offset + 9).toString()).toBe('two');
    expect(loadError(rdbOf([['dup', bigSet()], ['dup', 'two']]))).toContain("Duplicated key found in RDB file: 'dup'");
    expect(loadError(rdbOf([['dup', 'one'], ['dup', bigSet()]]))).toContain("Duplicated key found in RDB file: 'dup'");
  });

  it('corrupt kept values fail the load even without a checksum', () => {
    const intset = Buffer.alloc(12);
    intset.writeUInt32LE(2, 0);
    intset.writeUInt32LE(2, 4);
    intset.writeInt16LE(5, 8);
    intset.writeInt16LE(3, 10);
    expect(loadError(rdbOf([['i', [RDB_TYPE_SET_INTSET, blob(intset)]]]))).toContain('intset elements are not sorted and unique');
    expect(loadError(rdbOf([['h', [RDB_TYPE_HASH_LISTPACK, blob(encodeListpack(['f', 'v', 'f', 'w']))]]]))).toContain('Duplicate hash fields detected');
    expect(loadError(rdbOf([['h', [RDB_TYPE_HASH_LISTPACK, blob(encodeListpack(['f', 'v', 'g']))]]]))).toContain('odd number of elements');
    // A small plain set is kept too; "12" as an integer and as text is the same member.
    expect(loadError(rdbOf([['s', [RDB_TYPE_SET, plainSet(['a', 'b', 'a'])]]]))).toContain('Duplicate set members detected');
    const integerAndText = Buffer.concat([plainSet(['12']), Buffer.from([0x02, 0x31, 0x32])]);
    integerAndText[0] = 2;
    expect(loadError(rdbOf([['s', [RDB_TYPE_SET, integerAndText]]]))).toContain('Duplicate set members detected');
    expect(loadError(rdbOf([['z', [RDB_TYPE_ZSET_LISTPACK, blob(encodeListpack(['m', 'not-a-score']))]]]))).toContain("invalid score 'not-a-score'");
    const shortListpack = encodeListpack(['a', 'b']);
    shortListpack.writeUInt32LE(shortListpack.length + 3, 0);
    expect(loadError(rdbOf([['h', [RDB_TYPE_HASH_LISTPACK, blob(shortListpack)]]]))).toContain('listpack header says');
    // An LZF string whose back reference points before the start of the output.
    const lzf = Buffer.from([0xc3, 0x03, 0x05, 0x20, 0x10, 0x00]);
    expect(loadError(rdbOf([['s', [RDB_TYPE_STRING, lzf]]]))).toContain('invalid LZF data');
  });

  it('kept and built loads agree on mutated dumps without a checksum: same dataset or both a format error (fixed seed)', () => {
    const file = readFileSync(dump);
    let loaded = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (changes) => {
        const mutated = mutatedWithoutChecksum(file, changes);
        const kept = loadOutcome(mutated, true);
        expect(kept).toBe(loadOutcome(mutated, false));
        if (kept !== 'format-error') loaded++;
      }),
      { seed: 2026, numRuns: 1500 },
    );
    // Both outcomes occur: the property is not decided by the checksum or by one kind of damage.
    expect(loaded).toBeGreaterThan(100);
    expect(loaded).toBeLessThan(1400);
  });

  it('reads a file whose values were written back from kept bytes', () => {
    const file = readFileSync(dump);
    const loader = new RdbLoader({ databases: 16, keepExpired: true });
    loader.feed(file);
    const first = loader.finish();
    const out = new ByteWriter(1 << 16);
    writeHeader(out, 0, null);
    const db0 = first.dbs[0]!;
    writeDatabaseHeader(out, 0, db0.size, db0.expires.size);
    const walk = db0.dict.walkForSave(true);
    for (let entry = walk.next(); entry !== null; entry = walk.next()) writeKeyEntry(out, entry[0], entry[1], db0.expires.get(entry[0]), { compress: true });
    writeEof(out);
    const again = new RdbLoader({ databases: 16, keepExpired: true });
    again.feed(Buffer.concat([out.drain(), Buffer.alloc(8)]));
    const second = again.finish().dbs[0]!;
    expect(second.size).toBe(db0.size);
    expect(dumpDatabases([second])).toEqual(dumpDatabases([db0]));
  });
});

describe('reads of loaded keys', () => {
  /** Keys a..: small strings (plain, integer, LZF), one with a TTL in the past (the load keeps it), a hash. */
  function loadedKeyspace(): Keyspace {
    const out = new ByteWriter(1024);
    writeHeader(out, 0, null);
    writeDatabaseHeader(out, 0, 5, 1);
    writeKeyEntry(out, 'plain', 'text', undefined, { compress: true });
    writeKeyEntry(out, 'number', '-12345', undefined, { compress: true });
    writeKeyEntry(out, 'lzf', `compressible:${'ab'.repeat(40)}`, undefined, { compress: true });
    writeKeyEntry(out, 'timed', 'gone soon', 1_000_000, { compress: true });
    writeKeyEntry(out, 'hash', new RawRdbValue(RDB_TYPE_HASH_LISTPACK, blob(encodeListpack(['f', 'v']))), undefined, { compress: true });
    writeEof(out);
    const loader = new RdbLoader({ databases: 16, keepExpired: true });
    loader.feed(Buffer.concat([out.drain(), Buffer.alloc(8)]));
    const keyspace = new Keyspace(16);
    const loaded = loader.finish().dbs[0]!;
    keyspace.dbs[0]!.dict = loaded.dict;
    keyspace.dbs[0]!.expires = loaded.expires;
    return keyspace;
  }
  const at = (now: number) => ({ now, isReplica: false, isMasterClient: false });

  it('a small string is read from its RDB bytes and kept per key nowhere (at most in the bounded recent-reads cache): the snapshot still copies it through, and the read still touches its key', () => {
    const keyspace = loadedKeyspace();
    const db = keyspace.dbs[0]!;
    keyspace.access.lruClock = 777;
    expect(keyspace.lookupRead(db, 'plain', at(0))).toBe('text');
    expect(keyspace.lookupRead(db, 'number', at(0))).toBe('-12345');
    expect(keyspace.lookupRead(db, 'lzf', at(0))).toBe(`compressible:${'ab'.repeat(40)}`);
    expect(keyspace.lookupRead(db, 'lzf', at(0))).toBe(`compressible:${'ab'.repeat(40)}`);
    expect(db.dict.metaOf('plain')).toBe(777);
    expect(db.dict.metaOf('lzf')).toBe(777);
    const walk = db.dict.walkForSave(true);
    const raw = new Set<string>();
    for (let entry = walk.next(); entry !== null; entry = walk.next()) if (entry[1] instanceof RawRdbValue) raw.add(entry[0]);
    expect([...raw].sort()).toEqual(['hash', 'lzf', 'number', 'plain', 'timed']);
    // A write gives the key a value of its own; reads see it from then on.
    keyspace.setKey(db, 'plain', 'rewritten');
    expect(keyspace.lookupRead(db, 'plain', at(0))).toBe('rewritten');
  });

  it('a loaded key with a TTL, or given one after the load, expires on read; one without is read without the expires lookup', () => {
    const keyspace = loadedKeyspace();
    const db = keyspace.dbs[0]!;
    expect(keyspace.lookupRead(db, 'timed', at(999_999))).toBe('gone soon');
    expect(keyspace.lookupRead(db, 'timed', at(1_000_001))).toBeUndefined();
    expect(db.dict.has('timed')).toBe(false);
    expect(keyspace.stats.expiredKeys).toBe(1);
    keyspace.setExpire(db, 'number', 2_000_000);
    keyspace.setExpire(db, 'hash', 2_000_000);
    expect(keyspace.lookupRead(db, 'number', at(1_999_999))).toBe('-12345');
    expect(keyspace.lookupRead(db, 'number', at(2_000_001))).toBeUndefined();
    expect((keyspace.lookupRead(db, 'hash', at(1_999_999)) as HashValue).get('f')).toBe('v');
    expect(keyspace.lookupRead(db, 'hash', at(2_000_001))).toBeUndefined();
    expect(keyspace.lookupRead(db, 'plain', at(9_000_000))).toBe('text');
    expect([...db.dict.keys()].sort()).toEqual(['lzf', 'plain']);
  });
});
