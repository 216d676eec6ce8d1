/**
 * RDB files holding a module's value (RDB_TYPE_MODULE_2) or module AUX
 * data: no module can be loaded into the engine, so such a file is refused
 * whole, with an error naming the module by its 9-character type name
 * (decoded from the 64-bit module id as Redis does), never loaded in part
 * or with the key skipped. The crafted file is a valid RDB (redis-check-rdb
 * walks it) and real redis-server, without the module, refuses it naming the
 * same module. Checked for the three ways a file is loaded: start-up,
 * DEBUG RELOAD, and a replica's full sync (the link fails, the replica keeps
 * its dataset).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Crc64 } from '../../main/engine/rdb/crc64';
import { startEngine, stopAllEngines } from '../support/engine';
import { startFakeMaster } from '../support/fake-master';
import { info, waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

const run = promisify(execFile);
const scratch: string[] = [];

afterEach(async () => {
  await stopAllEngines();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The module type id (module.c): the name's nine characters, 6 bits each from the top, then a 10-bit encoding version. */
function moduleId(name: string, encodingVersion: number): bigint {
  const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = 0n;
  for (const char of name) id = (id << 6n) | BigInt(charset.indexOf(char));
  return (id << 10n) | BigInt(encodingVersion);
}

function rdbString(text: string): Buffer {
  const bytes = Buffer.from(text);
  if (bytes.length >= 64) throw new Error('short strings only');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

function rdbLength64(value: bigint): Buffer {
  const out = Buffer.alloc(9);
  out[0] = 0x81;
  out.writeBigUInt64BE(value, 1);
  return out;
}

/**
 * REDIS0010, a string key, a key holding a ReJSON-RL value (module opcodes:
 * a string, then EOF) or, with `aux`, MODULE_AUX data of that module, a
 * second string key, EOF and the CRC64.
 */
function craftedRdb(kind: 'value' | 'aux'): Buffer {
  const id = rdbLength64(moduleId('ReJSON-RL', 3));
  const moduleBody = Buffer.concat([Buffer.from([5]), rdbString('{"a":1}'), Buffer.from([0])]);
  const body = Buffer.concat([
    Buffer.from('REDIS0010', 'latin1'),
    Buffer.from([0xfa]), rdbString('redis-ver'), rdbString('7.0.15'),
    ...(kind === 'aux' ? [Buffer.from([0xf7]), id, Buffer.from([2, 2]), moduleBody] : []),
    Buffer.from([0xfe, 0]),
    Buffer.from([0]), rdbString('before'), rdbString('a plain key before the module key'),
    ...(kind === 'value' ? [Buffer.from([7]), rdbString('json:1'), id, moduleBody] : []),
    Buffer.from([0]), rdbString('after'), rdbString('x'),
    Buffer.from([0xff]),
  ]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(new Crc64().update(body).value());
  return Buffer.concat([body, crc]);
}

function dirWithDump(rdb: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-module-rdb-'));
  scratch.push(dir);
  writeFileSync(path.join(dir, 'dump.rdb'), rdb);
  return dir;
}

describe('RDB with module data', () => {
  it.each(['value', 'aux'] as const)('the crafted file (module %s) is a valid RDB that redis-server refuses naming the module', async (kind) => {
    const dir = dirWithDump(craftedRdb(kind));
    const check = await run('redis-check-rdb', [path.join(dir, 'dump.rdb')]);
    expect(check.stdout).toContain('RDB looks OK!');
    // No TCP port, a unix socket (so it does not exit before loading). After the failed load it runs redis-check-rdb
    // on the file and exits with its verdict (OK: the file is well formed), so only the log tells (AUX: exit 1).
    const refused = await run('redis-server', ['--port', '0', '--unixsocket', path.join(dir, 'redis.sock'), '--dir', dir, '--dbfilename', 'dump.rdb', '--save', ''], { timeout: 20_000 }).then(
      (done) => done.stdout,
      (failure: { stdout: string; killed?: boolean }) => (failure.killed ? 'still running: it loaded the file' : failure.stdout),
    );
    expect(refused).toContain(kind === 'value' ? "no matching module type 'ReJSON-RL'" : "no matching module 'ReJSON-RL'");
  });

  it.each(['value', 'aux'] as const)('start-up load (module %s) fails naming the module, and the node does not start', async (kind) => {
    const dir = dirWithDump(craftedRdb(kind));
    const failure = await startEngine([], { dir }).then(() => null, (error: unknown) => error as Error);
    expect(failure?.message).toContain("'ReJSON-RL'");
    expect(failure?.message).toMatch(/^Fatal error loading the DB: The RDB file contains (AUX )?module data I can't load/);
  });

  it('DEBUG RELOAD NOSAVE of the file fails and leaves the dataset as it was', async () => {
    const engine = await startEngine();
    await engine.call('SET', 'mine', '1');
    writeFileSync(path.join(engine.dir, 'dump.rdb'), craftedRdb('value'));
    const reply = (await engine.call('DEBUG', 'RELOAD', 'NOSAVE')) as Error;
    expect(reply.message).toBe('ERR Error trying to load the RDB dump');
    expect(engine.logs.join('\n')).toContain("no matching module type 'ReJSON-RL' (key 'json:1')");
    expect(await engine.call('KEYS', '*')).toEqual(['mine']);
  });

  it("a replica's full sync of such a file fails the link with a log line naming the module, nothing half-loaded", async () => {
    const master = await startFakeMaster({ rdb: craftedRdb('value') });
    try {
      const replica = await startEngine();
      await replica.call('SET', 'mine', '1');
      await replica.call('REPLICAOF', '127.0.0.1', String(master.port));
      await waitFor(() => replica.logs.some((line) => line.includes('MASTER <-> REPLICA sync: failed loading the RDB')), { what: 'the failed load to be logged' });
      const line = replica.logs.find((entry) => entry.includes('failed loading the RDB'))!;
      expect(line).toContain("no matching module type 'ReJSON-RL'");
      expect((await info(replica, 'replication')).get('master_link_status')).toBe('down');
      expect(await replica.call('KEYS', '*')).toEqual(['mine']);
      await expect(waitForSync(replica, 1500)).rejects.toThrow();
    } finally {
      await master.close();
    }
  });
});
