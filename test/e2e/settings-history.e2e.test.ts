/**
 * Settings → History on disk in real Chromium against web mode (the
 * embedded demo writing its history): the card shows what the history takes
 * now, the demo's deployment among it; a bound under 16 MB is refused in
 * words before anything is saved; a valid one is saved to settings.json,
 * shown again after a reload, and kept when the other settings are saved.
 * The page logs no error and no CSP violation.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';
import { waitFor } from '../support/wait';

let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  session = await openConsoleSession({ name: 'settings-history' });
  page = session.page;
  await waitFor(async () => (await page.locator('[data-testid="session-Local demo"]').count()) === 1, { timeoutMs: 30_000, what: 'the demo session' });
}, 150_000);

afterAll(async () => {
  await session?.close();
});

const card = (): ReturnType<Page['locator']> => page.locator('[data-testid="history-card"]');
const savedSettings = (): { historyMaxMegabytes?: number; pollIntervalMs: number } => JSON.parse(readFileSync(path.join(session.dataDir, 'settings.json'), 'utf8')) as { historyMaxMegabytes?: number; pollIntervalMs: number };

describe('the history bound in Settings', () => {
  it('shows the bytes the history takes now, the demo among them, and the default bound', async () => {
    await page.locator('[data-testid="nav-settings"]').click();
    // The demo writes a row a second: refresh until its files have some bytes.
    await waitFor(async () => {
      await card().locator('[data-testid="history-refresh"]').click();
      const demo = card().locator('[data-testid="history-usage-demo"]');
      return (await demo.count()) === 1 && !/^Local demo\s*0 B/.test((await demo.textContent()) ?? '');
    }, { timeoutMs: 20_000, intervalMs: 1000, what: "the demo's history on disk" });
    expect(await card().locator('[data-testid="history-usage-demo"]').textContent()).toMatch(/^Local demo\s*[\d.]+ (B|KiB|MiB)\s*\d+$/);
    expect(await card().locator('[data-testid="history-usage"]').textContent()).toMatch(/On disk now: [\d.]+ (B|KiB|MiB) in 1 deployment \(bound in force: 256 MB each\)\./);
    expect(await card().locator('[data-testid="history-max-mb"]').inputValue()).toBe('256');
    await session.shoot('settings-history');
  });

  it('refuses a bound under 16 MB in words, saves 64 MB, and keeps it through a reload and a save of the other settings', async () => {
    const field = card().locator('[data-testid="history-max-mb"]');
    await field.fill('8');
    await expect.poll(async () => (await card().locator('[data-testid="history-limit-error"]').textContent()) ?? '').toBe('History kept per deployment: a whole number of MB from 16 to 100,000.');
    expect(await card().locator('[data-testid="history-apply"]').isDisabled()).toBe(true);
    await field.fill('64.5');
    expect(await card().locator('[data-testid="history-apply"]').isDisabled()).toBe(true);
    await field.fill('64');
    expect(await card().locator('[data-testid="history-limit-error"]').count()).toBe(0);
    await card().locator('[data-testid="history-apply"]').click();
    await expect.poll(async () => (await page.locator('[data-testid="notice"]').allTextContents()).join(' ')).toContain('Settings saved');
    await expect.poll(async () => (await card().locator('[data-testid="history-usage"]').textContent()) ?? '').toContain('bound in force: 64 MB each');
    expect(savedSettings().historyMaxMegabytes).toBe(64);

    await page.reload();
    await page.locator('[data-testid="nav-settings"]').click();
    await expect.poll(() => card().locator('[data-testid="history-max-mb"]').inputValue(), { timeout: 10_000 }).toBe('64');
    // Saving the form above (the poll interval) leaves the bound as it is.
    await page.locator('[data-testid="poll-interval"]').fill('2');
    await page.locator('[data-testid="settings-save"]').click();
    await expect.poll(() => savedSettings().pollIntervalMs).toBe(2000);
    expect(savedSettings().historyMaxMegabytes).toBe(64);
  });

  it('logged no error and no CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
