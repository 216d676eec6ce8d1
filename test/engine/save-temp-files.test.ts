/**
 * Each save in flight writes its own temp file. redis-server names it by the
 * saving process's pid (SAVE: the server's, BGSAVE: the forked child's), so
 * no two saves share one. The engine runs several nodes in one process
 * (embedded demo, Electron main process, tests), and two of them may save
 * into one dir (CONFIG SET dir): node A's BGSAVE, written across ticks, and
 * node B's SAVE meanwhile must not truncate, overwrite or rename each
 * other's file. Checked against the dumps themselves: each loads, on a
 * fresh node, into the dataset that was saved (DBSIZE, DEBUG DIGEST), and
 * A's own log reports its BGSAVE's success.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';

const dir = mkdtempSync(path.join(tmpdir(), 'replscope-save-temp-'));
afterAll(async () => {
  await stopAllEngines();
  rmSync(dir, { recursive: true, force: true });
});

describe('two nodes of one process saving into one dir', () => {
  it("A's BGSAVE and B's SAVE during it both leave intact dumps", async () => {
    const a = await startEngine([['dbfilename', 'a.rdb'], ['rdbcompression', 'no']], { dir });
    const b = await startEngine([['dbfilename', 'b.rdb'], ['rdbcompression', 'no']], { dir });
    expect(await a.call('DEBUG', 'POPULATE', '50000', 'a', '100')).toBe('OK');
    expect(await b.call('DEBUG', 'POPULATE', '20000', 'b', '60')).toBe('OK');
    const digestA = await a.call('DEBUG', 'DIGEST');
    const digestB = await b.call('DEBUG', 'DIGEST');

    expect(String(await a.call('BGSAVE'))).toMatch(/Background saving started/);
    // A's snapshot is still being written when B saves.
    expect((await info(a, 'persistence')).get('rdb_bgsave_in_progress')).toBe('1');
    expect(await b.call('SAVE')).toBe('OK');
    expect((await info(a, 'persistence')).get('rdb_bgsave_in_progress')).toBe('1');
    await waitFor(async () => (await info(a, 'persistence')).get('rdb_bgsave_in_progress') === '0', { timeoutMs: 30_000, what: "A's BGSAVE to end" });
    expect((await info(a, 'persistence')).get('rdb_last_bgsave_status')).toBe('ok');
    expect(a.logs.some((line) => line.endsWith('Background saving terminated with success'))).toBe(true);
    expect(readdirSync(dir).filter((name) => name.startsWith('temp-'))).toEqual([]);

    for (const [dbfilename, keys, digest] of [['a.rdb', 50000, digestA], ['b.rdb', 20000, digestB]] as const) {
      const loaded = await startEngine([['dbfilename', dbfilename]], { dir });
      expect(await loaded.call('DBSIZE')).toBe(keys);
      expect(await loaded.call('DEBUG', 'DIGEST')).toBe(digest);
    }
  });
});
