/**
 * Faults in the middle of an operation, with real processes:
 *  - a BGSAVE whose directory vanished: the error is reported
 *    (rdb_last_bgsave_status:err), the old dump is intact, writes get MISCONF
 *    until a save succeeds again;
 *  - a real replica SIGKILLed in the middle of its full sync: our master
 *    abandons the transfer, keeps serving, and a restarted replica syncs to an
 *    equal digest;
 *  - our replica (as its own process) SIGKILLed mid-transfer and restarted on
 *    the same directory: it syncs again to an equal digest.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, startEngineProcess, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { command, info, waitForEqualDigests, waitForOffsets, waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

describe('faults mid-operation', () => {
  it('BGSAVE into a vanished directory: error reported, old dump intact, writes refused with MISCONF until a save works', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-bgsave-'));
    // With a save point configured, as MISCONF only applies then (writeCommandsDeniedByDiskError).
    const ours = await startEngineProcess(['--save', '3600 1'], { dir });
    try {
      await ours.call('SET', 'before', '1');
      expect(await ours.call('SAVE')).toBe('OK');
      const saved = readFileSync(path.join(dir, 'dump.rdb'));
      const moved = `${dir}-moved`;
      renameSync(dir, moved);
      await ours.call('SET', 'after', '2');
      expect(String(await ours.call('BGSAVE'))).toMatch(/Background saving started/);
      await waitFor(async () => (await info(ours, 'persistence')).get('rdb_last_bgsave_status') === 'err', { what: 'the BGSAVE failure to be reported' });
      expect(readFileSync(path.join(moved, 'dump.rdb')).equals(saved)).toBe(true);
      expect(await ours.call('SET', 'blocked', 'x')).toMatchObject({ message: expect.stringMatching(/^MISCONF /) });
      expect(await ours.call('GET', 'after')).toBe('2');
      renameSync(moved, dir);
      expect(String(await ours.call('BGSAVE'))).toMatch(/Background saving started/);
      await waitFor(async () => (await info(ours, 'persistence')).get('rdb_last_bgsave_status') === 'ok', { what: 'a successful BGSAVE' });
      expect(await ours.call('SET', 'writable', 'again')).toBe('OK');
    } finally {
      await ours.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}-moved`, { recursive: true, force: true });
    }
  });

  it('a real replica SIGKILLed mid-transfer: our master abandons it, keeps serving, and a restarted replica syncs', async () => {
    // rdb-key-save-delay slows the snapshot so the kill lands mid-transfer.
    const master = await startEngine([['repl-diskless-sync-delay', '0'], ['rdb-key-save-delay', '200']]);
    await command(master, 'DEBUG', 'POPULATE', '20000', 'key', '100');
    const replicaDir = mkdtempSync(path.join(tmpdir(), 'replscope-killed-replica-'));
    let replica = await startRedisServer({ dir: replicaDir, args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitFor(async () => /state=(send_bulk|wait_bgsave)/.test((await info(master, 'replication')).get('slave0') ?? ''), { what: 'the transfer to start' });
    replica.signal('SIGKILL');
    await waitFor(async () => (await info(master, 'replication')).get('connected_slaves') === '0', { timeoutMs: 30_000, what: 'the master to drop the dead replica' });
    expect(await command(master, 'SET', 'during', 'outage')).toBe('OK');
    await command(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
    replica = await startRedisServer({ dir: replicaDir, args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica, 60_000);
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    rmSync(replicaDir, { recursive: true, force: true });
  });

  it('our replica SIGKILLed mid-transfer and restarted on its directory syncs to an equal digest', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0', '--rdb-key-save-delay', '200'] });
    await master.call('DEBUG', 'POPULATE', '20000', 'key', '100');
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-our-replica-'));
    let replica = await startEngineProcess(['--replicaof', `127.0.0.1 ${master.port}`], { dir });
    await waitFor(async () => (await info(replica, 'replication')).get('master_sync_in_progress') === '1', { what: 'the transfer to start' });
    replica.signal('SIGKILL');
    await new Promise((resolve) => replica.process.once('exit', resolve));
    expect(existsSync(path.join(dir, 'dump.rdb'))).toBe(false); // nothing half-written left behind
    await master.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
    replica = await startEngineProcess(['--replicaof', `127.0.0.1 ${master.port}`], { dir });
    try {
      await waitForSync(replica, 60_000);
      await waitForOffsets(master, replica);
      await waitForEqualDigests([master, replica]);
    } finally {
      await replica.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('master killed mid-stream', () => {
  it('our master SIGKILLed under writes and restarted from its RDB: the real replica converges to it (equal digests)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-killed-master-'));
    let master = await startEngineProcess(['--repl-diskless-sync-delay', '0'], { dir });
    const port = master.port;
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(port)] });
    try {
      await waitForSync(replica);
      for (let i = 0; i < 500; i++) await master.call('SET', `saved:${i}`, String(i));
      expect(await master.call('SAVE')).toBe('OK');
      for (let i = 0; i < 500; i++) await master.call('SET', `unsaved:${i}`, String(i));
      master.signal('SIGKILL');
      await new Promise((resolve) => master.process.once('exit', resolve));
      master = await startEngineProcess(['--repl-diskless-sync-delay', '0'], { dir, port });
      expect(await master.call('GET', 'saved:499')).toBe('499');
      await waitForSync(replica, 30_000);
      await waitForOffsets(master, replica);
      await waitForEqualDigests([master, replica]);
      // The replica had stream bytes past what the restarted master remembers: it resynced in full.
      expect(await replica.call('EXISTS', 'unsaved:0')).toBe(0);
    } finally {
      await master.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
