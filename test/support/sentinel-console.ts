/**
 * What a Sentinel e2e file starts: a real Sentinel deployment (a
 * redis-server master, replicas, three redis-sentinel processes) and the
 * console in web mode without the demo, open in Chromium; and how a new
 * user attaches to it: a Sentinel profile seeded with every Sentinel of the
 * group, connected, its session opened on the Sentinels view.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { stopAllRedisServers } from './redis-server';
import { SENTINEL_DOWN_AFTER_MS, startSentinelGroup, type SentinelGroup } from './sentinel-group';
import { openConsoleSession, type ConsoleSession } from './console-session';

export interface SentinelConsole {
  readonly group: SentinelGroup;
  readonly session: ConsoleSession;
  readonly page: Page;
}

/** The Sentinel group's address form in the console: `host:port`. */
export const nodeId = (server: { port: number }): string => `127.0.0.1:${server.port}`;

/**
 * Starts the deployment (down-after SENTINEL_DOWN_AFTER_MS, failover
 * timeout 5 s) and the console before the file's tests, stops both after.
 * The returned object's fields are set once beforeAll has run.
 */
export function sentinelConsoleSuite(options: { name: string; replicas: number }): SentinelConsole {
  const suite = {} as { group: SentinelGroup; session: ConsoleSession; page: Page };
  beforeAll(async () => {
    suite.group = await startSentinelGroup({ replicas: options.replicas, downAfterMs: SENTINEL_DOWN_AFTER_MS, failoverTimeoutMs: 5000 });
    suite.session = await openConsoleSession({ name: options.name, demo: false });
    suite.page = suite.session.page;
  }, 180_000);
  afterAll(async () => {
    await suite.session?.close();
    await stopAllRedisServers();
  });
  return suite;
}

/** Saves a Sentinel profile named `profile` as a new user fills the form, connects it, and opens its session's Sentinels view. */
export async function attachSentinelProfile(page: Page, group: SentinelGroup, profile: string): Promise<void> {
  await expect.poll(async () => {
    await page.keyboard.press('Alt+4');
    return page.locator('[data-testid="new-profile"]').count();
  }, { timeout: 20_000 }).toBeGreaterThan(0);
  await page.locator('[data-testid="new-profile"]').click();
  await page.locator('[data-testid="profile-name"]').fill(profile);
  await page.locator('[data-testid="profile-kind"]').selectOption('sentinel');
  await page.locator('[data-testid="profile-seeds"]').fill(group.sentinels.map((sentinel) => nodeId(sentinel)).join('\n'));
  await page.getByLabel('Master group name').fill(group.name);
  await page.locator('[data-testid="profile-save"]').click();
  await page.locator(`[data-testid="profile-${profile}"] [data-testid="profile-connect"]`).click();
  await page.locator(`[data-testid="session-${profile}"]`).click();
  await page.locator('[data-testid="nav-sentinels"]').click();
}
