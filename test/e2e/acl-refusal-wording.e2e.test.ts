/**
 * What a refused command says in the page, for an ACL user with fewer
 * rights than the README's monitor-only user (no +config|get, and like it
 * no +slowlog). Found in a new user's attach to a real redis-server pair:
 * the node's Overview banner and its Facts tab put our "may not run ..."
 * first and Redis's own line after it ("... Redis said: NOPERM ..."), while
 * attach and action results (608e682) quote Redis first. Now each quotes
 * the node's own refusal first, verbatim, then what it means here; the
 * refusals are read from the node as that user, not written by hand.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { attachStandaloneProfile } from '../support/standalone-profile';
import { RespConnection } from '../support/resp-connection';
import { RespError } from '../support/resp-reply-parser';

const PROFILE = 'Refusals pair';
const RULES = ['on', '>a-long-password', '+ping', '+info', '+role', '+client|setname', '+acl|dryrun'];
let master: RedisProcess;
let replica: RedisProcess;
let session: ConsoleSession;
let page: Page;

/** The error line the node answers `args` with, as the watcher. */
async function refusal(node: RedisProcess, ...args: string[]): Promise<string> {
  const connection = new RespConnection('127.0.0.1', node.port);
  try {
    expect(await connection.call('AUTH', 'watcher', 'a-long-password')).toBe('OK');
    const reply = await connection.call(...args);
    expect(reply).toBeInstanceOf(RespError);
    return (reply as RespError).message;
  } finally {
    connection.close();
  }
}

beforeAll(async () => {
  master = await startRedisServer();
  replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  for (const node of [master, replica]) await node.call('ACL', 'SETUSER', 'watcher', ...RULES);
  session = await openConsoleSession({ name: 'acl-refusal-wording' });
  page = session.page;
  await attachStandaloneProfile(page, [`127.0.0.1:${master.port}`], PROFILE, { username: 'watcher', password: 'a-long-password' });
}, 180_000);

afterAll(async () => {
  await session?.close();
  await stopAllRedisServers();
});

it('the Overview banner and the Facts tab quote the node\'s NOPERM line first, then what it means', async () => {
  const configGet = await refusal(master, 'CONFIG', 'GET', 'repl-backlog-size');
  const slowlogGet = await refusal(master, 'SLOWLOG', 'GET', '10');
  expect(configGet).toBe("NOPERM this user has no permissions to run the 'config|get' command");
  expect(slowlogGet).toBe("NOPERM this user has no permissions to run the 'slowlog|get' command");

  await page.locator(`[data-testid="session-${PROFILE}"]`).click();
  const masterId = `127.0.0.1:${master.port}`;
  await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 20_000 }).toBe(2);
  await page.locator(`[data-testid="topology-node-${masterId}"] button.node-button`).click();
  const banner = page.locator('[data-testid="denied-command"]');
  await expect.poll(async () => (await banner.first().textContent())?.trim() ?? '', { timeout: 15_000 })
    .toBe(`CONFIG GET answered "${configGet}": the ACL user may not run it; the settings read with CONFIG GET (min-replicas-to-write, repl-timeout, client-output-buffer-limit…) are unknown here; the INFO figures are shown.`);

  await page.getByRole('tab', { name: 'Facts' }).click();
  await expect.poll(async () => (await page.locator('[data-testid="facts-slowlog-problem"]').textContent())?.trim() ?? '', { timeout: 15_000 })
    .toBe(`SLOWLOG GET answered "${slowlogGet}": the ACL user may not run it (grant +slowlog to see it here).`);
  expect(session.problems).toEqual([]);
}, 90_000);
