/**
 * Point-in-time consistency of snapshots under concurrent writes: a
 * snapshot taken while writes land between its slices (updates, deletions,
 * creations, expirations, in-place collection changes, FLUSHDB, SWAPDB, in
 * several databases) loads back as exactly the dataset of the instant it
 * started, with no key written twice.
 */
import { describe, expect, it } from 'vitest';
import { EngineNode } from '../node';
import { cloneValue, ListValue, SetValue, type RedisValue } from '../keyspace/values';
import { RdbLoader } from './rdb-loader';
import { dumpDatabases } from '../../../test/support/database-dump';
import type { Database } from '../keyspace/database';

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

function cloneDatabases(dbs: ReadonlyArray<Database>): Array<{ id: number; dict: Map<string, RedisValue>; expires: Map<string, number> }> {
  return dbs.map((db) => ({
    id: db.id,
    dict: new Map([...db.dict].map(([key, value]) => [key, cloneValue(value)])),
    expires: new Map(db.expires),
  }));
}

/**
 * Replaces the node's databases by what an RDB of them loads as: most keys
 * then sit in the loaded-keys table in RDB encoding, the big plain sets in
 * the Map part, so the walk crosses both.
 */
function reloadThroughRdb(node: EngineNode): void {
  const chunks: Buffer[] = [];
  node.snapshots.start(node.keyspace.dbs, { write: (chunk) => (chunks.push(chunk), true) }, {
    replication: null, compress: true, checksum: true, usedMemory: 0, synchronous: true,
  });
  const loader = new RdbLoader({ databases: 16, keepExpired: true });
  loader.feed(Buffer.concat(chunks));
  node.replaceAllDatabases(loader.finish().dbs);
}

async function runScenario(seed: number, withFlushAndSwap: boolean, fromRdb = false): Promise<void> {
  const node = new EngineNode({ config: [['port', '0'], ['save', '']] });
  const random = seededRandom(seed);
  const access = { now: Date.now(), isReplica: false, isMasterClient: false };
  const ks = node.keyspace;
  for (const dbIndex of [0, 1, 5]) {
    const db = ks.db(dbIndex);
    for (let i = 0; i < 3000; i++) {
      const key = `k${i}`;
      if (i % 500 === 2) {
        const big = new SetValue();
        for (let m = 0; m < 600; m++) big.add(`member-${m}`, 512);
        db.dict.set(key, big, 0);
      } else if (i % 3 === 0) db.dict.set(key, `value-${i}`, 0);
      else if (i % 3 === 1) db.dict.set(key, ListValue.from([`a${i}`, `b${i}`]), 0);
      else {
        const set = new SetValue();
        set.add(String(i), 512);
        set.add(String(i + 1), 512);
        db.dict.set(key, set, 0);
      }
      if (i % 7 === 0) db.expires.set(key, Date.now() + 3_600_000 + i);
    }
  }
  if (fromRdb) reloadThroughRdb(node);
  const expected = cloneDatabases(ks.dbs);
  const chunks: Buffer[] = [];
  const snapshot = node.snapshots.start(ks.dbs, { write: (chunk) => (chunks.push(chunk), true) }, {
    replication: null, compress: true, checksum: true, usedMemory: 0, sliceMs: 0,
  });
  let created = 0;
  while (!snapshot.isFinished) {
    // Writes between slices, as clients would do them.
    for (let n = 0; n < 25; n++) {
      const db = ks.db([0, 1, 5][Math.floor(random() * 3)]!);
      const key = `k${Math.floor(random() * 3200)}`;
      const op = random();
      if (op < 0.25) ks.setKey(db, key, `changed-${n}`);
      else if (op < 0.45) ks.deleteKey(db, key);
      else if (op < 0.6) {
        const value = ks.lookupWrite(db, key, access);
        if (value instanceof ListValue) {
          value.pushTail('pushed');
          ks.touchModified(db, key);
        }
      } else if (op < 0.7 && db.dict.has(key)) ks.setExpire(db, key, Date.now() + 1000);
      else if (op < 0.8 && db.dict.has(key)) ks.removeExpire(db, key);
      else ks.setKey(db, `new-${created++}`, 'created after the instant');
    }
    if (withFlushAndSwap && random() < 0.05) {
      if (random() < 0.5) ks.db(1).clear();
      else ks.db(0).swapContentWith(ks.db(5));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await snapshot.done;
  const loader = new RdbLoader({ databases: 16, keepExpired: true });
  const file = Buffer.concat(chunks);
  expect(loader.feed(file)).toBe(file.length);
  const loaded = loader.finish();
  expect(dumpDatabases(loaded.dbs)).toEqual(dumpDatabases(expected as unknown as Database[]));
  await node.shutdown();
}

describe('snapshots under concurrent writes', () => {
  it.each([1, 2, 3, 4, 5])('equal the dataset of the instant they started (seed %i)', async (seed) => {
    await runScenario(seed, false);
  });

  it.each([11, 12, 13])('stay point-in-time across FLUSHDB and SWAPDB (seed %i)', async (seed) => {
    await runScenario(seed, true);
  });

  it.each([21, 22, 23])('of a dataset loaded from an RDB (kept values written through, then changed) (seed %i)', async (seed) => {
    await runScenario(seed, false, true);
  });

  it.each([31, 32])('of a dataset loaded from an RDB, across FLUSHDB and SWAPDB (seed %i)', async (seed) => {
    await runScenario(seed, true, true);
  });
});
