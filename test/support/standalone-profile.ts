/**
 * How a new user attaches redis-server nodes in an e2e file: a standalone
 * profile filled in through the Connections view, saved, connected, and
 * waited for until its session appears in the session list.
 */
import type { Page } from 'playwright-core';
import { waitFor } from './wait';

export interface StandaloneProfileOptions {
  /** The ACL user the console logs in as (the form's Username field); the default user when absent. */
  readonly username?: string;
  readonly password?: string;
}

/** Saves a standalone profile named `profile` seeded with `seeds` (`host:port` each), connects it, and waits for its session. */
export async function attachStandaloneProfile(page: Page, seeds: readonly string[], profile: string, options: StandaloneProfileOptions = {}): Promise<void> {
  await page.locator('[data-testid="nav-connections"]').click();
  await page.locator('[data-testid="new-profile"]').click();
  await page.locator('[data-testid="profile-name"]').fill(profile);
  await page.locator('[data-testid="profile-kind"]').selectOption('standalone');
  await page.locator('[data-testid="profile-seeds"]').fill(seeds.join('\n'));
  if (options.username !== undefined) await page.locator('[data-testid="profile-username"]').fill(options.username);
  if (options.password !== undefined) await page.locator('[data-testid="profile-password"]').fill(options.password);
  await page.locator('[data-testid="profile-save"]').click();
  await page.locator(`[data-testid="profile-${profile}"] [data-testid="profile-connect"]`).click();
  await waitFor(async () => (await page.locator(`[data-testid="session-${profile}"]`).count()) === 1, { timeoutMs: 20_000, what: `the ${profile} session` });
}
