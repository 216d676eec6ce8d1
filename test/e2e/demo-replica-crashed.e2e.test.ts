/**
 * A demo replica that panics (propagation-error-behavior panic, a command of
 * its master's stream failing on it), in Chromium on `npm run web`: the
 * Topology card of the replica says "crashed" with its Guru Meditation as
 * the title, and the Demo panel's node table marks it crashed. The truth is
 * the replica's own port refusing connections after the master's INCR.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { command } from '../support/replication';
import { waitFor } from '../support/wait';
import type { ConsoleSession } from '../support/console-session';
import { demoNodePorts, openDemoSession } from '../support/demo-session';

let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  session = await openDemoSession('demo-replica-crashed');
  page = session.page;
}, 150_000);

afterAll(async () => {
  await session?.close();
});

const GURU = "Guru Meditation: This replica panicked sending an error to its master after processing the command 'incr'";

it('a demo replica that panics shows crashed, with its Guru Meditation, on the Topology card and in the Demo panel', async () => {
  const { master, replica } = await demoNodePorts(page);
  // A list on the replica where the master has no key: the master's INCR fails there (WRONGTYPE).
  await command({ port: replica }, 'CONFIG', 'SET', 'replica-read-only', 'no');
  await command({ port: replica }, 'LPUSH', 'panic:key', 'x');
  await command({ port: replica }, 'CONFIG', 'SET', 'replica-read-only', 'yes');
  await command({ port: replica }, 'CONFIG', 'SET', 'propagation-error-behavior', 'panic');
  await command({ port: master }, 'INCR', 'panic:key');
  await waitFor(() => command({ port: replica }, 'PING').then(() => false, (failure: Error) => /ECONNREFUSED/.test(failure.message)), { what: 'the replica port refusing connections' });

  const crashedRow = page.locator('[data-testid="demo-nodes"] [data-testid="demo-node-crashed"]');
  await expect.poll(() => crashedRow.count(), { timeout: 15_000 }).toBe(1);
  expect(await crashedRow.getAttribute('title')).toContain(GURU);

  await page.keyboard.press('Alt+1');
  const health = page.locator(`[data-testid="topology-node-127.0.0.1:${replica}"] .health`);
  await expect.poll(async () => (await health.textContent())?.trim(), { timeout: 15_000 }).toBe('crashed');
  expect(await health.getAttribute('title')).toContain(GURU);
});
