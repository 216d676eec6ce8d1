/**
 * The console in real Chromium against the real console service in web mode
 * (`npm run web`: the embedded demo with its load generator): the topology
 * draws the master and the replica with live offsets, clicking a node opens
 * its detail, the backlog window marks the replica, cutting the link from the
 * demo panel shows the disconnect and an exact partial resync in the events
 * timeline, a control's preflight shows its prediction, keyboard navigation
 * works, and the page logs no error and no CSP violation. Without the token
 * the page is refused. (The README's screenshots come from `npm run
 * screenshots`, scripts/screenshots.ts.)
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';
import { command, info } from '../support/replication';

let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  session = await openConsoleSession({ name: 'console' });
  page = session.page;
}, 120_000);

afterAll(async () => {
  await session?.close();
});

async function masterOffset(): Promise<number> {
  const text = (await page.locator('[data-testid^="topology-node-"]').first().textContent()) ?? '';
  return Number(/off\s*([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
}

describe('the console in Chromium on the embedded demo', () => {
  it('draws the master and the replica with live offsets', async () => {
    const nodes = page.locator('[data-testid^="topology-node-"]');
    await expect.poll(() => nodes.count(), { timeout: 20_000 }).toBe(2);
    const text = (await page.locator('[data-testid="topology-graph"]').textContent()) ?? '';
    expect(text).toMatch(/master/i);
    expect(text).toMatch(/replica/i);
    await expect.poll(() => page.locator('[data-testid^="topology-link-"]').count(), { timeout: 10_000 }).toBe(1);
    const before = await masterOffset();
    await expect.poll(masterOffset, { timeout: 15_000 }).toBeGreaterThan(before);
    await session.shoot('topology');
  });

  it('opens a node detail with the backlog window and the replica marked in it', async () => {
    await page.locator('[data-testid^="topology-node-"] button').first().click();
    const panel = page.locator('[data-testid="detail-panel"]');
    await expect.poll(() => panel.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await panel.textContent()) ?? '').toMatch(/master_repl_offset/);
    await panel.getByText('Backlog', { exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="backlog-window"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid^="backlog-marker-"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await session.shoot('backlog-window');
  });

  it('clicking the line of a link (not its label) opens the link detail', async () => {
    const line = page.locator('.replication-edge .edge-line').first();
    // A point on the curve near the master end, away from the label in the middle.
    // (Structural type: the test's tsconfig has no DOM library.)
    type PathElement = { getTotalLength(): number; getPointAtLength(length: number): { x: number; y: number }; getScreenCTM(): { a: number; d: number; e: number; f: number } };
    const point = await line.evaluate((element) => {
      const path = element as unknown as PathElement;
      const at = path.getPointAtLength(path.getTotalLength() * 0.15);
      const matrix = path.getScreenCTM();
      return { x: at.x * matrix.a + matrix.e, y: at.y * matrix.d + matrix.f };
    });
    await page.mouse.click(point.x, point.y);
    await expect.poll(async () => (await page.locator('#detail-heading').textContent()) ?? '', { timeout: 10_000 }).toMatch(/^Link /);
  });

  it('disconnecting the replica link: the preflight predicts a partial resync and the run observes one', async () => {
    await page.locator('[data-testid^="topology-node-"] button').nth(1).click();
    const panel = page.locator('[data-testid="detail-panel"]');
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 10_000 }).toMatch(/replica/i);
    await panel.getByText('Controls', { exact: true }).click();
    await page.locator('[data-testid="control-disconnect-link"] button').first().click();
    await expect.poll(() => page.locator('[data-testid="action-dialog"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await page.locator('[data-testid="preflight-prediction"]').textContent()) ?? '', { timeout: 10_000 }).toMatch(/partial/i);
    // Run it: the outcome is observed (counters before/after), not "command sent".
    await page.locator('[data-testid="run-action"]').click();
    await expect.poll(async () => (await page.locator('[data-testid="action-result"]').textContent()) ?? '', { timeout: 20_000 }).toMatch(/partial/i);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="action-dialog"]').count(), { timeout: 5_000 }).toBe(0);
    // The timeline puts the link-down down to this console's action, with who and when (not "network" or "cause unknown").
    await page.keyboard.press('Alt+2');
    const linkDown = page.locator('[data-testid="event"][data-kind="link-down"]').first();
    await expect.poll(async () => (await linkDown.count()) > 0 ? ((await linkDown.textContent()) ?? '') : '', { timeout: 10_000 }).toMatch(/this console's Disconnect link \(master side: CLIENT KILL ADDR … TYPE replica on 127\.0\.0\.1:\d+\), run at \d{4}-\d\d-\d\dT[\d:.]+Z by the ACL user "default"/);
    expect(await linkDown.textContent()).toContain('operator action');
    expect(await linkDown.textContent()).not.toMatch(/cause unknown|network/);
  });

  it('cutting the link from the demo panel shows the drop and an exact partial resync', async () => {
    await page.keyboard.press('Alt+3');
    await expect.poll(() => page.locator('[data-testid="chaos-cut"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.locator('[data-testid="cut-seconds"]').fill('0.5');
    await page.locator('[data-testid="chaos-cut"]').click();
    await page.keyboard.press('Alt+2');
    const timeline = page.locator('[data-testid="event-timeline"]');
    // Newest first: the partial resync this cut causes is listed above the
    // chaos event (the previous test's resync is below it).
    const sinceChaos = async (): Promise<string> => {
      const text = (await timeline.textContent()) ?? '';
      const chaosAt = text.search(/chaos/i);
      return chaosAt < 0 ? '' : text.slice(0, chaosAt);
    };
    await expect.poll(sinceChaos, { timeout: 20_000 }).toMatch(/partial resync(?! refused)/i);
    expect((await timeline.textContent()) ?? '').toMatch(/link .* down|link-down|disconnect/i);
  });

  it('shrinking the backlog and cutting the link long enough gives a full resync caused by out-of-backlog', async () => {
    await page.keyboard.press('Alt+3');
    await page.locator('[data-testid="shrink-size"]').fill('16kb');
    await page.locator('[data-testid="chaos-shrink"]').click();
    await page.locator('[data-testid="cut-seconds"]').fill('3');
    await page.locator('[data-testid="chaos-cut"]').click();
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.locator('[data-testid="cause-out-of-backlog"]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const timeline = (await page.locator('[data-testid="event-timeline"]').textContent()) ?? '';
    expect(timeline).toMatch(/full/i);
    await session.shoot('events');
  });

  it('bad values in the demo forms are refused in words, and the demo keeps what it had', async () => {
    await page.keyboard.press('Alt+3');
    const masterPort = Number((await page.locator('[data-testid="demo-nodes"] tbody tr').first().locator('td').nth(2).textContent())?.trim());
    const backlogBefore = await command({ port: masterPort }, 'CONFIG', 'GET', 'repl-backlog-size');
    const rateBefore = await page.locator('[data-testid="load-rate"]').inputValue();
    for (const [value, reason] of [['-5', 'Writes per second: a number from 1 to 200,000.'], ['1000000000', 'Writes per second: a number from 1 to 200,000.'], ['', 'Writes per second: a number from 1 to 200,000.']] as const) {
      await page.locator('[data-testid="load-rate"]').fill(value);
      await expect.poll(() => page.locator('[data-testid="load-problem"]').textContent(), { timeout: 5_000 }).toBe(reason);
      expect(await page.locator('[data-testid="load-apply"]').isDisabled()).toBe(true);
    }
    await page.locator('[data-testid="load-rate"]').fill(rateBefore);
    await expect.poll(() => page.locator('[data-testid="load-problem"]').count(), { timeout: 5_000 }).toBe(0);
    for (const [value, reason] of [['abc', 'A size such as 16kb or 4mb.'], ['1kb', 'At least 16kb: Redis raises a smaller repl-backlog-size to 16kb.']] as const) {
      await page.locator('[data-testid="shrink-size"]').fill(value);
      await expect.poll(() => page.locator('[data-testid="shrink-problem"]').textContent(), { timeout: 5_000 }).toBe(reason);
      expect(await page.locator('[data-testid="chaos-shrink"]').isDisabled()).toBe(true);
    }
    await page.locator('[data-testid="shrink-size"]').fill('16kb');
    // The nodes' truth: nothing reached them, and the load generator still writes.
    expect(await command({ port: masterPort }, 'CONFIG', 'GET', 'repl-backlog-size')).toEqual(backlogBefore);
    const offset = async (): Promise<number> => Number((await info({ port: masterPort }, 'replication')).get('master_repl_offset'));
    const offsetBefore = await offset();
    await expect.poll(offset, { timeout: 10_000 }).toBeGreaterThan(offsetBefore);
  });

  it('a number the service refuses comes back as its field and allowed range, not as zod text', async () => {
    const noticeText = async (): Promise<string> => (await page.locator('[data-testid="notice"]').allTextContents()).join(' | ');
    await page.keyboard.press('Alt+3');
    await expect.poll(() => page.locator('[data-testid="latency-ms"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // The chaos latency field: 20000 ms is past the ChaosSpec's 10000.
    await page.locator('[data-testid="latency-ms"]').fill('20000');
    await page.locator('[data-testid="chaos-latency"]').click();
    await expect.poll(noticeText, { timeout: 10_000 }).toContain('Latency (ms) must be from 0 to 10000 (a whole number); 20000 was given.');
    expect(await noticeText()).not.toMatch(/invalid payload|Too big/);
    await page.locator('[data-testid="latency-ms"]').fill('200');
    // Set backlog size on the master: 100gb is past the action schema's 64 GiB.
    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid^="topology-node-"].role-master button').first().click();
    const panel = page.locator('[data-testid="detail-panel"]');
    await expect.poll(() => panel.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await panel.getByText('Controls', { exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="backlog-size-input"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const masterPort = Number(/:(\d+)$/.exec(((await page.locator('[data-testid^="topology-node-"].role-master').first().getAttribute('data-testid')) ?? ''))?.[1]);
    const backlogBefore = await command({ port: masterPort }, 'CONFIG', 'GET', 'repl-backlog-size');
    await page.locator('[data-testid="backlog-size-input"]').fill('100gb');
    await page.locator('[data-testid="control-set-backlog-size"] button').first().click();
    await expect.poll(async () => (await page.locator('[data-testid="action-error"]').textContent()) ?? '', { timeout: 10_000 }).toContain('Backlog size must be from 16 KiB to 64 GiB (a whole number of bytes); 100 GiB was given.');
    expect(((await page.locator('[data-testid="action-error"]').textContent()) ?? '').trim()).toBe('Request refused: Backlog size must be from 16 KiB to 64 GiB (a whole number of bytes); 100 GiB was given.');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="action-dialog"]').count(), { timeout: 5_000 }).toBe(0);
    // The validation stayed strict: nothing reached the master.
    expect(await command({ port: masterPort }, 'CONFIG', 'GET', 'repl-backlog-size')).toEqual(backlogBefore);
  });

  it('a monitor-only profile on the same nodes cannot act: controls are disabled with the reason', async () => {
    await page.keyboard.press('Alt+1');
    const masterId = ((await page.locator('[data-testid^="topology-node-"].role-master').first().getAttribute('data-testid')) ?? '').replace('topology-node-', '');
    expect(masterId).toMatch(/^127\.0\.0\.1:\d+$/);
    await page.keyboard.press('Alt+4');
    await page.locator('[data-testid="new-profile"]').click();
    await page.locator('[data-testid="profile-name"]').fill('watch-only');
    await page.locator('[data-testid="profile-seeds"]').fill(masterId);
    await page.locator('[data-testid="profile-safety"]').selectOption('monitor-only');
    await page.locator('[data-testid="profile-save"]').click();
    await page.locator('[data-testid="profile-watch-only"] [data-testid="profile-connect"]').click();
    await session.shoot('connections');
    await page.locator('[data-testid="session-watch-only"]').click();
    await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 20_000 }).toBe(2);
    await page.locator('[data-testid^="topology-node-"] button').nth(1).click();
    await page.locator('[data-testid="detail-panel"]').getByText('Controls', { exact: true }).click();
    const reasons = page.locator('[data-testid="disabled-reason"]');
    await expect.poll(() => reasons.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await reasons.first().textContent()) ?? '').toMatch(/monitor-only/i);
    expect(await page.locator('[data-testid="control-disconnect-link"] button').first().isDisabled()).toBe(true);
    await session.shoot('controls-monitor-only');
  });

  it('logged no error and no CSP violation', () => {
    expect(session.problems).toEqual([]);
  });

  it('refuses the page without its token', async () => {
    const bare = await session.browser.newPage();
    const response = await bare.goto(session.process.url.href.replace(/\?token=.*/, ''));
    expect(response?.status()).toBe(401);
    expect(await bare.textContent('body')).toMatch(/token/);
    await bare.close();
  });
});
