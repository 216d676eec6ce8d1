/**
 * Issue 18 part 3 in real Chromium against web mode (the embedded demo):
 * Cut link for 3 s, export the incident bundle of the last 15 minutes from
 * the Events view, open it again through the page's file picker (uploaded
 * through the token-guarded socket) and replay it read-only: the banner
 * names the file, nothing that acts on a node is on screen (no sidebar, no
 * demo or chaos controls, no Controls tab), the scrubber moves the graph,
 * the timeline and the selected node to the moment of the link-down and
 * back to the end. Files that are not bundles (not JSON, foreign JSON, too
 * big) are refused with a sentence naming the file, and the live view stays.
 */
import { readFile } from 'node:fs/promises';
import type { FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleSession } from '../support/console-session';
import { openDemoSession } from '../support/demo-session';
import { waitFor } from '../support/wait';

let session: ConsoleSession;
let page: Page;
let exported: { fileName: string; path: string; json: string };

const textOf = async (selector: string): Promise<string> => ((await page.locator(selector).count()) > 0 ? ((await page.locator(selector).first().textContent()) ?? '') : '');

async function choose(files: Parameters<FileChooser['setFiles']>[0]): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-testid="open-incident"]').first().click()]);
  await chooser.setFiles(files);
}

beforeAll(async () => {
  session = await openDemoSession('replay');
  page = session.page;
}, 150_000);

afterAll(async () => {
  await session?.close();
});

describe('incident bundle replay', () => {
  it('Cut link for 3 s, then Export incident bundle of the last 15 minutes', async () => {
    const linkUps = (): Promise<number> => page.locator('[data-testid="event"][data-kind="link-up"]').count();
    await page.locator('[data-testid="nav-events"]').click();
    // The demo's first sync brought its link up once already.
    await waitFor(async () => (await linkUps()) > 0, { timeoutMs: 30_000, what: 'the demo link up' });
    const upsBefore = await linkUps();
    await page.locator('[data-testid="nav-demo"]').click();
    await page.locator('[data-testid="cut-seconds"]').fill('3');
    await page.locator('[data-testid="chaos-cut"]').click();
    await page.locator('[data-testid="nav-events"]').click();
    await waitFor(async () => (await page.locator('[data-testid="event"][data-kind="link-down"]').count()) > 0 && (await linkUps()) > upsBefore, { timeoutMs: 30_000, what: 'the link down, then up again' });
    // A couple of seconds of the healed link in the bundle too.
    await page.waitForTimeout(2000);
    await page.locator('[data-testid="export-range"]').selectOption('15');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-incident"]').click()]);
    const file = (await download.path())!;
    exported = { fileName: download.suggestedFilename(), path: file, json: await readFile(file, 'utf8') };
    expect(exported.fileName).toMatch(/^replscope-incident-Local_demo-.*\.json$/);
    const bundle = JSON.parse(exported.json) as { format: string; version: number; events: Array<{ kind: string; time: number }>; topology: unknown[] };
    expect(bundle).toMatchObject({ format: 'replscope-incident', version: 2 });
    expect(bundle.events.some((event) => event.kind === 'link-down')).toBe(true);
    expect(bundle.topology.length).toBeGreaterThan(1);
    // Oldest first, as the timeline happened (the log keeps them in the order they were reported).
    expect(bundle.events.map((event) => event.time)).toEqual(bundle.events.map((event) => event.time).sort((a, b) => a - b));
  });

  it('opens it read-only: the banner names the file, and nothing on screen can act on a node', async () => {
    await choose({ name: exported.fileName, mimeType: 'application/json', buffer: Buffer.from(exported.json) });
    await expect.poll(() => textOf('[data-testid="replay-banner"]'), { timeout: 15_000 }).toContain(`Replay of ${exported.fileName} — read-only`);
    expect(await textOf('[data-testid="replay-banner"]')).toMatch(/Local demo · demo · demo ·/);
    for (const selector of ['[data-testid^="nav-"]', '[data-testid^="session-"]', '[data-testid^="chaos-"]', '[data-testid^="control-"]', '[data-testid="export-incident"]', '[data-testid="alert-bell"]', '[data-testid="detail-panel"]']) {
      expect(await page.locator(selector).count(), selector).toBe(0);
    }
    // The replay opens on the end of the range: the link online again, every event on the timeline.
    await expect.poll(() => page.locator('.replication-edge.state-online').count(), { timeout: 10_000 }).toBe(1);
    const total = (JSON.parse(exported.json) as { events: unknown[] }).events.length;
    expect(await page.locator('[data-testid="replay-timeline"] [data-testid="event"]').count()).toBe(total);
    await session.shoot('replay-end');
  });

  it('the scrubber moves the graph, the timeline and the selected node to the link-down, and back', async () => {
    const bundle = JSON.parse(exported.json) as { range: { fromMs: number; toMs: number }; events: Array<{ kind: string; time: number }> };
    const linkDown = bundle.events.find((event) => event.kind === 'link-down')!;
    await page.locator('[data-testid="replay-start"]').click();
    const cursor = async (): Promise<number> => Number(await page.locator('[data-testid="replay-moment"]').getAttribute('data-cursor-ms'));
    await expect.poll(cursor).toBe(bundle.range.fromMs);
    const before = bundle.events.filter((event) => event.time <= bundle.range.fromMs).length;
    await expect.poll(() => page.locator('[data-testid="replay-timeline"] [data-testid="event"]').count()).toBe(before);
    // Next event until the link-down: the edge shows the link down at that moment.
    await waitFor(async () => {
      const before = await cursor();
      await page.locator('[data-testid="replay-next-event"]').click();
      // One click, one event: the cursor is read again only once it has moved (a loaded page updates late).
      await expect.poll(cursor).not.toBe(before);
      return (await cursor()) >= linkDown.time;
    }, { timeoutMs: 30_000, what: 'the scrubber at the link-down' });
    expect(await cursor()).toBe(linkDown.time);
    expect(await page.locator('[data-testid="replay-timeline"] [data-testid="event"]').first().getAttribute('data-kind')).toBe('link-down');
    // The engine reports the link-down at once; the console's poll saw it down within a poll (1 s) after:
    // stepping on a second at a time, the graph shows the link down while the 3 s cut lasts.
    const settle = (): Promise<unknown> => page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await settle();
    for (let step = 0; step < 3 && (await page.locator('.replication-edge.state-down').count()) === 0; step++) {
      const before = await cursor();
      await page.locator('[data-testid="replay-forward"]').click();
      await expect.poll(cursor).not.toBe(before);
      await settle();
    }
    await expect.poll(() => page.locator('.replication-edge.state-down').count(), { timeout: 5000 }).toBe(1);
    expect(await cursor()).toBeLessThan(linkDown.time + 3000);
    // The replica, selected, is described as of that moment (its link down).
    await page.locator('[data-testid^="topology-node-"].role-replica button').first().click();
    await expect.poll(() => textOf('[data-testid="replay-selection"]')).toMatch(/down/);
    await session.shoot('replay-link-down');
    await page.locator('[data-testid="replay-end"]').click();
    await expect.poll(() => page.locator('.replication-edge.state-online').count()).toBe(1);
    expect(await page.locator('[data-testid="replay-timeline"] [data-testid="event"]').count()).toBe(bundle.events.length);
  });

  it('Close replay goes back to the live console', async () => {
    await page.locator('[data-testid="replay-close"]').click();
    await expect.poll(() => page.locator('[data-testid="nav-events"]').count()).toBe(1);
    expect(await page.locator('[data-testid="replay-view"]').count()).toBe(0);
    await page.locator('[data-testid="nav-topology"]').click();
    await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 15_000 }).toBe(2);
  });

  it('refuses files that are not bundles, saying why, and the live view stays', async () => {
    await page.locator('[data-testid="nav-events"]').click();
    const notices = async (): Promise<string> => (await page.locator('[data-testid="notice"]').allTextContents()).join(' | ');
    await choose({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('these are my notes') });
    await expect.poll(notices, { timeout: 10_000 }).toContain('notes.json is not a Replscope incident bundle: it is not JSON');
    await choose({ name: 'package.json', mimeType: 'application/json', buffer: Buffer.from('{"name":"x","version":"1.0.0"}') });
    await expect.poll(notices, { timeout: 10_000 }).toContain('package.json is not a Replscope incident bundle (it has no "format": "replscope-incident")');
    await choose({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(6 * 1024 * 1024, 0x20) });
    await expect.poll(notices, { timeout: 10_000 }).toContain('huge.json is 6.0 MB: an incident bundle may have at most 5 MB');
    expect(await page.locator('[data-testid="replay-view"]').count()).toBe(0);
    expect(await page.locator('[data-testid="nav-events"]').count()).toBe(1);
    // The socket survived every refusal: the live timeline still answers.
    await page.locator('[data-testid="nav-topology"]').click();
    await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 15_000 }).toBe(2);
  });

  it('logged no error and no CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
