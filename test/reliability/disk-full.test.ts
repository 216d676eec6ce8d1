/**
 * BGSAVE on a full disk (a 256 KB tmpfs, so writes fail with ENOSPC part-way
 * through the snapshot): the error is reported (rdb_last_bgsave_status:err,
 * the log names ENOSPC), the previous dump is byte for byte intact, the
 * half-written temp file is removed (it would keep the disk full), writes get
 * MISCONF, and once space is back a BGSAVE succeeds and writes resume.
 *
 * Mounting needs root (CAP_SYS_ADMIN), which the CI machine has; elsewhere
 * the test is skipped and says why.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineProcess, stopAllEngines } from '../support/engine';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';

let mountPoint: string | null = null;
let whyNot = '';

beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'pipe' });
    mountPoint = dir;
  } catch (failure) {
    whyNot = failure instanceof Error ? failure.message : String(failure);
    rmSync(dir, { recursive: true, force: true });
  }
});

afterAll(async () => {
  await stopAllEngines();
  if (mountPoint) {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});

describe('disk full during BGSAVE', () => {
  it('error reported, old dump intact, temp file removed, MISCONF until space is back', async (context) => {
    if (!mountPoint) {
      context.skip(`cannot mount a small tmpfs here (needs root): ${whyNot}`);
      return;
    }
    const dir = mountPoint;
    const ours = await startEngineProcess(['--save', '3600 1', '--rdbcompression', 'no'], { dir });
    try {
      await ours.call('SET', 'before', '1');
      expect(await ours.call('SAVE')).toBe('OK');
      const saved = readFileSync(path.join(dir, 'dump.rdb'));
      // ~1 MB of incompressible values: four times the filesystem.
      for (let i = 0; i < 16; i++) await ours.call('SET', `big:${i}`, randomBytes(64 * 1024));
      expect(String(await ours.call('BGSAVE'))).toMatch(/Background saving started/);
      await waitFor(async () => (await info(ours, 'persistence')).get('rdb_last_bgsave_status') === 'err', { what: 'the BGSAVE failure to be reported' });
      expect(readFileSync(path.join(dir, 'dump.rdb')).equals(saved)).toBe(true);
      expect(readdirSync(dir).filter((name) => name.startsWith('temp-'))).toEqual([]);
      expect(ours.output()).toMatch(/ENOSPC|no space left/i);
      expect(await ours.call('SET', 'blocked', 'x')).toMatchObject({ message: expect.stringMatching(/^MISCONF /) });
      expect(await ours.call('GET', 'before')).toBe('1');
      // The operator frees space (here the tmpfs grows); MISCONF denies every
      // write, so the dataset cannot be shrunk to fit instead.
      execFileSync('mount', ['-o', 'remount,size=8m', dir]);
      expect(String(await ours.call('BGSAVE'))).toMatch(/Background saving started/);
      await waitFor(async () => (await info(ours, 'persistence')).get('rdb_last_bgsave_status') === 'ok', { what: 'a successful BGSAVE once there is room' });
      expect(await ours.call('SET', 'writable', 'again')).toBe('OK');
      expect(readFileSync(path.join(dir, 'dump.rdb')).length).toBeGreaterThan(16 * 64 * 1024);
    } finally {
      await ours.stop();
    }
  });
});
