/**
 * The connection form and the profile cards in real Chromium against web
 * mode (no demo) and a real redis-server that requires a password: what
 * went wrong is said in words next to the field it concerns, inside the
 * dialog (no notification behind it); a new dialog starts clean; the
 * Sentinel kind moves the default seed to 26379; a failed Connect is
 * explained on the card. The page logs no error and no CSP violation (the
 * form validates with zod, which must not try eval under the CSP).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { waitFor } from '../support/wait';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';

let server: RedisProcess;
let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  server = await startRedisServer({ args: ['--requirepass', 'right-password'], password: 'right-password' });
  session = await openConsoleSession({ name: 'form', demo: false });
  page = session.page;
  // The shortcut works once the app has mounted: press until the view is there.
  await waitFor(async () => {
    await page.keyboard.press('Alt+4');
    return (await page.locator('[data-testid="new-profile"]').count()) > 0;
  }, { timeoutMs: 20_000, what: 'the Connections view' });
}, 150_000);

afterAll(async () => {
  await session?.close();
  await stopAllRedisServers();
});

const text = async (selector: string): Promise<string> => ((await page.locator(selector).count()) > 0 ? ((await page.locator(selector).first().textContent()) ?? '') : '');
const notices = (): Promise<number> => page.locator('[data-testid="notice"]').count();

describe('the connection form in Chromium', () => {
  it('no password, then a wrong one: said next to the Password field, in words', async () => {
    await page.locator('[data-testid="new-profile"]').click();
    await page.locator('[data-testid="profile-name"]').fill('cache');
    await page.locator('[data-testid="profile-seeds"]').fill(`127.0.0.1:${server.port}`);
    await page.locator('[data-testid="profile-test"]').click();
    await expect.poll(() => text('[data-testid="profile-password-note"]'), { timeout: 15_000 }).toBe(`127.0.0.1:${server.port} requires a password, and none was given (NOAUTH). Enter the password (and the ACL user if it is not "default").`);
    expect(await text('[data-testid="test-result"]')).toContain('See Password above.');
    await page.locator('[data-testid="profile-password"]').fill('wrong');
    expect(await page.locator('[data-testid="test-result"]').count()).toBe(0);
    await page.locator('[data-testid="profile-test"]').click();
    await expect.poll(() => text('[data-testid="profile-password-note"]'), { timeout: 15_000 }).toContain('refused the ACL user "default" with this password (WRONGPASS)');
    // redis-server answered: the headline says the credentials were refused (not "Not reachable."), with Redis's own reply.
    expect(await text('[data-testid="test-headline"]')).toBe('Reachable, but the credentials were refused.');
    expect(await text('[data-testid="test-result"]')).not.toContain('Not reachable');
    expect(await text('[data-testid="test-server-reply"]')).toBe('The server answered: WRONGPASS invalid username-password pair or user is disabled.');
    // Reachable (the result says so), but the password is what failed: the form puts the focus back on it.
    expect(await page.evaluate('document.activeElement?.getAttribute("data-testid")')).toBe('profile-password');
    await page.locator('[data-testid="profile-password"]').fill('right-password');
    await page.locator('[data-testid="profile-test"]').click();
    await expect.poll(() => text('[data-testid="test-result"]'), { timeout: 15_000 }).toMatch(/^\s*Reachable — connected to 127\.0\.0\.1:\d+ · role master · Redis 7\.0\.15/);
    expect(await notices()).toBe(0);
  });

  it('a missing CA file is said next to the CA file field, with no "Internal error" behind the dialog', async () => {
    await page.locator('[data-testid="profile-tls"]').check();
    await page.locator('[data-testid="profile-tls-ca"]').fill('/nonexistent/ca.pem');
    await page.locator('[data-testid="profile-test"]').click();
    await expect.poll(() => text('[data-testid="profile-tlsCaFile-note"]'), { timeout: 15_000 }).toBe('The CA file /nonexistent/ca.pem does not exist (on the machine the console runs on). Give the path of the CA file on the machine the console runs on (a PEM file).');
    expect(await notices()).toBe(0);
  });

  it('a limit of the shared schema is enforced in the form before anything is sent', async () => {
    await page.locator('[data-testid="profile-name"]').fill('n'.repeat(121));
    await page.locator('[data-testid="profile-save"]').click();
    await expect.poll(() => text('[data-testid="profile-name-note"]'), { timeout: 5_000 }).toBe('The name is at most 120 characters (this one has 121).');
    expect(await page.locator('[data-testid="profile-form"]').count()).toBe(1);
  });

  it('a new dialog starts without the last one\'s result, and Sentinel moves the default seed to 26379', async () => {
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="new-profile"]').click();
    expect(await page.locator('[data-testid="test-result"]').count()).toBe(0);
    expect(await page.locator('[data-testid$="-note"]').count()).toBe(0);
    expect(await page.locator('[data-testid="profile-seeds"]').inputValue()).toBe('127.0.0.1:6379');
    await page.locator('[data-testid="profile-kind"]').selectOption('sentinel');
    expect(await page.locator('[data-testid="profile-seeds"]').inputValue()).toBe('127.0.0.1:26379');
    await page.keyboard.press('Escape');
  });

  it('a failed Connect is explained on the profile\'s card; other cards stay usable', async () => {
    await page.locator('[data-testid="new-profile"]').click();
    await page.locator('[data-testid="profile-name"]').fill('no-password');
    await page.locator('[data-testid="profile-seeds"]').fill(`127.0.0.1:${server.port}`);
    await page.locator('[data-testid="profile-save"]').click();
    await waitFor(async () => (await page.locator('[data-testid="profile-no-password"]').count()) === 1, { what: 'the saved profile' });
    await page.locator('[data-testid="profile-no-password"] [data-testid="profile-connect"]').click();
    await expect.poll(() => text('[data-testid="profile-no-password"] [data-testid="connect-failure"]'), { timeout: 15_000 })
      .toBe(`Could not connect to no-password: 127.0.0.1:${server.port} requires a password, and none was given (NOAUTH). Enter the password (and the ACL user if it is not "default").`);
    expect(await page.locator('[data-testid="notice"]').filter({ hasText: 'Connecting' }).count()).toBe(0);
  });

  it('a connected profile edited and saved says the session still uses the earlier settings, as the server\'s CLIENT LIST shows, until it reconnects', async () => {
    expect(await server.call('ACL', 'SETUSER', 'watcher', 'on', '>watcher-secret', '+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun')).toBe('OK');
    const consoleUser = async (): Promise<string> => {
      const line = String(await server.call('CLIENT', 'LIST')).split('\n').find((entry) => / name=replscope /.test(entry) && !/ cmd=client\|list /.test(entry));
      return /\buser=(\S+)/.exec(line ?? '')?.[1] ?? '';
    };
    await page.locator('[data-testid="new-profile"]').click();
    await page.locator('[data-testid="profile-name"]').fill('watched');
    await page.locator('[data-testid="profile-seeds"]').fill(`127.0.0.1:${server.port}`);
    await page.locator('[data-testid="profile-username"]').fill('watcher');
    await page.locator('[data-testid="profile-password"]').fill('watcher-secret');
    await page.locator('[data-testid="profile-save"]').click();
    const card = page.locator('[data-testid="profile-watched"]');
    await waitFor(async () => (await card.count()) === 1, { what: 'the saved profile' });
    // Connect opens the topology once the session is up; then back to the cards.
    const connectAndReturn = async (): Promise<void> => {
      await card.locator('[data-testid="profile-connect"]').click();
      await waitFor(async () => (await page.locator('[data-testid^="topology-node-"]').count()) > 0, { timeoutMs: 15_000, what: 'the topology of the connected profile' });
      await page.keyboard.press('Alt+4');
      await waitFor(async () => (await card.locator('[data-testid="profile-edit"]').count()) === 1, { what: 'the profile card again' });
    };
    await connectAndReturn();
    expect(await consoleUser()).toBe('watcher');
    expect(await card.locator('[data-testid="profile-saved-since-connect"]').count()).toBe(0);

    await card.locator('[data-testid="profile-edit"]').click();
    await page.locator('[data-testid="profile-username"]').fill('');
    await page.locator('[data-testid="profile-password"]').fill('right-password');
    await page.locator('[data-testid="profile-save"]').click();
    await expect.poll(() => card.locator('[data-testid="profile-saved-since-connect"]').count(), { timeout: 10_000 }).toBe(1);
    // The server's truth: the session still runs as the user it connected with.
    expect(await consoleUser()).toBe('watcher');

    await card.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await connectAndReturn();
    await expect.poll(consoleUser, { timeout: 15_000 }).toBe('default');
    await expect.poll(() => card.locator('[data-testid="profile-saved-since-connect"]').count(), { timeout: 10_000 }).toBe(0);
  });

  it('logged no error and no CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
