/**
 * The local two-node demo as a new user reads it, in Chromium on
 * `npm run web`, held against the embedded nodes' own INFO. Found in a
 * new-user trial:
 *
 *  - the Backlog tab's replica row read "Partial resync: ● online" (the
 *    link's state where a yes/no belongs);
 *  - with the link down, master_last_io_seconds_ago read "-1 s" (Redis's
 *    "no link" sentinel shown as a negative duration);
 *  - an action's result read "Observed: partial-resync" over a table of
 *    camelCase keys (syncPartialOkDelta, replicaOffset);
 *  - the Alerts panel did not close with Escape and covered Stop demo.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import type { ConsoleSession } from '../support/console-session';
import { openDemoSession } from '../support/demo-session';

let session: ConsoleSession;
let page: Page;
let ports: { master: number; replica: number };

beforeAll(async () => {
  session = await openDemoSession('new-user-demo');
  page = session.page;
  await page.keyboard.press('Alt+3');
  await waitFor(async () => (await page.locator('[data-testid="demo-nodes"] tbody tr').count()) === 2, { timeoutMs: 10_000, what: 'the demo node table' });
  const cells = await Promise.all((await page.locator('[data-testid="demo-nodes"] tbody tr').all()).map(async (row) => (await row.locator('td').allTextContents()).map((cell) => cell.trim())));
  const master = cells.find((row) => row[1] === 'master');
  const replica = cells.find((row) => row[1] === 'replica');
  if (!master || !replica) throw new Error('the demo table lists no master and replica');
  ports = { master: Number(master[2]), replica: Number(replica[2]) };
}, 150_000);

afterAll(async () => {
  await session?.close();
});

async function openNode(port: number): Promise<void> {
  await page.keyboard.press('Alt+1');
  await page.locator(`[data-testid="topology-node-127.0.0.1:${port}"] button`).first().click();
  await expect.poll(() => page.locator('[data-testid="detail-panel"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  // The tab chosen last stays chosen (Controls after an action): the INFO table is on Overview.
  await page.locator('[data-testid="detail-panel"]').getByText('Overview', { exact: true }).click();
}

it('the Backlog tab answers "Partial resync: possible" for a replica inside the window, not the link state', async () => {
  await openNode(ports.master);
  await page.locator('[data-testid="detail-panel"]').getByText('Backlog', { exact: true }).click();
  const row = page.locator(`[data-testid="backlog-row-127.0.0.1:${ports.replica}"] .status-row`);
  await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
  // The master's own view: the replica online, its offset + 1 inside the backlog.
  const replication = await info({ port: ports.master }, 'replication');
  const slave = replication.get('slave0') ?? '';
  expect(slave).toMatch(/state=online/);
  const offset = Number(/offset=(\d+)/.exec(slave)?.[1]);
  expect(offset + 1).toBeGreaterThanOrEqual(Number(replication.get('repl_backlog_first_byte_offset')));
  await expect.poll(async () => ((await row.textContent()) ?? '').replace(/\s+/g, ' ').trim(), { timeout: 10_000 }).toMatch(/^Partial resync: possible\b/);
  expect(await row.textContent()).not.toMatch(/online/);
});

it('an action\'s result says what was observed in words, its figures labelled, the resync as the master counted it', async () => {
  const before = Number((await info({ port: ports.master }, 'stats')).get('sync_partial_ok'));
  await openNode(ports.replica);
  const panel = page.locator('[data-testid="detail-panel"]');
  await panel.getByText('Controls', { exact: true }).click();
  await page.locator('[data-testid="control-disconnect-link"] button').first().click();
  await expect.poll(async () => (await page.locator('[data-testid="preflight-prediction"]').textContent()) ?? '', { timeout: 10_000 }).toMatch(/partial/i);
  await page.locator('[data-testid="run-action"]').click();
  const result = page.locator('[data-testid="action-result"]');
  await expect.poll(async () => (await result.count()) > 0 ? ((await result.locator('h3').textContent()) ?? '') : '', { timeout: 20_000 }).toBe('Observed: partial resync');
  expect(Number((await info({ port: ports.master }, 'stats')).get('sync_partial_ok'))).toBe(before + 1);
  const labels = (await result.locator('th').allTextContents()).map((label) => label.trim());
  expect(labels.length).toBeGreaterThan(0);
  for (const label of labels) expect(label).not.toMatch(/[a-z][A-Z]|-/);
  const figures = new Map(await Promise.all((await result.locator('tr').all()).map(async (line) => [((await line.locator('th').textContent()) ?? '').trim(), ((await line.locator('td').textContent()) ?? '').trim()] as const)));
  expect(figures.get('Partial resyncs accepted (sync_partial_ok change)')).toBe('1');
  expect(figures.get('Full resyncs (sync_full change)')).toBe('0');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('[data-testid="action-dialog"]').count(), { timeout: 5_000 }).toBe(0);
});

it('with the link down, master_last_io_seconds_ago reads "no link", never a negative duration', async () => {
  /** The INFO table's rows as field → shown value. */
  const infoTable = async (): Promise<Map<string, string>> => {
    const shown = new Map<string, string>();
    for (const row of await page.locator('[data-testid="detail-panel"] .info-table tbody tr').all()) {
      shown.set(((await row.locator('th').textContent()) ?? '').trim(), ((await row.locator('td').first().textContent()) ?? '').trim());
    }
    return shown;
  };
  await page.keyboard.press('Alt+3');
  await page.locator('[data-testid="cut-seconds"]').fill('40');
  await page.locator('[data-testid="chaos-cut"]').click();
  // The replica's own INFO: the link is down and Redis writes -1 for "no link".
  await waitFor(async () => {
    const replication = await info({ port: ports.replica }, 'replication');
    return replication.get('master_link_status') === 'down' && replication.get('master_last_io_seconds_ago') === '-1';
  }, { timeoutMs: 20_000, what: 'the replica reporting master_last_io_seconds_ago:-1' });
  await openNode(ports.replica);
  await expect.poll(async () => (await infoTable()).get('master_last_io_seconds_ago'), { timeout: 10_000 }).toBe('no link');
  // Every INFO field the replica reports as -1 is shown as what -1 means there, never as "-1 s".
  const replication = await info({ port: ports.replica }, 'replication');
  const shown = await infoTable();
  for (const [field, value] of replication) {
    if (value === '-1' && shown.has(field)) expect(shown.get(field), field).not.toMatch(/^-/);
  }
  expect(await page.locator('[data-testid="detail-panel"]').innerText()).not.toMatch(/-\d+(\.\d+)? s\b/);
  await page.keyboard.press('Alt+3');
  await page.locator('[data-testid="chaos-heal"]').click();
  await waitFor(async () => (await info({ port: ports.replica }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 30_000, what: 'the healed link' });
}, 60_000);

it('the Alerts panel closes with Escape (focus back on the bell) and leaves Stop demo reachable', async () => {
  await page.keyboard.press('Alt+3');
  const bell = page.locator('[data-testid="alert-bell"]');
  const panel = page.locator('[data-testid="alert-panel"]');
  await bell.click();
  await expect.poll(() => panel.count(), { timeout: 5_000 }).toBe(1);
  await page.keyboard.press('Escape');
  await expect.poll(() => panel.count(), { timeout: 5_000 }).toBe(0);
  expect(await bell.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);

  await bell.click();
  await expect.poll(() => panel.count(), { timeout: 5_000 }).toBe(1);
  const stop = page.locator('[data-testid="demo-stop"]');
  // What a click at the centre of Stop demo lands on, with the panel open.
  const onTop = await stop.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const hit = element.ownerDocument.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && element.contains(hit);
  });
  expect(onTop).toBe(true);
  await stop.click({ timeout: 5_000 });
  // The nodes' own answer: their ports close.
  await waitFor(async () => {
    try {
      await info({ port: ports.master }, 'server');
      return false;
    } catch {
      return true;
    }
  }, { timeoutMs: 20_000, what: 'the demo master stopping' });
}, 60_000);

it('logged no error', () => {
  expect(session.problems).toEqual([]);
});
