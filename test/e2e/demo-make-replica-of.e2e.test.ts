/**
 * The demo pair put back together from Controls, in Chromium on
 * `npm run web`, held against the embedded nodes' ROLE and INFO. Found in a
 * new user's walk: after Promote by REPLICAOF NO ONE both nodes answer
 * master, and the old master's Controls offered only a disabled "Re-point
 * replica" ("Only a replica can be re-pointed."), so the pair could not be
 * rejoined from the console.
 *
 *  - with two masters, each master's Controls offer "Make replica of" the
 *    other, through the same preflight and run as every control;
 *  - the preflight's prediction is the one Redis's PSYNC rule gives from the
 *    nodes' INFO (the old master's master_repl_offset + 1 against the
 *    promoted node's second_repl_offset), and the result's resync is the one
 *    the promoted node's sync_partial_ok / sync_full counted, with its cause;
 *  - afterwards ROLE says the old master follows the promoted node.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import type { ConsoleSession } from '../support/console-session';
import { demoNodePorts, openDemoSession } from '../support/demo-session';

let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  session = await openDemoSession('demo-make-replica-of');
  page = session.page;
}, 150_000);

afterAll(async () => {
  await session?.close();
});


async function openControls(nodeId: string): Promise<void> {
  await page.keyboard.press('Alt+1');
  await page.locator(`[data-testid="topology-node-${nodeId}"] button`).click();
  await page.locator('[data-testid="detail-panel"]').getByText('Controls', { exact: true }).click();
}

const text = async (testId: string): Promise<string> => (await page.locator(`[data-testid="${testId}"]`).textContent().catch(() => '')) ?? '';
const role = async (port: number): Promise<unknown[]> => (await command({ port }, 'ROLE')) as unknown[];
const counter = async (port: number, field: string): Promise<number> => Number((await info({ port }, 'stats')).get(field));

it('after Promote by REPLICAOF NO ONE, Make replica of rejoins the pair with the resync the promoted node counts', async () => {
  const { master, replica } = await demoNodePorts(page);
  const oldMaster = `127.0.0.1:${master}`;
  const promoted = `127.0.0.1:${replica}`;

  // Promote the replica by REPLICAOF NO ONE: both nodes answer master.
  await openControls(promoted);
  await page.locator('[data-testid="control-promote"] select').selectOption('replicaof-no-one');
  await page.locator('[data-testid="control-promote"] button').first().click();
  await expect.poll(() => text('preflight-prediction'), { timeout: 10_000 }).toMatch(/Predicted/);
  await page.locator('[data-testid="run-action"]').click();
  await expect.poll(() => text('action-result'), { timeout: 30_000 }).toMatch(/promoted/i);
  await page.keyboard.press('Escape');
  expect((await role(master))[0]).toBe('master');
  expect((await role(replica))[0]).toBe('master');

  // The old master's Controls offer to make it a replica of the other master.
  await openControls(oldMaster);
  const control = page.locator('[data-testid="control-repoint"]');
  await expect.poll(async () => (await control.textContent()) ?? '', { timeout: 10_000 }).toContain('Make replica of');
  expect(await control.locator('[data-testid="disabled-reason"]').count()).toBe(0);
  const options = await control.locator('[data-testid="repoint-master"] option:not([disabled])').allTextContents();
  expect(options.map((option) => option.trim())).toEqual([`${promoted} (master)`]);
  await control.locator('[data-testid="repoint-master"]').selectOption(promoted);
  await expect.poll(async () => control.locator('button').isEnabled(), { timeout: 10_000 }).toBe(true);
  await control.locator('button').click();
  await expect.poll(() => text('preflight-prediction'), { timeout: 10_000 }).toMatch(/Predicted: (Partial|Full) resync/);
  // The card says what the user chose, not the replica's "Re-point replica".
  const dialogTitle = async (): Promise<string> => ((await page.locator('dialog[open] h2').textContent()) ?? '').trim();
  expect(await dialogTitle()).toBe(`Make replica of: ${oldMaster}`);

  // Redis's rule from the nodes' own INFO: the old master's PSYNC offset against the promoted node's second_repl_offset.
  const oldOffset = Number((await info({ port: master }, 'replication')).get('master_repl_offset'));
  const secondOffset = Number((await info({ port: replica }, 'replication')).get('second_repl_offset'));
  const expected = oldOffset + 1 <= secondOffset ? 'partial' : 'full';
  expect(await text('preflight-prediction')).toContain(expected === 'partial' ? 'Predicted: Partial resync' : 'Predicted: Full resync');

  const fullBefore = await counter(replica, 'sync_full');
  const partialBefore = await counter(replica, 'sync_partial_ok');
  await page.locator('[data-testid="run-action"]').click();
  await expect.poll(() => text('action-result'), { timeout: 30_000 }).toMatch(/Observed: (partial|full) resync/);
  const result = await text('action-result');
  // Still the user's words once the old master answers as a replica.
  expect(await dialogTitle()).toBe(`Make replica of: ${oldMaster}`);
  await page.keyboard.press('Escape');

  // The nodes' truth: ROLE, and the promoted node's counters, which the result names.
  await waitFor(async () => (await info({ port: master }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 15_000, what: `${oldMaster} to follow ${promoted}` });
  const roleAfter = await role(master);
  expect([roleAfter[0], roleAfter[1], roleAfter[2]]).toEqual(['slave', '127.0.0.1', replica]);
  const fullDelta = (await counter(replica, 'sync_full')) - fullBefore;
  const partialDelta = (await counter(replica, 'sync_partial_ok')) - partialBefore;
  expect({ fullDelta, partialDelta }).toEqual(expected === 'partial' ? { fullDelta: 0, partialDelta: 1 } : { fullDelta: 1, partialDelta: 0 });
  expect(result).toContain(`Observed: ${expected} resync`);
  expect(result).toContain(expected === 'partial' ? `${promoted}'s sync_partial_ok +1` : `${promoted}'s sync_full +1`);
  expect(result).toContain('✓ The prediction held.');
  expect(session.problems).toEqual([]);
}, 120_000);
