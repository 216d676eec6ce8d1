/**
 * The Chaos card after a promotion, in Chromium on `npm run web`, held
 * against the embedded nodes' INFO. Found in a new-user trial: after
 * *Promote to master* (FAILOVER TO) the old master follows the new one
 * directly, not through the chaos proxy, yet the card's *Replica* picker
 * offered it, and *Cut link* answered "Internal error: master is the master:
 * it has no upstream link" while cutting nothing.
 *
 *  - the picker offers only replicas whose link goes through the proxy (none
 *    here), the link controls are disabled, and the card says why, naming
 *    the node and the master it now follows as its INFO does.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import type { ConsoleSession } from '../support/console-session';
import { openDemoSession } from '../support/demo-session';

let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  session = await openDemoSession('chaos-after-promotion');
  page = session.page;
}, 150_000);

afterAll(async () => {
  await session?.close();
});

async function ports(): Promise<{ master: number; replica: number }> {
  const rows = await page.locator('[data-testid="demo-nodes"] tbody tr').all();
  const cells = await Promise.all(rows.map(async (row) => (await row.locator('td').allTextContents()).map((cell) => cell.trim())));
  return { master: Number(cells.find((row) => row[1] === 'master')![2]), replica: Number(cells.find((row) => row[1] === 'replica')![2]) };
}

it('after FAILOVER the Chaos card offers no direct link to cut and says why', async () => {
  await page.keyboard.press('Alt+3');
  await expect.poll(async () => page.locator('[data-testid="demo-nodes"] tbody tr').count(), { timeout: 10_000 }).toBe(2);
  const { master, replica } = await ports();
  // Before: the planned replica, through its proxy, is offered.
  await expect.poll(async () => page.locator('[data-testid="chaos-replica"] option').allTextContents(), { timeout: 10_000 }).toEqual([`replica-1 (127.0.0.1:${replica})`]);

  expect(await command({ port: master }, 'FAILOVER', 'TO', '127.0.0.1', replica, 'TIMEOUT', 10_000)).toBe('OK');
  await waitFor(async () => {
    const replication = await info({ port: master }, 'replication');
    return replication.get('role') === 'slave' && replication.get('master_port') === String(replica) && replication.get('master_link_status') === 'up';
  }, { timeoutMs: 20_000, what: `127.0.0.1:${master} to follow 127.0.0.1:${replica} directly` });

  const note = page.locator('[data-testid="chaos-no-proxied-link"]');
  await expect.poll(() => note.count(), { timeout: 15_000 }).toBe(1);
  expect(await note.innerText()).toContain(`master (127.0.0.1:${master}) replicates from 127.0.0.1:${replica} directly`);
  expect(await page.locator('[data-testid="chaos-replica"] option').count()).toBe(0);
  expect(await page.locator('[data-testid="chaos-cut"]').isDisabled()).toBe(true);
  await session.shoot('chaos-after-promotion');
  expect(session.problems).toEqual([]);
}, 90_000);
