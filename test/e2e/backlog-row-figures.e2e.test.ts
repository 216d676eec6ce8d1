/**
 * The Backlog tab's replica row, in Chromium on `npm run web` against the
 * demo, held against the nodes' INFO. Found in a new user's walk:
 *
 *  - with the link cut, the row gave two "seconds" that disagreed: the
 *    Headroom cell's last-poll figure ("· 21 s") beside the live countdown
 *    ("18.5 s left"). It now shows one figure: the headroom cell counts
 *    down with the status row;
 *  - a replica still connected whose offset had left the backlog (its
 *    apply paused under load, a 16kb backlog) read "the next sync is a full
 *    resync", though it streams on from its output buffer while connected:
 *    it is what a disconnect now would bring, and the answer says so.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import type { ConsoleSession } from '../support/console-session';
import { openDemoSession } from '../support/demo-session';

let session: ConsoleSession;
let page: Page;
let masterPort = 0;
let replicaPort = 0;

beforeAll(async () => {
  session = await openDemoSession('backlog-row-figures');
  page = session.page;
  await page.keyboard.press('Alt+3');
  await waitFor(async () => (await page.locator('[data-testid="demo-nodes"] tbody tr').count()) === 2, { timeoutMs: 10_000, what: 'the Demo panel\'s two rows' });
  for (const row of await page.locator('[data-testid="demo-nodes"] tbody tr').all()) {
    const [, role = '', port = ''] = (await row.locator('td').allTextContents()).map((cell) => cell.trim());
    if (role === 'master') masterPort = Number(port);
    else replicaPort = Number(port);
  }
}, 150_000);

afterAll(async () => {
  await session?.close();
});

async function openBacklogTab(): Promise<void> {
  await page.keyboard.press('Alt+1');
  await page.locator(`[data-testid="topology-node-127.0.0.1:${masterPort}"] button`).first().click();
  await page.locator('[data-testid="detail-panel"]').getByText('Backlog', { exact: true }).click();
}

/** The master's INFO line for its replica: its acknowledged offset. */
async function replicaAckOffset(): Promise<number | null> {
  const replication = await info({ port: masterPort }, 'replication');
  for (const [key, value] of replication) if (/^slave\d+$/.test(key) && value.includes(`port=${replicaPort}`)) return Number(/offset=(\d+)/.exec(value)?.[1]);
  return null;
}

it('with the link cut, the headroom cell and the countdown are one figure, counting down together', async () => {
  const replicaId = `127.0.0.1:${replicaPort}`;
  await page.keyboard.press('Alt+3');
  await page.locator('[data-testid="cut-seconds"]').fill('12');
  await page.locator('[data-testid="chaos-cut"]').click();
  await waitFor(async () => (await info({ port: replicaPort }, 'replication')).get('master_link_status') === 'down', { timeoutMs: 10_000, what: `${replicaId}'s link down` });
  await openBacklogTab();
  const countdown = page.locator(`[data-testid="countdown-${replicaId}"]`);
  await expect.poll(async () => countdown.count(), { timeout: 10_000 }).toBe(1);
  // Read twice, a second and a half apart: the live figure moves, and the cell moves with it.
  for (let reading = 0; reading < 2; reading++) {
    // One read of the row's cells (a single evaluation in the page), so both figures come from the same render:
    // the Headroom column is the fifth cell ("256 KiB · 4 s"), the status row's countdown the last.
    const cells = (await page.locator(`[data-testid="backlog-row-${replicaId}"] td`).allTextContents()).map((text) => text.trim());
    const cell = cells[4] ?? '';
    const left = /([\d.]+ (?:min|s)(?: [\d.]+ s)?) left$/.exec(cells.at(-1) ?? '')?.[0] ?? '';
    expect(left.trim()).toMatch(/ left$/);
    expect(cell.trim().split(' · ')[1], `${cell} beside ${left}`).toBe(left.trim());
    await page.waitForTimeout(1_500);
  }
  // The master still holds the replica's place: its last offset is inside the backlog (INFO), as "left" claims.
  const replication = await info({ port: masterPort }, 'replication');
  const ack = await replicaAckOffset();
  if (ack !== null) expect(ack + 1).toBeGreaterThanOrEqual(Number(replication.get('repl_backlog_first_byte_offset')));
  await page.keyboard.press('Alt+3');
  await page.locator('[data-testid="chaos-heal"]').click();
  await waitFor(async () => (await info({ port: replicaPort }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `${replicaId}'s link back up` });
}, 90_000);

it('a connected replica whose offset left the backlog is told what a disconnect now would bring, not "the next sync"', async () => {
  const replicaId = `127.0.0.1:${replicaPort}`;
  await page.keyboard.press('Alt+3');
  await page.locator('[data-testid="shrink-size"]').fill('16kb');
  await page.locator('[data-testid="chaos-shrink"]').click();
  await waitFor(async () => (await info({ port: masterPort }, 'replication')).get('repl_backlog_size') === '16384', { timeoutMs: 10_000, what: 'the master to take repl-backlog-size 16384' });
  await page.getByLabel('Pause apply for (s)').fill('15');
  await page.getByRole('button', { name: 'Pause replica' }).click();

  // The nodes' truth: the replica still connected (the master lists it online), its acknowledged offset before the backlog's first byte.
  await waitFor(async () => {
    const replication = await info({ port: masterPort }, 'replication');
    const ack = await replicaAckOffset();
    const line = [...replication.values()].find((value) => value.includes(`port=${replicaPort}`)) ?? '';
    return ack !== null && line.includes('state=online') && ack + 1 < Number(replication.get('repl_backlog_first_byte_offset'));
  }, { timeoutMs: 15_000, what: `${replicaId} online with its offset out of the 16kb backlog` });
  await openBacklogTab();
  const answer = page.locator(`[data-testid="partial-resync-${replicaId}"]`);
  await expect.poll(async () => ((await answer.textContent().catch(() => '')) ?? '').trim(), { timeout: 10_000 })
    .toBe('not possible: its offset left the backlog; it streams on while connected, but if it disconnected now its reconnect would be a full resync');
  expect(session.problems).toEqual([]);
}, 90_000);
