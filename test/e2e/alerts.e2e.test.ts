/**
 * Alerts as the user sees them, in real Chromium on the real web mode (the
 * embedded demo with its load generator): Settings → Alert rules refuses an
 * out-of-range value next to the rules and saves a valid one; Cut link for
 * 5 s with the Link down rule at 1 s rings the bell once (one unread, one
 * browser notification through the page's real Notification API, granted
 * to the page), the list shows it firing then cleared; Acknowledge empties
 * the count; Silence is confirmed; Silence on all nodes is listed under
 * Silenced and covers the next cut (listed silenced, not notified) once the
 * one-node silence is lifted. No error or CSP violation on the page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';
import { waitForDemoTopology } from '../support/demo-session';

let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  session = await openConsoleSession({ name: 'alerts' });
  page = session.page;
  await page.context().grantPermissions(['notifications'], { origin: session.process.url.origin });
  // Count what the page hands to the browser's Notification API (the real one is still called).
  await page.evaluate(`(() => {
    const real = window.Notification;
    window.shownNotifications = [];
    window.Notification = new Proxy(real, {
      construct(target, args) {
        window.shownNotifications.push(args[0]);
        return Reflect.construct(target, args);
      },
    });
  })()`);
  await waitForDemoTopology(page);
}, 150_000);

afterAll(async () => {
  await session?.close();
});

const shownNotifications = (): Promise<string[]> => page.evaluate('[...window.shownNotifications]');

describe('alerts in the console', () => {
  it('Settings → Alert rules: an out-of-range value is refused in words before saving; a valid one is saved', async () => {
    await page.locator('[data-testid="nav-settings"]').click();
    const form = page.locator('[data-testid="alert-rules"]');
    await expect.poll(() => form.locator('[data-testid="rule-linkDown-for"]').count(), { timeout: 10_000 }).toBe(1);
    await form.locator('[data-testid="rule-linkDown-for"]').fill('-1');
    await expect.poll(async () => (await form.locator('[data-testid="alert-rules-errors"]').textContent()) ?? '').toContain('Link down: its "for more than" time must be at least 0.');
    expect(await form.locator('[data-testid="alert-rules-save"]').isDisabled()).toBe(true);
    await form.locator('[data-testid="rule-linkDown-for"]').fill('1');
    expect(await form.locator('[data-testid="alert-rules-errors"]').count()).toBe(0);
    await form.locator('[data-testid="alert-rules-save"]').click();
    await expect.poll(async () => (await page.locator('[data-testid="notice"]').allTextContents()).join(' ')).toContain('Alert rules saved');
    await session.shoot('alert-rules');
  });

  it('Cut link for 5 s: the bell counts one unread alert, one browser notification, the list shows it firing then cleared', async () => {
    expect(await page.locator('[data-testid="alert-unread"]').count()).toBe(0); // the demo's first full syncs are no alerts
    await page.locator('[data-testid="nav-demo"]').click();
    await page.locator('[data-testid="cut-seconds"]').fill('5');
    await page.locator('[data-testid="chaos-cut"]').click();
    await expect.poll(async () => (await page.locator('[data-testid="alert-unread"]').textContent()) ?? '', { timeout: 20_000 }).toBe('1');
    // The badge stays inside the bell (the layout check would count it as overflow).
    expect(await page.evaluate(`(() => { const bell = document.querySelector('[data-testid="alert-bell"]'); return bell.scrollWidth - bell.clientWidth; })()`)).toBeLessThanOrEqual(1);
    await page.locator('[data-testid="alert-bell"]').click();
    const alert = page.locator('[data-testid="alert"][data-rule="link-down"]');
    expect(await alert.count()).toBe(1);
    expect(await alert.textContent()).toMatch(/Link down.*Local demo.*The link from .* to its master/s);
    await session.shoot('alerts-firing');
    await expect.poll(async () => (await alert.locator('[data-testid="alert-state"]').textContent()) ?? '', { timeout: 30_000 }).toMatch(/^cleared /);
    expect(await page.locator('[data-testid="alert"]').count()).toBe(1);
    expect(await shownNotifications()).toEqual(['Link down · Local demo']);
  });

  it('Acknowledge empties the count; Silence is confirmed', async () => {
    const alert = page.locator('[data-testid="alert"][data-rule="link-down"]');
    await alert.locator('[data-testid="alert-ack"]').click();
    await expect.poll(() => page.locator('[data-testid="alert-unread"]').count()).toBe(0);
    expect(await alert.textContent()).toContain('acknowledged');
    await alert.locator('[data-testid="alert-silence-for"]').selectOption('240');
    await alert.locator('[data-testid="alert-silence"]').click();
    await expect.poll(async () => (await page.locator('[data-testid="notice"]').allTextContents()).join(' ')).toMatch(/Silenced.*Link down on .* for 4 h/);
    await page.keyboard.press('Escape');
  });

  it('Silence on all nodes: listed under Silenced next to the one-node silence, which Lift ends; the next Link down is silenced, not notified', async () => {
    await page.locator('[data-testid="alert-bell"]').click();
    const alert = page.locator('[data-testid="alert"][data-rule="link-down"]');
    const running = page.locator('[data-testid="alert-silence-running"]');
    // The one-node silence of the test before, for 4 h.
    await expect.poll(() => running.count(), { timeout: 10_000 }).toBe(1);
    expect(await running.first().textContent()).toMatch(/^Link down on 127\.0\.0\.1:\d+ · Local demo\s*until /);
    await alert.locator('[data-testid="alert-silence-scope"]').selectOption('all');
    await alert.locator('[data-testid="alert-silence"]').click();
    await expect.poll(async () => (await page.locator('[data-testid="notice"]').allTextContents()).join(' ')).toContain('Link down on all nodes of Local demo for 1 h');
    await expect.poll(() => running.count()).toBe(2);
    const lines = await running.allTextContents();
    expect(lines.filter((line) => line.startsWith('Link down on all nodes · Local demo'))).toHaveLength(1);
    await session.shoot('alert-silences');
    // Lift the one-node silence: only the all-nodes one is left to cover the next cut.
    await running.filter({ hasText: /Link down on 127/ }).locator('[data-testid="alert-silence-lift"]').click();
    await expect.poll(() => running.count()).toBe(1);
    expect(await running.first().textContent()).toContain('Link down on all nodes');
    // Lift's button is gone with its line (focus left the list): close it with its own button.
    await page.getByRole('button', { name: 'Close the alert list' }).click();
    await expect.poll(() => page.locator('[data-testid="alert-panel"]').count()).toBe(0);

    await page.locator('[data-testid="nav-demo"]').click();
    await page.locator('[data-testid="cut-seconds"]').fill('5');
    await page.locator('[data-testid="chaos-cut"]').click();
    await page.locator('[data-testid="alert-bell"]').click();
    await expect.poll(() => alert.count(), { timeout: 20_000 }).toBe(2);
    expect(await alert.first().locator('[data-testid="alert-state"]').textContent()).toBe('firing · silenced');
    expect(await page.locator('[data-testid="alert-unread"]').count()).toBe(0);
    expect(await shownNotifications()).toEqual(['Link down · Local demo']);
    await page.keyboard.press('Escape');
  });

  it('logged no error and no CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
