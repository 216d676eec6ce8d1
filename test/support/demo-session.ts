/**
 * An end-to-end session on the embedded demo: the console started with its
 * demo (openConsoleSession's default), its page open, and the demo's two
 * nodes drawn on the topology before any test begins.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { openConsoleSession, type ConsoleSession } from './console-session';
import { waitFor } from './wait';

/** The demo starts two nodes (master and replica); both are on the topology within this. */
const DEMO_TOPOLOGY_TIMEOUT_MS = 30_000;

export async function openDemoSession(name: string): Promise<ConsoleSession> {
  const session = await openConsoleSession({ name });
  await waitForDemoTopology(session.page);
  return session;
}

/** Both demo nodes drawn on the topology page. */
export async function waitForDemoTopology(page: Page): Promise<void> {
  await waitFor(async () => (await page.locator('[data-testid^="topology-node-"]').count()) === 2, { timeoutMs: DEMO_TOPOLOGY_TIMEOUT_MS, what: 'the demo topology' });
}

/** The demo's node ports by the role its Demo panel (Alt+3, left open) lists them with. */
export async function demoNodePorts(page: Page): Promise<{ master: number; replica: number }> {
  await page.keyboard.press('Alt+3');
  const rows = page.locator('[data-testid="demo-nodes"] tbody tr');
  await expect.poll(async () => rows.count(), { timeout: 10_000 }).toBe(2);
  const ports: Record<string, number> = {};
  for (const row of await rows.all()) {
    const [, role = '', port = ''] = (await row.locator('td').allTextContents()).map((cell) => cell.trim());
    ports[role] = Number(port);
  }
  if (ports.master === undefined || ports.replica === undefined) throw new Error(`the demo table lists no master and replica: ${JSON.stringify(ports)}`);
  return { master: ports.master, replica: ports.replica };
}
