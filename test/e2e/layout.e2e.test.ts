/**
 * Layout in real Chromium against web mode: no element of the main views
 * overflows its box (test/support/overflow.ts says what counts) at 1280×800
 * and 1440×900, in the light and the dark theme, on the embedded demo, on a
 * real Sentinel deployment (redis-server master and replica, three
 * redis-sentinel) and on profiles with long names (words, and one long
 * unbroken token); and the graph refits when the detail panel opens and
 * closes instead of hiding half of itself behind it.
 *
 * The views are walked the way a user does: the sidebar's sessions, Graph
 * and Table, a master's and a replica's detail tabs (Facts included),
 * Events, Sentinels, Fleet, Demo,
 * Connections with its form (Sentinel kind, TLS and SSH open), Settings.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOverflows, findOverflows, type OverflowAllowance } from '../support/overflow';
import { stopAllRedisServers } from '../support/redis-server';
import { startSentinelGroup, type SentinelGroup } from '../support/sentinel-group';
import { waitFor } from '../support/wait';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';


/** A profile name with words (wraps) and one that is a single token (cannot wrap). */
const SENTINEL_PROFILE = 'Staging Sentinel eu-west-1 payments-cache primary replication group (blue)';
const TOKEN_PROFILE = 'staging-eu-central-1-checkout-sessions-cache-primary-replication-group-green';
const GROUP_NAME = 'payments-cache-eu-west-1-primary-replication-group';

/**
 * What may overflow by design, and why. Anything else that overflows fails
 * the run (ellipsis with the full text in a title is accepted by the scan).
 */
const ALLOWANCES: readonly OverflowAllowance[] = [
  { selector: '.visually-hidden', reason: 'text for screen readers only: clipped to 1 px on purpose' },
  { selector: 'input:not([type]), input[type="text"], input[type="password"], input[type="number"]', reason: 'a text field scrolls its value sideways as it is typed (a placeholder that does not fit is still reported)' },
  {
    selector: '.vue-flow, .vue-flow__viewport, .vue-flow__pane, .vue-flow__transformationpane',
    reason: 'the graph canvas pans and zooms: what lies outside the pane is reached by panning or "Fit to view" (the refit test checks the fitted graph is in view); every card on it is scanned itself',
  },
];

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
] as const;
const THEMES = ['light', 'dark'] as const;

let group: SentinelGroup;
let session: ConsoleSession;
let page: Page;

/** Two animation frames and a beat: layout, fonts and charts have settled. */
async function settle(): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  await page.waitForTimeout(120);
}

async function go(view: 'topology' | 'events' | 'demo' | 'connections' | 'settings' | 'sentinels' | 'fleet'): Promise<void> {
  await page.locator(`[data-testid="nav-${view}"]`).click();
}

async function fillProfile(name: string, kind: 'standalone' | 'sentinel', seeds: string, masterName?: string): Promise<void> {
  await go('connections');
  await page.locator('[data-testid="new-profile"]').click();
  await page.locator('[data-testid="profile-name"]').fill(name);
  await page.locator('[data-testid="profile-kind"]').selectOption(kind);
  await page.locator('[data-testid="profile-seeds"]').fill(seeds);
  if (masterName !== undefined) await page.getByLabel('Master group name').fill(masterName);
  await page.locator('[data-testid="profile-save"]').click();
  await waitFor(async () => (await page.locator(`[data-testid="profile-${name}"]`).count()) === 1, { what: `the profile ${name} in the list` });
}

async function connect(name: string): Promise<void> {
  await go('connections');
  await page.locator(`[data-testid="profile-${name}"] [data-testid="profile-connect"]`).click();
  await waitFor(async () => (await page.locator(`[data-testid="session-${name}"]`).count()) === 1, { timeoutMs: 20_000, what: `the session of ${name}` });
}

beforeAll(async () => {
  group = await startSentinelGroup({ name: GROUP_NAME });
  session = await openConsoleSession({ name: 'layout' });
  page = session.page;
  await waitFor(async () => (await page.locator('[data-testid="session-Local demo"]').count()) === 1, { timeoutMs: 30_000, what: 'the demo session' });
  await fillProfile(SENTINEL_PROFILE, 'sentinel', group.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join('\n'), GROUP_NAME);
  await fillProfile(TOKEN_PROFILE, 'standalone', `127.0.0.1:${group.master.port}`);
  await connect(SENTINEL_PROFILE);
  await connect(TOKEN_PROFILE);
}, 180_000);

afterAll(async () => {
  await session?.close();
  await stopAllRedisServers();
});

interface Screen {
  readonly name: string;
  open(): Promise<void>;
}

async function openSession(name: string): Promise<void> {
  await page.locator(`[data-testid="session-${name}"]`).click();
  await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
}

async function detailTab(label: string): Promise<void> {
  await page.locator('[data-testid="detail-panel"]').getByRole('tab', { name: label, exact: true }).click();
}

function sessionScreens(session: string): Screen[] {
  const nodeScreens = (role: 'master' | 'replica', tabs: readonly string[]): Screen[] =>
    tabs.map((tab, index) => ({
      name: `${session} · ${role} · ${tab}`,
      open: async () => {
        if (index === 0) await page.locator(`[data-testid^="topology-node-"].role-${role} button`).first().click();
        await detailTab(tab);
        // The facts arrive by request: measure the tables, not "Reading…".
        if (tab === 'Facts') await expect.poll(() => page.locator('#facts-log').count(), { timeout: 10_000 }).toBe(1);
      },
    }));
  return [
    { name: `${session} · graph`, open: () => openSession(session) },
    { name: `${session} · table`, open: () => page.getByRole('button', { name: 'Table', exact: true }).click() },
    {
      name: `${session} · graph again`,
      open: async () => {
        await page.getByRole('button', { name: 'Graph', exact: true }).click();
        await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      },
    },
    ...nodeScreens('master', ['Overview', 'Charts', 'Backlog', 'Sync', 'Controls', 'Tap', 'Facts']),
    ...nodeScreens('replica', ['Overview', 'Backlog', 'Sync', 'Controls', 'Facts']),
    { name: `${session} · detail closed`, open: () => page.locator('button[aria-label="Close details"]').click() },
    { name: `${session} · events`, open: () => go('events') },
    { name: `${session} · sentinels`, open: () => go('sentinels') },
    { name: `${session} · back to topology`, open: () => go('topology') },
  ];
}

const SCREENS: readonly Screen[] = [
  ...sessionScreens('Local demo'),
  ...sessionScreens(SENTINEL_PROFILE),
  ...sessionScreens(TOKEN_PROFILE),
  {
    name: 'fleet: the three sessions as tiles',
    open: async () => {
      await go('fleet');
      await expect.poll(() => page.locator('[data-testid^="fleet-row-"]').count(), { timeout: 10_000 }).toBe(3);
    },
  },
  { name: 'demo', open: () => go('demo') },
  { name: 'connections', open: () => go('connections') },
  {
    name: 'new connection form, Sentinel kind, TLS and SSH open',
    open: async () => {
      await page.locator('[data-testid="new-profile"]').click();
      await page.locator('[data-testid="profile-name"]').fill(TOKEN_PROFILE);
      await page.locator('[data-testid="profile-kind"]').selectOption('sentinel');
      await page.locator('[data-testid="profile-tls"]').check();
      await page.getByLabel('SSH tunnel').check();
    },
  },
  {
    name: `edit form of ${SENTINEL_PROFILE}`,
    open: async () => {
      await page.keyboard.press('Escape');
      await page.locator(`[data-testid="profile-${SENTINEL_PROFILE}"] [data-testid="profile-edit"]`).click();
    },
  },
  {
    name: 'settings',
    open: async () => {
      await page.keyboard.press('Escape');
      await go('settings');
    },
  },
];

describe('no element of the main views overflows its box', () => {
  for (const viewport of VIEWPORTS) {
    for (const theme of THEMES) {
      it(`${viewport.width}×${viewport.height}, ${theme} theme: demo, Sentinel and long profile names`, async () => {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme: theme });
        const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
        // The theme really switched (rgb of the page background: dark below 100 per channel).
        const channels = (String(background).match(/\d+/g) ?? []).slice(0, 3).map(Number);
        expect(channels.every((channel) => (theme === 'dark' ? channel < 100 : channel > 150)), `${theme} background ${String(background)}`).toBe(true);
        const found: string[] = [];
        for (const screen of SCREENS) {
          await screen.open();
          await settle();
          const overflows = await findOverflows(page, ALLOWANCES);
          if (overflows.length === 0) continue;
          found.push(`${screen.name}:\n${describeOverflows(overflows)}`);
          await session.shoot(`overflow-${viewport.width}-${theme}-${found.length}`);
        }
        expect(found.join('\n\n')).toBe('');
      }, 240_000);
    }
  }
});

describe('the graph and the detail panel', () => {
  /** Each card's box inside the graph's box (pixels of tolerance for borders). */
  async function cardsInsideGraph(): Promise<{ inside: boolean; centreOffset: number }> {
    const graph = await page.locator('[data-testid="topology-graph"]').boundingBox();
    const cards = await page.locator('[data-testid^="topology-node-"]').evaluateAll((elements) =>
      elements.map((element) => {
        const rect = (element as unknown as { getBoundingClientRect(): { left: number; right: number; top: number; bottom: number } }).getBoundingClientRect();
        return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
      }),
    );
    if (graph === null || cards.length === 0) return { inside: false, centreOffset: Infinity };
    const inside = cards.every((card) => card.left >= graph.x - 1 && card.right <= graph.x + graph.width + 1 && card.top >= graph.y - 1 && card.bottom <= graph.y + graph.height + 1);
    const cardsCentre = (Math.min(...cards.map((card) => card.left)) + Math.max(...cards.map((card) => card.right))) / 2;
    return { inside, centreOffset: Math.abs(cardsCentre - (graph.x + graph.width / 2)) };
  }

  it('opening and closing the detail panel refits the graph into the space left', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await go('topology');
    await openSession('Local demo');
    await page.getByRole('button', { name: 'Fit to view', exact: true }).click();
    await expect.poll(async () => (await cardsInsideGraph()).inside, { timeout: 5_000 }).toBe(true);
    await page.locator('[data-testid^="topology-node-"].role-master button').first().click();
    await expect.poll(() => page.locator('[data-testid="detail-panel"]').count(), { timeout: 5_000 }).toBe(1);
    await expect.poll(async () => (await cardsInsideGraph()).inside, { timeout: 5_000 }).toBe(true);
    expect((await cardsInsideGraph()).centreOffset).toBeLessThan(40);
    await page.locator('button[aria-label="Close details"]').click();
    await expect.poll(async () => (await cardsInsideGraph()).centreOffset, { timeout: 5_000 }).toBeLessThan(40);
    expect((await cardsInsideGraph()).inside).toBe(true);
  });

  it('logged no error and no CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
