/**
 * A Cluster attached the way a user does it, in real Chromium against web
 * mode without the demo: a profile of kind Cluster with one node as its seed
 * shows the three shards (slots, master, replica) framed in the topology,
 * every node live. The page logs no error and no CSP violation.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllRedisServers } from '../support/redis-server';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import { openConsolePage, startWebConsole, type ConsolePage, type WebConsoleProcess } from '../support/web-console';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'test-artifacts/e2e');
let consoleProcess: WebConsoleProcess;
let dataDir: string;
let browserPage: ConsolePage;
let page: Page;
let cluster: RedisCluster;

beforeAll(async () => {
  cluster = await startRedisCluster(3, 1);
  dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-e2e-cluster-'));
  consoleProcess = await startWebConsole(['scripts/start.mjs', '--web', '--no-demo', '--data-dir', dataDir], { timeoutMs: 110_000 });
  browserPage = await openConsolePage(consoleProcess.url);
  page = browserPage.page;
}, 120_000);

afterAll(async () => {
  await browserPage?.browser.close();
  await consoleProcess?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await stopAllRedisServers();
});

describe('a Redis Cluster in the console', () => {
  it('a Cluster profile seeded with one node shows three shards with their slots and all six nodes', async () => {
    // The shortcut works once the app has mounted: press until the view is there.
    await expect.poll(async () => {
      await page.keyboard.press('Alt+4');
      return page.locator('[data-testid="new-profile"]').count();
    }, { timeout: 20_000 }).toBeGreaterThan(0);
    await page.locator('[data-testid="new-profile"]').click();
    await page.locator('[data-testid="profile-name"]').fill('staging-cluster');
    await page.locator('[data-testid="profile-kind"]').selectOption('cluster');
    await page.locator('[data-testid="profile-seeds"]').fill(`127.0.0.1:${cluster.nodes[3]!.port}`);
    await page.locator('[data-testid="profile-save"]').click();
    await page.locator('[data-testid="profile-staging-cluster"] [data-testid="profile-connect"]').click();
    await page.locator('[data-testid="session-staging-cluster"]').click();
    await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 20_000 }).toBe(6);
    const frames = page.locator('.group-frame.kind-shard');
    await expect.poll(() => frames.count(), { timeout: 20_000 }).toBe(3);
    const headers = (await frames.allTextContents()).join(' | ');
    for (const slots of ['0-5460', '5461-10922', '10923-16383']) expect(headers).toContain(slots);
    expect(await page.locator('[data-testid^="topology-node-"].role-master').count()).toBe(3);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'topology-cluster.png') });
  });

  it('logged no error and no CSP violation', () => {
    expect(browserPage.problems).toEqual([]);
  });
});
