/**
 * Issue 18 part 4 in real Chromium against web mode: the fleet view with two
 * sessions at once (the embedded demo and a real redis-server 7.0 pair
 * connected through the Connections view), Open into a session, a node's
 * --stat trends on its Charts tab (exported as CSV), its Facts tab (replica connections, the
 * embedded node's log), and a tile turning critical when its master stops.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { attachStandaloneProfile } from '../support/standalone-profile';
import { waitFor } from '../support/wait';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';

const PROFILE = 'Staging orders';
let master: RedisProcess;
let session: ConsoleSession;
let page: Page;

const textOf = async (selector: string): Promise<string> => ((await page.locator(selector).count()) > 0 ? ((await page.locator(selector).first().textContent()) ?? '') : '');
const tile = (name: string): string => `[data-testid="fleet-row-${name}"]`;

beforeAll(async () => {
  master = await startRedisServer();
  const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  await waitFor(async () => /master_link_status:up/.test(String(await replica.call('INFO', 'replication'))), { timeoutMs: 20_000, what: 'the redis-server replica in sync' });
  session = await openConsoleSession({ name: 'fleet' });
  page = session.page;
  await waitFor(async () => (await page.locator('[data-testid="session-Local demo"]').count()) === 1, { timeoutMs: 30_000, what: 'the demo session' });
  await attachStandaloneProfile(page, [`127.0.0.1:${master.port}`], PROFILE);
}, 180_000);

afterAll(async () => {
  await session?.close();
  await stopAllRedisServers();
});

it('shows both sessions as tiles with their figures, and opens one', async () => {
  await page.locator('[data-testid="nav-fleet"]').click();
  for (const name of ['Local demo', PROFILE]) {
    await waitFor(async () => (await textOf(`${tile(name)} [data-testid="fleet-nodes"]`)).trim() === '2 / 2'
      && (await textOf(`${tile(name)} [data-testid="fleet-links-down"]`)).trim() === '0 / 1'
      && (await textOf(`${tile(name)} [data-testid="fleet-lag"]`)).trim() !== '—', { timeoutMs: 20_000, what: `the ${name} tile with 2 nodes up, no link down and a lag figure` });
  }
  expect(await page.locator('[data-testid^="fleet-row-"]').count()).toBe(2);
  expect(await textOf(`${tile(PROFILE)} [data-testid="fleet-alerts"]`)).toMatch(/^none/);
  // The demo's replica full-synced when the demo started: its engine said so, and the tile names it.
  await waitFor(async () => /Last full resync .* ago/.test(await textOf(`${tile('Local demo')} [data-testid="fleet-last-resync"]`)), { timeoutMs: 20_000, what: "the demo's first full resync on its tile" });
  // Its cause in the words Events uses (the engine's reason: PSYNC ? -1), not the contract's code.
  expect(await textOf(`${tile('Local demo')} [data-testid="fleet-last-resync"]`)).toMatch(/cause full sync requested$/);

  await page.locator('[data-testid="fleet-open-Local demo"]').click();
  await expect.poll(() => page.locator('[data-testid="session-Local demo"]').getAttribute('aria-pressed')).toBe('true');
  await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 15_000 }).toBe(2);
});

it("a node's --stat trends sit on its Charts tab, its facts on the Facts tab", async () => {
  await page.locator('[data-testid^="topology-node-"].role-master button').first().click();
  const panel = page.locator('[data-testid="detail-panel"]');
  await panel.getByRole('tab', { name: 'Charts', exact: true }).click();
  for (const title of ['Byte lag', 'Commands/s of', 'Connected clients', 'Used memory', 'Evictions/s', 'Keys (all databases)']) {
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 10_000 }).toContain(title);
  }
  // Export CSV: the window's series from the on-disk history, one column each,
  // a row per second the session has been recorded. On a quiet machine the demo
  // session may be only a few seconds old here, so export again until it has
  // more than three seconds on disk.
  const exportCsv = async (): Promise<{ csv: string; filename: string }> => {
    const [download] = await Promise.all([page.waitForEvent('download'), panel.locator('[data-testid="charts-export-csv"]').click()]);
    return { csv: await readFile((await download.path())!, 'utf8'), filename: download.suggestedFilename() };
  };
  let exported = { csv: '', filename: '' };
  await waitFor(async () => {
    exported = await exportCsv();
    return exported.csv.trimEnd().split('\r\n').length > 4;
  }, { timeoutMs: 15_000, intervalMs: 1000, what: 'more than three rows in the exported CSV' });
  const [header, ...rows] = exported.csv.trimEnd().split('\r\n');
  expect(header).toMatch(/^time,unix_ms,.*node\.opsPerSec@127\.0\.0\.1:\d+/);
  expect(rows.length).toBeGreaterThan(3);
  expect(exported.filename).toMatch(/^replscope-Local_demo-.*\.csv$/);
  // A day's window reads the on-disk history's minute tier, then back to the live hour.
  await panel.getByRole('button', { name: '1 d', exact: true }).click();
  await expect.poll(() => panel.locator('[data-testid="charts-archived"]').count()).toBe(1);
  expect(await panel.getByRole('button', { name: '1 d', exact: true }).getAttribute('aria-pressed')).toBe('true');
  await panel.getByRole('button', { name: '15 min', exact: true }).click();
  await expect.poll(() => panel.locator('[data-testid="charts-archived"]').count()).toBe(0);
  await panel.getByRole('tab', { name: 'Facts', exact: true }).click();
  await waitFor(async () => (await page.locator('[data-testid="facts-replicas"] tbody tr').count()) === 1, { timeoutMs: 15_000, what: "the master's one replica connection" });
  await waitFor(async () => (await textOf('[data-testid="facts-log"]')).length > 0, { timeoutMs: 15_000, what: "the embedded master's log" });
  expect(await textOf('[data-testid="node-facts"]')).toContain('Latency spikes');
  expect(session.problems).toEqual([]);
});

it('a tile turns critical, in words, when its master stops', async () => {
  await master.stop();
  await page.locator('[data-testid="nav-fleet"]').click();
  await waitFor(async () => (await textOf(`${tile(PROFILE)} [data-testid="fleet-links-down"]`)).trim() === '1 / 1', { timeoutMs: 20_000, what: 'the link counted down' });
  expect(await textOf(tile(PROFILE))).toMatch(/1 of 2 nodes not up/);
  await waitFor(async () => /\d+ firing/.test(await textOf(`${tile(PROFILE)} [data-testid="fleet-alerts"]`)), { timeoutMs: 20_000, what: 'the alerts firing on the tile' });
  expect(await page.locator(`${tile(PROFILE)} .level-critical`).count()).toBe(1);
  // Worst first: the broken deployment leads.
  expect(await page.locator('[data-testid^="fleet-row-"]').first().getAttribute('data-testid')).toBe(`fleet-row-${PROFILE}`);
});
