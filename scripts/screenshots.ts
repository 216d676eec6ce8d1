/**
 * `npm run screenshots`: regenerates the screenshots in docs/ from the
 * current UI, the way the README's walkthrough and "Attaching to staging"
 * go: web mode (`scripts/start.mjs --web`, which rebuilds the renderer when
 * its sources changed) on the embedded demo, a real Sentinel deployment
 * (redis-server master and replica, three redis-sentinel) on free loopback
 * ports, Debian's Chromium at 1440×900 in the light theme.
 *
 *   docs/screenshot.png      the demo's graph: offsets, write rate, the link's lag and ACK age
 *   docs/backlog.png         the master's Backlog tab: window, replica marker, recommended size
 *   docs/tap.png             the master's Tap tab streaming: rates, backlog fill, breakdowns, recent commands
 *   docs/events.png          Events after Demo → Chaos → Cut link: Link down, Partial resync
 *   docs/alerts.png          the bell's list after Cut link for 4 s with Settings → Alert rules' Link down at 1 s
 *   docs/preflight.png       Controls → Disconnect link on the replica: the preflight card
 *   docs/new-connection.png  New connection for the Sentinels, a mistyped group name explained
 *   docs/sentinel.png        the Sentinel deployment attached: the group's frame, quorum
 *   docs/sentinels.png       its Sentinels view: one row per Sentinel, the notices heard
 *   docs/fleet.png           Fleet: the demo and the Sentinel deployment side by side
 *   docs/node-facts.png      the demo master's Facts tab: slow log, latency, replica connections, its log
 *   docs/replay.png          the demo's incident bundle replayed read-only, the scrubber on the 4 s cut's link-down
 *
 * Every step waits for what it shows and fails naming the step, so a UI
 * change that breaks the walkthrough breaks this script too. Rerun it after
 * any change to the views (it takes about a minute); it writes nothing else
 * and stops every process it started.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { stopAllRedisServers } from '../test/support/redis-server';
import { startSentinelGroup } from '../test/support/sentinel-group';
import { waitFor } from '../test/support/wait';
import { launchChromium, startWebConsole, type WebConsoleProcess } from '../test/support/web-console';

const root = path.resolve(import.meta.dirname, '..');
const docs = path.join(root, 'docs');
const VIEWPORT = { width: 1440, height: 900 };
const GROUP = 'payments';

let page: Page;

async function step(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  try {
    await run();
  } catch (failure) {
    throw new Error(`screenshots: step "${name}" failed: ${failure instanceof Error ? failure.message : String(failure)}`);
  }
  process.stdout.write(`  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

const visible = async (selector: string): Promise<boolean> => (await page.locator(selector).count()) > 0;
const textOf = async (selector: string): Promise<string> => ((await visible(selector)) ? ((await page.locator(selector).first().textContent()) ?? '') : '');

async function shoot(file: string): Promise<void> {
  // Notifications of the steps before ("Profile saved", "Chaos") and a hovered or focused button are not the subject.
  for (const dismiss of await page.locator('[data-testid="notice"] button').all()) await dismiss.click();
  await page.mouse.move(1, VIEWPORT.height - 1);
  await page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
  // Let charts, fonts and the last poll settle before the picture.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(docs, file) });
}

async function go(view: 'topology' | 'events' | 'demo' | 'connections' | 'sentinels' | 'settings' | 'fleet'): Promise<void> {
  await page.locator(`[data-testid="nav-${view}"]`).click();
}

async function masterOffset(): Promise<number> {
  const text = await textOf('[data-testid^="topology-node-"].role-master');
  return Number(/off\s*([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
}

async function main(): Promise<void> {
  mkdirSync(docs, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-screenshots-'));
  let consoleProcess: WebConsoleProcess | null = null;
  let browser: Browser | null = null;
  try {
    process.stdout.write('Starting a Sentinel deployment and the console in web mode...\n');
    const group = await startSentinelGroup({ name: GROUP });
    consoleProcess = await startWebConsole(['scripts/start.mjs', '--web', '--data-dir', dataDir], { timeoutMs: 120_000 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light' });
    await page.goto(consoleProcess.url.href);

    await step('the demo graph with live offsets (screenshot.png)', async () => {
      await waitFor(async () => (await page.locator('[data-testid^="topology-node-"]').count()) === 2 && (await page.locator('[data-testid^="topology-link-"]').count()) === 1, { timeoutMs: 30_000, what: 'the demo master, replica and link' });
      const before = await masterOffset();
      await waitFor(async () => (await masterOffset()) > before, { timeoutMs: 15_000, what: 'the master offset to move' });
      await shoot('screenshot.png');
    });

    await step('the master\'s Backlog tab (backlog.png)', async () => {
      await page.locator('[data-testid^="topology-node-"].role-master button').first().click();
      await page.locator('[data-testid="detail-panel"]').getByRole('tab', { name: 'Backlog', exact: true }).click();
      await waitFor(() => visible('[data-testid^="backlog-marker-"]'), { what: 'the replica marker in the backlog window' });
      await waitFor(() => visible('[data-testid="recommended-backlog"]'), { what: 'the recommended backlog size' });
      await shoot('backlog.png');
    });

    await step('the master\'s Tap tab, streaming (tap.png)', async () => {
      await page.locator('[data-testid="detail-panel"]').getByRole('tab', { name: 'Tap', exact: true }).click();
      await page.locator('[data-testid="tap-check"]').click();
      await waitFor(() => visible('[data-testid="tap-start"]'), { what: 'the tap preflight' });
      await page.locator('[data-testid="tap-depth"]').fill('2');
      await page.locator('[data-testid="tap-start"]').click();
      await waitFor(async () => /demo:\w+:/.test(await textOf('[data-testid="tap-by-prefix"]')) && (await page.locator('[data-testid="tap-samples"] li').count()) >= 5, { timeoutMs: 20_000, what: 'the tap streaming with prefixes and samples' });
      // A few seconds of stream, so the rates cover more than the first second.
      await page.waitForTimeout(3000);
      await shoot('tap.png');
      await page.locator('[data-testid="tap-stop"]').click();
      await waitFor(async () => (await textOf('[data-testid="tap-state"]')) === 'stopped', { what: 'the tap stopped' });
    });

    await step('Events after Demo → Chaos → Cut link (events.png)', async () => {
      await go('demo');
      await page.locator('[data-testid="cut-seconds"]').fill('2');
      await page.getByRole('button', { name: 'Cut link', exact: true }).click();
      await go('events');
      await waitFor(async () => /Partial resync/.test(await textOf('[data-testid="event-timeline"]')), { timeoutMs: 30_000, what: 'a Partial resync event' });
      await shoot('events.png');
    });

    await step('Alert rules: Link down at 1 s, Cut link for 4 s, the bell\'s list (alerts.png)', async () => {
      await go('settings');
      await page.locator('[data-testid="rule-linkDown-for"]').fill('1');
      await page.locator('[data-testid="alert-rules-save"]').click();
      await go('demo');
      await page.locator('[data-testid="cut-seconds"]').fill('4');
      await page.getByRole('button', { name: 'Cut link', exact: true }).click();
      await waitFor(async () => (await textOf('[data-testid="alert-unread"]')) === '1', { timeoutMs: 20_000, what: 'the bell counting the Link down alert' });
      await page.locator('[data-testid="alert-bell"]').click();
      await waitFor(async () => /^cleared /.test(await textOf('[data-testid="alert-state"]')), { timeoutMs: 30_000, what: 'the alert cleared when the link healed' });
      await shoot('alerts.png');
      await page.locator('[data-testid="alert-ack-all"]').click();
      await page.locator('button[aria-label="Close the alert list"]').click();
    });

    await step('Controls → Disconnect link: the preflight (preflight.png)', async () => {
      await go('topology');
      await page.locator('[data-testid^="topology-node-"].role-replica button').first().click();
      await page.locator('[data-testid="detail-panel"]').getByRole('tab', { name: 'Controls', exact: true }).click();
      await page.locator('[data-testid="control-disconnect-link"] button').first().click();
      await waitFor(async () => /partial/i.test(await textOf('[data-testid="preflight-prediction"]')), { timeoutMs: 15_000, what: 'the preflight prediction' });
      await shoot('preflight.png');
      await page.keyboard.press('Escape');
      await page.locator('button[aria-label="Close details"]').click();
    });

    await step('New connection for the Sentinels, a mistyped group name (new-connection.png)', async () => {
      await go('connections');
      await page.getByRole('button', { name: 'New connection', exact: true }).click();
      await page.locator('[data-testid="profile-name"]').fill('staging payments');
      await page.locator('[data-testid="profile-kind"]').selectOption('sentinel');
      await page.locator('[data-testid="profile-environment"]').selectOption('staging');
      await page.locator('[data-testid="profile-seeds"]').fill(group.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join('\n'));
      await page.locator('[data-testid="profile-sentinel-master"]').fill(GROUP.slice(0, -1));
      await page.getByRole('button', { name: 'Test connection', exact: true }).click();
      await waitFor(() => visible('[data-testid="profile-sentinelMasterName-note"]'), { timeoutMs: 15_000, what: 'the group name explained next to its field' });
      await shoot('new-connection.png');
    });

    await step('the Sentinel deployment attached (sentinel.png)', async () => {
      await page.locator('[data-testid="profile-sentinel-master"]').fill(GROUP);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.locator('[data-testid="profile-staging payments"] [data-testid="profile-connect"]').click();
      await waitFor(async () => (await page.locator('.group-frame.kind-sentinel').count()) === 1 && (await page.locator('[data-testid^="topology-node-"]').count()) === 2, { timeoutMs: 30_000, what: 'the Sentinel group with its master and replica' });
      await waitFor(async () => /quorum OK/.test(await textOf('.group-frame.kind-sentinel')), { timeoutMs: 15_000, what: 'the quorum checked' });
      await page.getByRole('button', { name: 'Fit to view', exact: true }).click();
      await shoot('sentinel.png');
    });

    await step('its Sentinels view (sentinels.png)', async () => {
      await go('sentinels');
      await waitFor(async () => (await page.locator('.sentinels-view tbody tr').count()) === group.sentinels.length, { timeoutMs: 15_000, what: 'one row per Sentinel' });
      await shoot('sentinels.png');
    });

    await step('Fleet: both deployments side by side (fleet.png)', async () => {
      await go('fleet');
      await waitFor(async () => (await page.locator('[data-testid^="fleet-row-"]').count()) === 2 && !(await textOf('[data-testid="fleet-row-Local demo"] [data-testid="fleet-lag"]')).includes('—'), { timeoutMs: 15_000, what: 'two tiles with figures' });
      await shoot('fleet.png');
    });

    await step("the demo master's Facts tab (node-facts.png)", async () => {
      await page.locator('[data-testid="fleet-open-Local demo"]').click();
      await page.locator('[data-testid^="topology-node-"].role-master button').first().click();
      await page.locator('[data-testid="detail-panel"]').getByRole('tab', { name: 'Facts', exact: true }).click();
      await waitFor(() => visible('[data-testid="facts-log"]'), { timeoutMs: 15_000, what: "the master's facts and log" });
      await shoot('node-facts.png');
    });

    await step('the demo\'s incident bundle, replayed at the 4 s cut (replay.png)', async () => {
      await go('events');
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-incident"]').click()]);
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-testid="open-incident"]').first().click()]);
      // The download's own name, as the user's browser saves it (its temporary path is a random id).
      await chooser.setFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: await readFile((await download.path())!) });
      await waitFor(() => visible('[data-testid="replay-banner"]'), { timeoutMs: 15_000, what: 'the replay banner' });
      // Back from the end to the last link-down (the 4 s cut of the alerts step), then on until the poll saw it down.
      const firstEvent = (): Promise<string | null> => page.locator('[data-testid="replay-timeline"] [data-testid="event"]').first().getAttribute('data-kind');
      await waitFor(async () => {
        if ((await firstEvent()) === 'link-down') return true;
        await page.locator('[data-testid="replay-previous-event"]').click();
        return false;
      }, { timeoutMs: 20_000, what: 'the scrubber on the last link-down' });
      await waitFor(async () => {
        if (await visible('.replication-edge.state-down')) return true;
        await page.locator('[data-testid="replay-forward"]').click();
        return false;
      }, { timeoutMs: 10_000, what: 'the link shown down' });
      await shoot('replay.png');
      await page.locator('[data-testid="replay-close"]').click();
    });
    process.stdout.write(`Screenshots written to ${path.relative(root, docs)}/\n`);
  } finally {
    await browser?.close();
    await consoleProcess?.stop();
    await stopAllRedisServers();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((failure: unknown) => {
  process.stderr.write(`${failure instanceof Error ? failure.message : String(failure)}\n`);
  process.exit(1);
});
