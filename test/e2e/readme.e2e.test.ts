/**
 * The README's walkthrough and "Attaching to staging" name the console's
 * views, buttons, tabs, fields, options and what appears (*Cut link*,
 * *Backlog*, *Partial resync*, *Master group name*...) in italics. This test
 * walks those steps in real Chromium against web mode on the embedded demo,
 * collects the text the UI shows on the way (visible text, option texts,
 * placeholders), and fails for every italic name that appears nowhere: a
 * renamed button, or a README word that is not the UI's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { italicTerms } from '../support/readme-terms';
import { waitFor } from '../support/wait';
import type { ConsoleSession } from '../support/console-session';
import { openDemoSession } from '../support/demo-session';

const root = path.resolve(import.meta.dirname, '../..');
const SECTIONS = ['## A walkthrough of the demo', '## Attaching to staging'];

let session: ConsoleSession;
let page: Page;
const seen: string[] = [];

async function collect(): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  seen.push(String(await page.evaluate(`[
    document.body.innerText,
    ...[...document.querySelectorAll('option')].map((option) => option.textContent),
    ...[...document.querySelectorAll('[placeholder]')].map((field) => field.getAttribute('placeholder')),
  ].join('\\n')`)));
}

async function textOf(selector: string): Promise<string> {
  return (await page.locator(selector).count()) > 0 ? ((await page.locator(selector).first().textContent()) ?? '') : '';
}

beforeAll(async () => {
  session = await openDemoSession('readme');
  page = session.page;
}, 150_000);

afterAll(async () => {
  await session?.close();
});

describe('the README names what the UI shows', () => {
  it('walks the demo steps and the staging form and finds every italic name of those sections on screen', async () => {
    await collect();
    // Step 2 and 3 open the master's tabs; step 4 the replica's Controls and the preflight.
    await page.locator('[data-testid^="topology-node-"].role-master button').first().click();
    for (const tab of ['Overview', 'Charts', 'Backlog', 'Sync', 'Controls']) {
      await page.locator('[data-testid="detail-panel"]').getByRole('tab', { name: tab, exact: true }).click();
      await collect();
    }
    await page.locator('[data-testid^="topology-node-"].role-replica button').first().click();
    await page.locator('[data-testid="detail-panel"]').getByRole('tab', { name: 'Controls', exact: true }).click();
    await collect();
    await page.locator('[data-testid="control-disconnect-link"] button').first().click();
    await waitFor(async () => /partial/i.test(await textOf('[data-testid="preflight-prediction"]')), { timeoutMs: 15_000, what: 'the preflight prediction' });
    await collect();
    await page.keyboard.press('Escape');

    // Steps 2 and 3: Demo → Chaos, shrink the backlog, cut the link long enough for a full resync.
    await page.locator('[data-testid="nav-demo"]').click();
    await collect();
    await page.locator('[data-testid="shrink-size"]').fill('16kb');
    await page.getByRole('button', { name: 'Shrink backlog', exact: true }).click();
    await page.locator('[data-testid="cut-seconds"]').fill('3');
    await page.getByRole('button', { name: 'Cut link', exact: true }).click();
    await page.locator('[data-testid="nav-events"]').click();
    await waitFor(async () => (await page.locator('[data-testid="cause-out-of-backlog"]').count()) > 0, { timeoutMs: 40_000, what: 'a full resync caused by out-of-backlog' });
    await collect();
    await page.locator('[data-testid="nav-settings"]').click();
    await collect();

    // Attaching to staging: the form, as Sentinel, with TLS and SSH open.
    await page.locator('[data-testid="nav-connections"]').click();
    await page.getByRole('button', { name: 'New connection', exact: true }).click();
    await collect();
    await page.locator('[data-testid="profile-kind"]').selectOption('sentinel');
    await page.locator('[data-testid="profile-tls"]').check();
    await page.locator('[data-testid="profile-ssh"]').check();
    await page.locator('[data-testid="profile-ssh-auth"]').selectOption('key');
    await collect();
    await page.keyboard.press('Escape');

    // Step 1: stop the demo (the topology choices and Start demo show while it is
    // stopped), pick 3 nodes and start it: each replica's first sync is a full
    // resync the replica asked for, with that cause and the README's words.
    await page.locator('[data-testid="nav-demo"]').click();
    await page.getByRole('button', { name: 'Stop demo', exact: true }).click();
    await waitFor(async () => (await page.getByRole('button', { name: 'Start demo', exact: true }).count()) === 1, { timeoutMs: 20_000, what: 'the stopped demo' });
    await collect();
    await page.getByText('3 nodes', { exact: true }).click();
    await page.getByRole('button', { name: 'Start demo', exact: true }).click();
    // Starting shows the new demo's topology; then to Events.
    await waitFor(async () => (await page.locator('[data-testid^="topology-node-"]').count()) === 3, { timeoutMs: 30_000, what: 'the restarted demo\'s three nodes' });
    await page.locator('[data-testid="nav-events"]').click();
    await waitFor(async () => (await page.locator('[data-testid="cause-requested-full"]').count()) >= 2, { timeoutMs: 40_000, what: 'the restarted demo\'s two full resyncs, with their cause' });
    await collect();
    expect(seen.at(-1)).toContain('the replica asked for a full sync: no cached master (PSYNC ? -1)');

    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const terms = SECTIONS.flatMap((heading) => italicTerms(readme, heading));
    expect(terms.length).toBeGreaterThan(15);
    const shown = seen.join('\n');
    const missing = terms.filter((term) => !shown.includes(term));
    expect(missing, `README terms the UI does not show: ${missing.join(' | ')}`).toEqual([]);
  }, 180_000);

  it('logged no error and no CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
