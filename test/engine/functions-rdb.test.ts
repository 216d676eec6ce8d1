/**
 * FUNCTION libraries travel in RDB (FUNCTION2 entries before the databases,
 * as 7.0.15 writes them) between our engine and a real redis-server 7.0:
 * dumps both ways, full syncs both ways (a replica's own libraries are
 * replaced by its master's), DEBUG RELOAD through the file, and the pre-GA
 * opcode 246 that 7.0 release candidates wrote, read as 7.0 reads it.
 * Filtered RDBs (REPLCONF rdb-filter-only) as redis-cli --functions-rdb and
 * --replica ask for them: functions without keys, or nothing at all.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ByteWriter } from '../../main/engine/rdb/byte-writer';
import { RDB_OPCODE_EOF, RDB_OPCODE_FUNCTION2, RDB_OPCODE_FUNCTION_PRE_GA } from '../../main/engine/rdb/constants';
import { Crc64 } from '../../main/engine/rdb/crc64';
import { writeLength, writeString } from '../../main/engine/rdb/rdb-encoding';
import { RdbLoader } from '../../main/engine/rdb/rdb-loader';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { RespConnection, RespError } from '../support/resp-connection';
import { command, functionLibraries, waitForEqualDigests, waitForOffsets, waitForSync, type Peer } from '../support/replication';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const LIB_A = [
  '#!lua name=liba',
  "redis.register_function('a_set', function(keys, args) return redis.call('set', keys[1], args[1]) end)",
  "redis.register_function{function_name='a_get', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes', 'allow-stale'}, description='reads one key'}",
].join('\n');
const LIB_B = "#!lua name=libb\nlocal function incr(keys) return redis.call('incr', keys[1]) end\nredis.register_function('b_incr', incr)";
const LIB_MINE = "#!lua name=mine\nredis.register_function('mine', function() return 'mine' end)";

async function loadLibraries(peer: Peer, ...codes: string[]): Promise<void> {
  for (const code of codes) expect(await command(peer, 'FUNCTION', 'LOAD', code)).toBe(code.slice('#!lua name='.length, code.indexOf('\n')));
}

async function errorText(reply: Promise<unknown>): Promise<string> {
  const value = await reply;
  if (!(value instanceof RespError)) throw new Error(`expected an error reply, got ${String(value)}`);
  return value.message;
}

/** An RDB file of the given entries (written after the header) and nothing else. */
function rdbFile(entries: (out: ByteWriter) => void): Buffer {
  const out = new ByteWriter(1024);
  out.latin1('REDIS0010');
  entries(out);
  out.byte(RDB_OPCODE_EOF);
  const body = out.drain();
  const trailer = Buffer.alloc(8);
  trailer.writeBigUInt64LE(new Crc64().update(body).value());
  return Buffer.concat([body, trailer]);
}

describe('functions in RDB files', () => {
  it("redis-server's dump loads into our engine at start-up with its libraries", async () => {
    const redis = await startRedisServer();
    await loadLibraries(redis, LIB_A, LIB_B);
    await command(redis, 'FCALL', 'a_set', '1', 'k', 'v');
    await command(redis, 'SAVE');
    const engine = await startEngine([], { dir: redis.dir });
    expect(await functionLibraries(engine)).toEqual(await functionLibraries(redis));
    expect(await command(engine, 'FCALL', 'a_get', '1', 'k')).toBe('v');
    expect(await command(engine, 'FCALL', 'b_incr', '1', 'n')).toBe(1);
  });

  it('our dump passes redis-check-rdb and loads into redis-server with the same libraries', async () => {
    const engine = await startEngine();
    await loadLibraries(engine, LIB_A, LIB_B);
    await command(engine, 'SET', 'plain', 'value');
    await command(engine, 'SAVE');
    const check = execFileSync('redis-check-rdb', [path.join(engine.dir, 'dump.rdb')], { encoding: 'utf8' });
    expect(check).toContain('RDB looks OK!');
    const redis = await startRedisServer({ dir: engine.dir });
    expect(await functionLibraries(redis)).toEqual(await functionLibraries(engine));
    expect(await command(redis, 'FCALL_RO', 'a_get', '1', 'plain')).toBe('value');
    await waitForEqualDigests([engine, redis]);
  });

  it('DEBUG RELOAD goes through the file: its libraries replace ours, NOFLUSH refuses a library we have, MERGE replaces it', async () => {
    const engine = await startEngine();
    await loadLibraries(engine, LIB_A);
    expect(await command(engine, 'DEBUG', 'RELOAD')).toBe('OK');
    expect(await command(engine, 'FCALL', 'a_set', '1', 'k', 'after-reload')).toBe('OK');
    // A file written by redis-server with other libraries, put in place of our dump.
    const redis = await startRedisServer();
    await loadLibraries(redis, LIB_B);
    await command(redis, 'SAVE');
    copyFileSync(path.join(redis.dir, 'dump.rdb'), path.join(engine.dir, 'dump.rdb'));
    expect(await command(engine, 'DEBUG', 'RELOAD', 'NOSAVE')).toBe('OK');
    expect(await functionLibraries(engine)).toEqual(await functionLibraries(redis));
    expect(await errorText(command(engine, 'FCALL', 'a_set', '1', 'k', 'v'))).toBe('ERR Function not found');
    expect(await errorText(command(engine, 'DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH'))).toBe('ERR Error trying to load the RDB dump');
    await loadLibraries(engine, LIB_A);
    expect(await command(engine, 'DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE')).toBe('OK');
    expect((await functionLibraries(engine)).length).toBe(2);
  });

  it('a library that does not compile fails DEBUG RELOAD and changes nothing', async () => {
    const engine = await startEngine();
    await loadLibraries(engine, LIB_A);
    await command(engine, 'SET', 'kept', '1');
    const before = await functionLibraries(engine);
    writeFileSync(path.join(engine.dir, 'dump.rdb'), rdbFile((out) => {
      out.byte(RDB_OPCODE_FUNCTION2);
      writeString(out, '#!lua name=broken\nthis is not lua', false);
    }));
    expect(await errorText(command(engine, 'DEBUG', 'RELOAD', 'NOSAVE'))).toBe('ERR Error trying to load the RDB dump');
    expect(await functionLibraries(engine)).toEqual(before);
    expect(await command(engine, 'GET', 'kept')).toBe('1');
    expect(engine.logs.some((line) => line.includes('Failed loading library, Error compiling function'))).toBe(true);
  });

  it('the pre-GA opcode 246 (name, engine, description, code) is read as redis-server 7.0 reads it', async () => {
    const file = rdbFile((out) => {
      out.byte(RDB_OPCODE_FUNCTION_PRE_GA);
      writeString(out, 'oldlib', false);
      writeString(out, 'LUA', false);
      writeLength(out, 1);
      writeString(out, 'a description 7.0 drops', false);
      writeString(out, "redis.register_function('old_fn', function() return 'from rc' end)", false);
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-pre-ga-'));
    writeFileSync(path.join(dir, 'dump.rdb'), file);
    const redis = await startRedisServer({ dir });
    const engine = await startEngine();
    writeFileSync(path.join(engine.dir, 'dump.rdb'), file);
    expect(await command(engine, 'DEBUG', 'RELOAD', 'NOSAVE')).toBe('OK');
    expect(await functionLibraries(engine)).toEqual(await functionLibraries(redis));
    expect(await command(engine, 'FCALL', 'old_fn', '0')).toBe('from rc');
  });
});

describe('functions on full sync', () => {
  it('real master -> our replica: the master\'s libraries replace the replica\'s own', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    await loadLibraries(master, LIB_A, LIB_B);
    await command(master, 'FCALL', 'b_incr', '1', 'counter');
    const replica = await startEngine();
    await loadLibraries(replica, LIB_MINE);
    await command(replica, 'REPLICAOF', '127.0.0.1', String(master.port));
    await waitForSync(replica);
    expect(await functionLibraries(replica)).toEqual(await functionLibraries(master));
    expect(await command(replica, 'FCALL_RO', 'a_get', '1', 'counter')).toBe('1');
    await waitForEqualDigests([master, replica]);
  });

  it('real master with a disk-based (length-prefixed) payload -> our replica', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync', 'no'] });
    await loadLibraries(master, LIB_B);
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    expect(await functionLibraries(replica)).toEqual(await functionLibraries(master));
  });

  it("our master -> real replica: our libraries replace the replica's own", async () => {
    const master = await startEngine([['repl-diskless-sync-delay', '0']]);
    await loadLibraries(master, LIB_A, LIB_B);
    await command(master, 'FCALL', 'a_set', '1', 'k', 'v');
    const replica = await startRedisServer();
    await loadLibraries(replica, LIB_MINE);
    await command(replica, 'REPLICAOF', '127.0.0.1', String(master.port));
    await waitForSync(replica);
    expect(await functionLibraries(replica)).toEqual(await functionLibraries(master));
    expect(await command(replica, 'FCALL_RO', 'a_get', '1', 'k')).toBe('v');
    await command(master, 'FCALL', 'b_incr', '1', 'after-sync');
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
  });
});

/** What redis-cli --functions-rdb saves from `peer`: the libraries' payloads and the key count of the file. */
async function functionsRdb(peer: Peer): Promise<{ functions: string[]; keys: number }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'replscope-functions-rdb-')), 'functions.rdb');
  await promisify(execFile)('redis-cli', ['-p', String(peer.port), '--functions-rdb', file]);
  const loader = new RdbLoader({ databases: 16, keepExpired: true });
  loader.feed(readFileSync(file));
  const loaded = loader.finish();
  return { functions: [...loaded.functions].sort(), keys: loaded.dbs.reduce((sum, db) => sum + db.dict.size, 0) };
}

describe('filtered RDBs (REPLCONF rdb-filter-only)', () => {
  it('redis-cli --functions-rdb gets the libraries and no keys, from us as from redis-server', async () => {
    const engine = await startEngine([['repl-diskless-sync-delay', '0']]);
    const redis = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    for (const peer of [engine, redis]) {
      await loadLibraries(peer, LIB_A, LIB_B);
      await command(peer, 'SET', 'not-in-the-file', 'x');
    }
    const ours = await functionsRdb(engine);
    expect(ours).toEqual({ functions: [LIB_A, LIB_B].sort(), keys: 0 });
    expect(ours).toEqual(await functionsRdb(redis));
  });

  it('rdb-filter-only answers as redis-server: unknown filters refused, a filtered SYNC needs capa eof', async () => {
    const engine = await startEngine();
    const redis = await startRedisServer();
    const answers = async (peer: Peer): Promise<unknown[]> => {
      const replies: unknown[] = [];
      replies.push(await command(peer, 'REPLCONF', 'rdb-filter-only', 'functions keys'));
      replies.push(await command(peer, 'REPLCONF', 'rdb-filter-only', '"unbalanced'));
      const connection = new RespConnection('127.0.0.1', peer.port);
      try {
        replies.push(await connection.call('REPLCONF', 'rdb-filter-only', 'FUNCTIONS'));
        replies.push(await connection.call('SYNC'));
      } finally {
        connection.close();
      }
      return replies.map((reply) => (reply instanceof RespError ? `error: ${reply.message}` : reply));
    };
    const ours = await answers(engine);
    expect(ours).toEqual(await answers(redis));
    expect(ours[3]).toBe('error: ERR Filtered replica requires EOF capability');
  });
});
