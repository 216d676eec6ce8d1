/**
 * The demo after the console's own Promote, in Chromium on `npm run web`,
 * held against the embedded nodes' ROLE and INFO over their loopback ports.
 * Found by checking every reader of the demo's node list against ROLE: after
 * Promote (FAILOVER TO) the old master follows the new one at its own port,
 * and Controls → *Disconnect link* on it answered "the chaos proxy of ...
 * carries no connection from ...": the demo took it for the plan's master
 * and looked for its link in a chaos proxy it does not go through.
 *
 *  - the Demo panel's table says what each node's ROLE says (role, and for
 *    the replica the node it follows);
 *  - Disconnect link on the old master closes its direct link, and the new
 *    master's sync_partial_ok counts the reconnect.
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
  session = await openDemoSession('demo-after-promote');
  page = session.page;
}, 150_000);

afterAll(async () => {
  await session?.close();
});

/** The Demo panel's table as "port role upstream" lines. */
async function demoRows(): Promise<string[]> {
  const found: string[] = [];
  for (const row of await page.locator('[data-testid="demo-nodes"] tbody tr').all()) {
    const [, role = '', port = '', upstream = ''] = (await row.locator('td').allTextContents()).map((cell) => cell.trim());
    found.push(`${port} ${role} ${upstream}`.trim());
  }
  return found.sort();
}

/** ROLE over TCP in the same words: "port master", or "port replica host:port". */
async function roleRow(port: number): Promise<string> {
  const reply = await command({ port }, 'ROLE') as unknown[];
  return reply[0] === 'slave' ? `${port} replica ${String(reply[1])}:${String(reply[2])}` : `${port} master`;
}

async function openControls(nodeId: string): Promise<void> {
  await page.keyboard.press('Alt+1');
  await page.locator(`[data-testid="topology-node-${nodeId}"] button`).click();
  await page.locator('[data-testid="detail-panel"]').getByText('Controls', { exact: true }).click();
}

it('after Promote the Demo panel says what ROLE says, and Disconnect link on the old master works', async () => {
  await page.keyboard.press('Alt+3');
  await expect.poll(async () => page.locator('[data-testid="demo-nodes"] tbody tr').count(), { timeout: 10_000 }).toBe(2);
  const planned = await demoRows();
  const master = Number(planned.find((row) => row.includes(' master'))!.split(' ')[0]);
  const replica = Number(planned.find((row) => row.includes(' replica'))!.split(' ')[0]);

  // Promote the replica from its Controls (FAILOVER TO at the master).
  await openControls(`127.0.0.1:${replica}`);
  await page.locator('[data-testid="control-promote"] button').first().click();
  await expect.poll(async () => (await page.locator('[data-testid="preflight-prediction"]').textContent().catch(() => '')) ?? '', { timeout: 10_000 }).toMatch(/resync/i);
  await page.locator('[data-testid="run-action"]').click();
  await expect.poll(async () => (await page.locator('[data-testid="action-result"]').textContent().catch(() => '')) ?? '', { timeout: 30_000 }).toMatch(/is a master/);
  await page.keyboard.press('Escape');
  await waitFor(async () => (await info({ port: master }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `127.0.0.1:${master} to follow 127.0.0.1:${replica}` });

  // The Demo panel: the roles ROLE answers, the old master following the new one at its own port.
  const truth = [await roleRow(master), await roleRow(replica)].sort();
  expect(truth).toEqual([`${master} replica 127.0.0.1:${replica}`, `${replica} master`].sort());
  await page.keyboard.press('Alt+3');
  await expect.poll(demoRows, { timeout: 10_000 }).toEqual(truth);

  // Disconnect link on the old master, from the master side (the first button): the new master closes it, it PSYNCs back.
  const partialBefore = Number((await info({ port: replica }, 'stats')).get('sync_partial_ok'));
  await openControls(`127.0.0.1:${master}`);
  await page.locator('[data-testid="control-disconnect-link"] button').first().click();
  await expect.poll(async () => (await page.locator('[data-testid="preflight-prediction"]').textContent().catch(() => '')) ?? '', { timeout: 10_000 }).toMatch(/partial/i);
  expect((await page.locator('[data-testid="action-dialog"]').textContent()) ?? '').toContain(`CLIENT KILL ADDR`);
  await page.locator('[data-testid="run-action"]').click();
  await expect.poll(async () => (await page.locator('[data-testid="action-result"]').textContent().catch(() => '')) ?? '', { timeout: 20_000 }).toMatch(/partial resync/i);
  expect((await page.locator('[data-testid="action-result"]').textContent()) ?? '').not.toContain('chaos proxy');
  await page.keyboard.press('Escape');
  await waitFor(async () => Number((await info({ port: replica }, 'stats')).get('sync_partial_ok')) === partialBefore + 1, { timeoutMs: 10_000, what: `127.0.0.1:${replica}'s sync_partial_ok to count the reconnect` });
  expect(session.problems).toEqual([]);
}, 120_000);
