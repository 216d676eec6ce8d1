/**
 * The Backlog tab, in Chromium on `npm run web`, against redis-server 7.0:
 * a replica stopped (SIGSTOP) until its master drops it after repl-timeout
 * ("Disconnecting timedout replica") keeps its row, at the last ACK offset
 * its master listed (INFO slave0 offset=, which stands still while the
 * replica is stopped), marked dropped. Before, the row went with the
 * master's listing, and nothing showed where the replica was against the
 * window.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';
import { info } from '../support/replication';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { attachStandaloneProfile } from '../support/standalone-profile';
import { RespConnection } from '../support/resp-connection';
import { sleep, waitFor } from '../support/wait';

const PROFILE = 'Dropped replica pair';
let master: RedisProcess;
let replica: RedisProcess;
let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  master = await startRedisServer({ args: ['--repl-timeout', '3', '--repl-diskless-sync-delay', '0'] });
  replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  session = await openConsoleSession({ name: 'dropped-replica-backlog-row' });
  page = session.page;
  await attachStandaloneProfile(page, [`127.0.0.1:${master.port}`], PROFILE);
}, 180_000);

afterAll(async () => {
  replica?.signal('SIGCONT');
  await session?.close();
  await stopAllRedisServers();
});

/** The master's slave0 line for the replica, or null once it no longer lists it. */
async function listedAck(): Promise<number | null> {
  const fields = await info({ port: master.port }, 'replication');
  const line = fields.get('slave0');
  if (line === undefined || !line.includes(`port=${replica.port},`)) return null;
  return Number(/offset=(\d+)/.exec(line)?.[1]);
}

it('a stopped replica its master dropped keeps its Backlog row at the last ACK its master listed, marked dropped', async () => {
  const masterId = `127.0.0.1:${master.port}`;
  const replicaId = `127.0.0.1:${replica.port}`;
  await page.locator(`[data-testid="session-${PROFILE}"]`).click();
  await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 20_000 }).toBe(2);
  await page.locator(`[data-testid="topology-node-${masterId}"] button.node-button`).click();
  await page.locator('[data-testid="detail-panel"]').getByText('Backlog', { exact: true }).click();
  const row = page.locator(`[data-testid="backlog-row-${replicaId}"]`);
  await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);

  const writer = new RespConnection('127.0.0.1', master.port);
  let writing = true;
  const load = (async () => { for (let i = 0; writing; i++) { await writer.call('SET', `k:${i % 500}`, 'x'.repeat(100)); await sleep(5); } })();
  try {
    await sleep(2_000);
    replica.signal('SIGSTOP');
    await sleep(1_500);
    const ack = await listedAck();
    expect(ack, `${masterId} still lists ${replicaId}`).not.toBeNull();
    await waitFor(async () => master.log().includes(`Disconnecting timedout replica (streaming sync): ${replicaId}`), { timeoutMs: 15_000, what: 'the master to drop the stopped replica' });
    expect(await listedAck()).toBeNull();
    const offsetCell = row.locator('.figures-row td').nth(2);
    await expect.poll(async () => (await offsetCell.textContent())?.trim() ?? '', { timeout: 10_000 }).toBe(`${ack!.toLocaleString('en-US')} last ACK · dropped`);
    expect(await offsetCell.getAttribute('title')).toContain(`${masterId} no longer lists this replica, which does not answer`);
    expect(((await page.locator(`[data-testid="partial-resync-${replicaId}"]`).textContent()) ?? '').trim()).toMatch(/dropped by its master/);
  } finally {
    replica.signal('SIGCONT');
    writing = false;
    await load;
    writer.close();
  }
  expect(session.problems).toEqual([]);
}, 90_000);
