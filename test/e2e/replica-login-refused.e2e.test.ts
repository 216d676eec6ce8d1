/**
 * The link's Overview, in Chromium on `npm run web`, against redis-server
 * 7.0: a replica whose masterauth its master rejects (its log: "Unable to
 * AUTH to MASTER: -WRONGPASS ...") shows, under "Link down for N s", that its
 * master refused logins, with the master's INFO errorstat_WRONGPASS and the
 * line a refused replica logs (the counts are every client's: no cause is
 * pinned on the replica). It said only "Link down for N s" before.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';
import { command, info } from '../support/replication';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { attachStandaloneProfile } from '../support/standalone-profile';
import { waitFor } from '../support/wait';

const PROFILE = 'Refused login pair';
let master: RedisProcess;
let replica: RedisProcess;
let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0', '--user', 'repl', 'on', '>repl-secret', '+psync', '+replconf', '+ping'] });
  replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port), '--masteruser', 'repl', '--masterauth', 'repl-secret'] });
  await waitFor(async () => (await info(replica, 'replication')).get('master_link_status') === 'up', { timeoutMs: 15_000, what: 'the link up' });
  session = await openConsoleSession({ name: 'replica-login-refused' });
  page = session.page;
  await attachStandaloneProfile(page, [`127.0.0.1:${master.port}`], PROFILE);
}, 180_000);

afterAll(async () => {
  await session?.close();
  await stopAllRedisServers();
});

it('a replica whose master rejects its masterauth: the link Overview says its master refused logins, with its errorstat', async () => {
  await page.locator(`[data-testid="session-${PROFILE}"]`).click();
  await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 20_000 }).toBe(2);
  expect(await command(replica, 'CONFIG', 'SET', 'masterauth', 'not-the-password')).toBe('OK');
  expect(await command(replica, 'CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
  await waitFor(async () => replica.log().includes('Unable to AUTH to MASTER: -WRONGPASS'), { timeoutMs: 10_000, what: 'the replica refused' });
  await page.locator(`[data-testid="topology-link-127.0.0.1:${master.port}->127.0.0.1:${replica.port}"]`).click();
  const reasons = page.locator('[data-testid="link-reasons"]');
  await expect.poll(async () => (await reasons.textContent().catch(() => '')) ?? '', { timeout: 10_000 }).toContain(`127.0.0.1:${master.port} refused logins while this link was down: its INFO errorstat_WRONGPASS rose by`);
  expect((await reasons.textContent()) ?? '').toMatch(/Link down for/);
  expect((await info(master, 'errorstats')).get('errorstat_WRONGPASS')).toMatch(/^count=[1-9]/);
  expect((await info(replica, 'replication')).get('master_link_status')).toBe('down');
});
