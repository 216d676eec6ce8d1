/**
 * RDB interoperability with a real redis-server 7.0: our loader reads what
 * Redis saves (every encoding, streams with consumer groups included), and
 * Redis loads what we write.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdbLoader } from '../../main/engine/rdb/rdb-loader';
import { SnapshotRegistry } from '../../main/engine/rdb/snapshot';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { startEngine, stopAllEngines } from '../support/engine';
import { dumpDataset, everyEncodingCommands, runCommands } from '../support/dataset';
import { dumpDatabases } from '../support/database-dump';

let redis: RedisProcess;
let savedFile: Buffer;

beforeAll(async () => {
  redis = await startRedisServer();
  await runCommands(redis, everyEncodingCommands());
  await redis.call('SAVE');
  savedFile = readFileSync(path.join(redis.dir, 'dump.rdb'));
});

afterAll(async () => {
  await stopAllRedisServers();
});

function load(bytes: Buffer, chunkSize: number): ReturnType<RdbLoader['finish']> {
  const loader = new RdbLoader({ databases: 16, keepExpired: true });
  for (let i = 0; i < bytes.length; i += chunkSize) {
    const chunk = bytes.subarray(i, Math.min(bytes.length, i + chunkSize));
    const used = loader.feed(chunk);
    expect(used).toBe(chunk.length);
  }
  return loader.finish();
}

describe('our loader reads what redis-server 7.0 saves', () => {
  it('every key matches, whole and in small chunks', async () => {
    const expected = await dumpDataset(redis);
    for (const chunkSize of [savedFile.length, 4096, 7, 1]) {
      const loaded = load(savedFile, chunkSize);
      expect(dumpDatabases(loaded.dbs)).toEqual(expected);
      expect(loaded.aux.get('redis-ver')).toBe('7.0.15');
    }
  });

  it('reports exactly where the RDB ends when bytes follow it', () => {
    const loader = new RdbLoader({ databases: 16, keepExpired: true });
    const trailing = Buffer.from('0123456789abcdef0123456789abcdef01234567');
    const used = loader.feed(Buffer.concat([savedFile, trailing]));
    expect(used).toBe(savedFile.length);
    expect(loader.isComplete).toBe(true);
  });
});

describe('redis-server 7.0 loads what we write', () => {
  it('a dataset built by commands on our engine (streams in our own listpacks) saves into a file redis loads with every key and the digest equal', async () => {
    const ours = await startEngine();
    try {
      await runCommands(ours, everyEncodingCommands());
      expect(await ours.call('SAVE')).toBe('OK');
      const check = execFileSync('redis-check-rdb', [path.join(ours.dir, 'dump.rdb')], { encoding: 'utf8' });
      expect(check).toContain('RDB looks OK!');
      const other = await startRedisServer({ dir: ours.dir, args: ['--save', ''] });
      expect(await dumpDataset(other)).toEqual(await dumpDataset(ours));
      expect(await other.call('DEBUG', 'DIGEST')).toBe(await ours.call('DEBUG', 'DIGEST'));
    } finally {
      await stopAllEngines();
    }
  });

  it('a snapshot of the same dataset passes redis-check-rdb and loads into redis with every key equal', async () => {
    const loaded = load(savedFile, savedFile.length);
    const chunks: Buffer[] = [];
    const registry = new SnapshotRegistry();
    const snapshot = registry.start(loaded.dbs, { write: (chunk) => (chunks.push(chunk), true) }, { replication: null, compress: true, checksum: true, usedMemory: 1234 });
    await snapshot.done;
    const file = Buffer.concat(chunks);
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-rdb-'));
    writeFileSync(path.join(dir, 'dump.rdb'), file);
    const check = execFileSync('redis-check-rdb', [path.join(dir, 'dump.rdb')], { encoding: 'utf8' });
    expect(check).toContain('RDB looks OK!');
    const other = await startRedisServer({ dir, args: ['--save', ''] });
    const expected = await dumpDataset(redis);
    expect(await dumpDataset(other)).toEqual(expected);
  });
});
