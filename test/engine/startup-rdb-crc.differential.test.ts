/**
 * A dump whose CRC64 trailer is wrong: redis-server logs "Wrong RDB checksum
 * expected: (<computed>) but got (<stored>). Aborting now." and "RDB CRC error",
 * and exits. Redis's own integration/rdb.tcl ("Server should not start if
 * RDB is corrupted") waits for "CRC error" in the server's last log lines;
 * ours said "Wrong RDB checksum: expected ..., found ...". Held against a
 * real redis-server on the same file (saved by redis-server, trailer
 * overwritten as the Tcl test does).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, rmSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { bundledEngineCli } from '../support/engine';
import { freePort } from '../support/ports';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';

afterAll(() => stopAllRedisServers());

it('a wrong RDB checksum is logged with both CRCs and "RDB CRC error", and the server exits 1', async () => {
  const source = await startRedisServer();
  expect(await source.call('SET', 'k', 'v')).toBe('OK');
  expect(await source.call('SAVE')).toBe('OK');
  const dump = path.join(source.dir, 'dump.rdb');
  const bundle = await bundledEngineCli();
  const logs: Record<string, string> = {};
  for (const [name, command, prefix] of [['redis-server', 'redis-server', []], ['engine', process.execPath, [bundle]]] as const) {
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-crc-'));
    try {
      copyFileSync(dump, path.join(dir, 'dump.rdb'));
      const fd = openSync(path.join(dir, 'dump.rdb'), 'r+');
      writeSync(fd, Buffer.from('foobar00'), 0, 8, statSync(path.join(dir, 'dump.rdb')).size - 8);
      closeSync(fd);
      const child = spawn(command, [...prefix, '--port', String(await freePort()), '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      expect({ name, status }).toEqual({ name, status: 1 });
      logs[name] = output;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const words = (log: string): string[] | null => /Wrong RDB checksum expected: \(([0-9a-f]+)\) but got \(([0-9a-f]+)\)\. Aborting now\./.exec(log)?.slice(1) ?? null;
  expect(words(logs['redis-server']!), logs['redis-server']).not.toBeNull();
  expect(words(logs.engine!), logs.engine).toEqual(words(logs['redis-server']!));
  for (const log of Object.values(logs)) expect(log).toContain('RDB CRC error');
}, 60_000);
