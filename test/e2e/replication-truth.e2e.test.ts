/**
 * Issue 15's UI-visible claims, in Chromium on `npm run web` (the embedded
 * demo, started as a user starts it), held against the engines' own INFO
 * over their loopback ports:
 *
 *  - README step 1, twice (point 9): Demo → Stop, pick "3 nodes" (then
 *    "Chain"), Start; Events lists a full resync for every replica of this
 *    run, with "the replica asked for a full sync: no cached master", and
 *    nothing naming an earlier run's ports; the load keeps writing;
 *  - lag (point 2): under 2,000 writes/s no warning is shown, and the link
 *    shows byte lag and ACK lag side by side and which offset it uses;
 *  - a hung intermediate replica (point 7, DEBUG SLEEP on replica-1 of the
 *    chain): the header names it instead of claiming every node is live,
 *    the sub-replica's card says "stale", and its Sync tab does not say the
 *    replica is streaming;
 *  - a promotion by FAILOVER TO (point 8): the preflight says where the
 *    other replica ends and what clients writing to the old master get, and
 *    the verdict after the run says the predicted partial resync held.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';

let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  session = await openConsoleSession({ name: 'truth' });
  page = session.page;
}, 120_000);

afterAll(async () => {
  await session?.close();
});

interface DemoNode { id: string; name: string; port: number; role: string; upstreamId: string | null }

/** The demo's nodes as the Demo view's table lists them (name, role, port). */
async function demoNodes(): Promise<DemoNode[]> {
  const rows = await page.locator('[data-testid="demo-nodes"] tbody tr').all();
  const nodes: DemoNode[] = [];
  for (const row of rows) {
    const cells = await row.locator('td').allTextContents();
    const [name = '', role = '', port = '', upstream = ''] = cells.map((cell) => cell.trim());
    nodes.push({ id: `127.0.0.1:${port}`, name, role, port: Number(port), upstreamId: upstream === '' ? null : upstream });
  }
  return nodes;
}

async function restartDemo(topologyLabel: '3 nodes' | 'Chain', expectedNodes: number): Promise<DemoNode[]> {
  await page.keyboard.press('Alt+3');
  await page.locator('[data-testid="demo-stop"]').click();
  await expect.poll(() => page.locator('[data-testid="demo-start"]').count(), { timeout: 20_000 }).toBe(1);
  await page.getByText(topologyLabel, { exact: true }).click();
  await page.locator('[data-testid="demo-start"]').click();
  // A started demo puts its topology on screen.
  await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 30_000 }).toBe(expectedNodes);
  await page.keyboard.press('Alt+3');
  await expect.poll(async () => (await demoNodes()).length, { timeout: 10_000 }).toBe(expectedNodes);
  return demoNodes();
}

const timelineText = async (): Promise<string> => (await page.locator('[data-testid="event-timeline"]').textContent()) ?? '';

describe('README step 1 in the page: stop, pick a topology, start', () => {
  const earlierPorts = new Set<number>();

  it('3 nodes, then Chain: Events shows this run\'s full resyncs with their cause, nothing of the runs before, and the load keeps writing', async () => {
    await page.keyboard.press('Alt+3');
    await expect.poll(async () => (await demoNodes()).length, { timeout: 30_000 }).toBe(2);
    for (const node of await demoNodes()) earlierPorts.add(node.port);
    for (const [label, count] of [['3 nodes', 3], ['Chain', 3]] as const) {
      const nodes = await restartDemo(label, count);
      await page.keyboard.press('Alt+2');
      const replicas = nodes.filter((node) => node.role === 'replica');
      const fullResyncs = page.locator('[data-testid="event"][data-kind="full-resync"]');
      await expect.poll(() => fullResyncs.count(), { timeout: 20_000 }).toBe(replicas.length);
      const texts = await fullResyncs.allTextContents();
      for (const replica of replicas) {
        expect(texts.some((text) => text.includes(replica.id) && text.includes('the replica asked for a full sync: no cached master'))).toBe(true);
      }
      const timeline = await timelineText();
      for (const port of earlierPorts) expect(timeline).not.toContain(`:${port}`);
      expect((await page.locator('.events-view .count').textContent()) ?? '').not.toMatch(/\b0 of 0 events/);
      // The load generator kept writing across the restart, to this run's master.
      const master = nodes.find((node) => node.role === 'master')!;
      const offset = async (): Promise<number> => Number((await info({ port: master.port }, 'replication')).get('master_repl_offset'));
      const before = await offset();
      await expect.poll(offset, { timeout: 10_000 }).toBeGreaterThan(before + 5_000);
      for (const node of nodes) earlierPorts.add(node.port);
    }
  });
});

describe('the figures in the page', () => {
  it('under 2,000 writes/s: no warning, and the link shows both lag figures and which offset it uses', async () => {
    await page.keyboard.press('Alt+3');
    await page.locator('[data-testid="load-rate"]').fill('2000');
    await page.locator('[data-testid="load-apply"]').click();
    await expect.poll(async () => Number(((await page.locator('[data-testid="load-running"]').textContent()) ?? '').replace(/[^\d]/g, '')), { timeout: 15_000 }).toBeGreaterThan(1500);
    await page.keyboard.press('Alt+1');
    // Ten seconds of polls under load: the header never counts a warning.
    const header = page.locator('.session-header');
    for (let second = 0; second < 10; second++) {
      expect((await header.textContent()) ?? '').not.toMatch(/warning|critical/);
      await page.waitForTimeout(1000);
    }
    const nodes = await demoNodesFromGraph();
    const replica = nodes.find((id) => id !== nodes[0])!;
    await page.locator(`[data-testid^="topology-link-"][data-testid$="->${replica}"]`).click();
    const panel = page.locator('[data-testid="detail-panel"]');
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 10_000 }).toMatch(/ACK lag/);
    const source = (await page.locator('[data-testid="lag-source"]').textContent()) ?? '';
    expect(source).toMatch(/replica's own offset/);
    expect(source).toMatch(/once a second/);
    expect((await panel.textContent()) ?? '').toMatch(/Byte lag/);
  });

  it('a hung intermediate replica: the header names it, its sub-replica reads "stale", and its Sync tab does not claim it streams', async () => {
    const nodes = await demoNodesOfChain();
    const middle = nodes.find((node) => node.name === 'replica-1')!;
    const sub = nodes.find((node) => node.name === 'replica-2')!;
    await page.keyboard.press('Alt+1');
    const sleeping = command({ port: middle.port }, 'DEBUG', 'SLEEP', '6');
    try {
      await expect.poll(async () => (await page.locator('[data-testid="stale-nodes"]').textContent().catch(() => '')) ?? '', { timeout: 6_000 }).toMatch(/not current/);
      const subCard = page.locator(`[data-testid="topology-node-${sub.id}"]`);
      await expect.poll(async () => (await subCard.textContent()) ?? '', { timeout: 5_000 }).toMatch(/stale/);
      await subCard.locator('button').click();
      await page.locator('[data-testid="detail-panel"]').getByText('Sync', { exact: true }).click();
      await expect.poll(async () => (await page.locator('[data-testid="sync-stale"]').textContent().catch(() => '')) ?? '', { timeout: 5_000 }).toMatch(/whether the replica is streaming is unknown/);
      expect((await page.locator('[data-testid="sync-progress"]').textContent()) ?? '').not.toMatch(/the replica is streaming\./);
    } finally {
      await sleeping;
    }
    await expect.poll(() => page.locator('[data-testid="stale-nodes"]').count(), { timeout: 15_000 }).toBe(0);
  });

  it('promoting the chain\'s middle replica: the preflight says where the others end and what writers get; the verdict says the prediction held', async () => {
    const nodes = await demoNodesOfChain();
    const middle = nodes.find((node) => node.name === 'replica-1')!;
    const sub = nodes.find((node) => node.name === 'replica-2')!;
    const master = nodes.find((node) => node.role === 'master')!;
    const partialsBefore = Number((await info({ port: middle.port }, 'stats')).get('sync_partial_ok'));
    await page.keyboard.press('Alt+1');
    await page.locator(`[data-testid="topology-node-${middle.id}"] button`).click();
    await page.locator('[data-testid="detail-panel"]').getByText('Controls', { exact: true }).click();
    await page.locator('[data-testid="control-promote"] button').first().click();
    const dialog = page.locator('[data-testid="action-dialog"]');
    await expect.poll(async () => (await page.locator('[data-testid="preflight-prediction"]').textContent().catch(() => '')) ?? '', { timeout: 10_000 }).toMatch(/Partial resync/);
    const preflight = (await dialog.textContent()) ?? '';
    expect(preflight).toContain(`FAILOVER TO 127.0.0.1 ${middle.port}`);
    expect(preflight).toContain(`${sub.id} stays a replica of ${middle.id}; it ends 1 hop from ${middle.id} (it was 2 hops from ${master.id})`);
    expect(preflight).toMatch(new RegExp(`Clients writing to ${master.id.replace(/\./g, '\\.')}.*READONLY`));
    await page.locator('[data-testid="run-action"]').click();
    await expect.poll(async () => (await page.locator('[data-testid="prediction-verdict"]').textContent().catch(() => '')) ?? '', { timeout: 30_000 }).toMatch(/The prediction held/);
    expect((await page.locator('[data-testid="observed-resync"]').textContent()) ?? '').toMatch(/partial resync/);
    // The engines agree: the old master follows the middle one after a partial resync.
    const oldMaster = await info({ port: master.port }, 'replication');
    expect([oldMaster.get('role'), oldMaster.get('master_port')]).toEqual(['slave', String(middle.port)]);
    expect(Number((await info({ port: middle.port }, 'stats')).get('sync_partial_ok'))).toBeGreaterThan(partialsBefore);
    await page.keyboard.press('Escape');
  });

  it('logged no error', () => {
    expect(session.problems).toEqual([]);
  });
});

async function demoNodesFromGraph(): Promise<string[]> {
  const ids = await page.locator('[data-testid^="topology-node-"]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')!.replace('topology-node-', '')));
  const masters = await page.locator('[data-testid^="topology-node-"].role-master').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')!.replace('topology-node-', '')));
  return [...masters, ...ids.filter((id) => !masters.includes(id))];
}

async function demoNodesOfChain(): Promise<DemoNode[]> {
  await page.keyboard.press('Alt+3');
  const nodes = await demoNodes();
  if (nodes.length !== 3 || !nodes.some((node) => node.upstreamId !== null && node.upstreamId !== nodes[0]?.id)) throw new Error('the demo is not the chain');
  return nodes;
}
