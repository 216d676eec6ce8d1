/**
 * The replication-stream tap in real Chromium against web mode (`npm run
 * web`: the embedded demo with its load generator writing): the master's Tap
 * tab shows the preflight in plain words, starts the tap, shows live rates,
 * the breakdowns and recent commands, regroups prefixes with another
 * separator, and stops with the reason said; the page logs no error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { italicTerms } from '../support/readme-terms';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';

let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  session = await openConsoleSession({ name: 'tap' });
  page = session.page;
}, 120_000);

afterAll(async () => {
  await session?.close();
});

/** The page's text at each step, for the README's terms. */
const seen: string[] = [];
const collect = async (): Promise<void> => void seen.push(String(await page.evaluate('document.body.innerText + [...document.querySelectorAll("option")].map((option) => option.textContent).join(" ")')));

const text = async (testId: string): Promise<string> => (await page.locator(`[data-testid="${testId}"]`).first().textContent()) ?? '';

describe('the stream tap in Chromium on the demo', () => {
  it('preflights, starts, shows the live stream, regroups and stops', async () => {
    const master = page.locator('[data-testid^="topology-node-"]').filter({ hasText: /master/i }).first();
    await expect.poll(() => master.count(), { timeout: 20_000 }).toBe(1);
    await master.locator('button').first().click();
    const panel = page.locator('[data-testid="detail-panel"]');
    await panel.getByRole('tab', { name: 'Tap' }).click();
    await collect();
    await page.locator('[data-testid="tap-check"]').click();

    // The preflight says exactly what the tap does before anything is attached.
    await expect.poll(() => text('tap-preflight'), { timeout: 10_000 }).toContain('PSYNC <master_replid>');
    const preflight = await text('tap-preflight');
    expect(preflight).toContain('INFO lists it as slaveN:ip=replscope-tap,port=0');
    expect(preflight).toContain('It sends nothing else and never writes.');
    await page.locator('[data-testid="tap-start"]').click();

    await expect.poll(() => text('tap-state'), { timeout: 10_000 }).toBe('streaming');
    await expect.poll(async () => page.locator('[data-testid="tap-by-command"] tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await expect.poll(() => text('tap-bytes-rate'), { timeout: 10_000 }).toMatch(/\d.*\/s/);
    expect(await text('tap-by-db')).toMatch(/db\d|db\?/);
    await expect.poll(() => page.locator('[data-testid="tap-samples"] li').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await text('tap-fill')).toMatch(/fills in/);
    await collect();

    // The master's own count (INFO connected_slaves) holds the tap: the Overview's Replicas figure says so.
    await panel.getByRole('tab', { name: 'Overview', exact: true }).click();
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 10_000 }).toContain("Counts 1 stream tap (replscope-tap): Replscope's own connection, not a replica node");
    await collect();
    await panel.getByRole('tab', { name: 'Tap' }).click();

    // The demo's keys are demo:<type>:<n>: one segment groups them all as "demo:", two by type.
    await expect.poll(() => text('tap-by-prefix'), { timeout: 10_000 }).toContain('demo:');
    await page.locator('[data-testid="tap-depth"]').fill('2');
    await page.locator('[data-testid="tap-depth"]').dispatchEvent('change');
    await expect.poll(() => text('tap-by-prefix'), { timeout: 10_000 }).toMatch(/demo:(string|hash|list|set|zset|script):/);

    await page.locator('[data-testid="tap-stop"]').click();
    await expect.poll(() => text('tap-state'), { timeout: 10_000 }).toBe('stopped');
    expect(await text('tap-message')).toContain("the tap's connection");
    expect(session.problems).toEqual([]);
  });

  it('shows every term the README section on the tap names', async () => {
    await page.locator('[data-testid="nav-connections"]').click();
    await page.getByRole('button', { name: 'New connection', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="profile-stream-tap"]').count(), { timeout: 10_000 }).toBe(1);
    await collect();
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const terms = italicTerms(readme, '## Tapping the replication stream');
    expect(terms.length).toBeGreaterThan(4);
    const shown = seen.join('\n');
    expect(terms.filter((term) => !shown.includes(term))).toEqual([]);
    expect(session.problems).toEqual([]);
  });
});
