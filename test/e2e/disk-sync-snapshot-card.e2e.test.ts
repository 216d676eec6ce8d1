/**
 * The replica's Sync tab, in Chromium on `npm run web`, against redis-server
 * 7.0: a full sync from a master with repl-diskless-sync no, while the
 * master writes the RDB to disk. The tab said "Waiting" with 0 B of an
 * unknown total for the whole save; it now marks Snapshot as the current
 * step with the keys the master has saved, of its keys to save (INFO
 * persistence current_save_keys_processed / current_save_keys_total).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';
import { command, info } from '../support/replication';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { attachStandaloneProfile } from '../support/standalone-profile';
import { waitFor } from '../support/wait';

const PROFILE = 'Disk sync pair';
let master: RedisProcess;
let replica: RedisProcess;
let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  // 20,000 keys at 500 µs each: a save of some 10 s.
  master = await startRedisServer({ args: ['--repl-diskless-sync', 'no', '--rdb-key-save-delay', '500', '--enable-debug-command', 'yes'] });
  expect(await command(master, 'DEBUG', 'POPULATE', '20000', 'key', '100')).toBe('OK');
  replica = await startRedisServer({ args: [] });
  session = await openConsoleSession({ name: 'disk-sync-snapshot-card' });
  page = session.page;
  await attachStandaloneProfile(page, [`127.0.0.1:${master.port}`, `127.0.0.1:${replica.port}`], PROFILE);
}, 180_000);

afterAll(async () => {
  await session?.close();
  await stopAllRedisServers();
});

it('while a disk-based master saves the RDB for its replica, the Sync tab shows Snapshot with the keys saved, not Waiting', async () => {
  const replicaId = `127.0.0.1:${replica.port}`;
  await page.locator(`[data-testid="session-${PROFILE}"]`).click();
  await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 20_000 }).toBe(2);
  expect(await command(replica, 'REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK');
  await waitFor(async () => (await info(master, 'persistence')).get('rdb_bgsave_in_progress') === '1', { timeoutMs: 10_000, what: 'the master saving' });
  await page.locator(`[data-testid="topology-node-${replicaId}"] button.node-button`).click();
  await page.locator('[data-testid="detail-panel"]').getByText('Sync', { exact: true }).click();
  const card = page.locator('[data-testid="sync-progress"]');
  await expect.poll(async () => (await card.locator('li[aria-current="step"]').textContent().catch(() => ''))?.trim() ?? '', { timeout: 10_000 }).toMatch(/Snapshot$/);

  // The master updates current_save_keys_processed once a second (receiveChildInfo), so it reads 0 for
  // up to a second after the save starts: wait until the card shows keys saved, then compare.
  // Digits only: the grouping separator is the browser locale's.
  const count = (text: string): number => Number(text.replace(/\D/g, ''));
  const done = card.locator('[data-testid="sync-done"]');
  await expect.poll(async () => count(((await done.textContent()) ?? '').split('/')[0] ?? ''), { timeout: 10_000 }).toBeGreaterThan(0);
  const before = await info(master, 'persistence');
  const shown = ((await done.textContent()) ?? '').trim();
  const after = await info(master, 'persistence');
  expect(after.get('rdb_bgsave_in_progress'), 'still saving (raise rdb-key-save-delay if not)').toBe('1');
  expect(master.log()).toContain('Starting BGSAVE for SYNC with target: disk');
  const parts = shown.split(' / ');
  expect(parts, shown).toHaveLength(2);
  const saved = count(parts[0]!);
  expect(count(parts[1]!)).toBe(Number(before.get('current_save_keys_total')));
  // The page shows a poll taken up to a poll interval (1 s) before `before`.
  expect(saved).toBeLessThanOrEqual(Number(after.get('current_save_keys_processed')));
  expect(saved).toBeGreaterThan(0);
  expect(((await card.textContent()) ?? '')).toContain('Keys saved');

  await waitFor(async () => (await info(replica, 'replication')).get('master_link_status') === 'up', { timeoutMs: 30_000, what: 'the sync done' });
  await expect.poll(async () => ((await card.textContent()) ?? ''), { timeout: 10_000 }).toContain('the replica is streaming');
});
