/**
 * A Cluster attached the way a user does it, in real Chromium against web
 * mode without the demo: a profile of kind Cluster with one node as its seed
 * shows the three shards (slots, master, replica) framed in the topology,
 * every node live. The page logs no error and no CSP violation.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllRedisServers } from '../support/redis-server';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';

let session: ConsoleSession;
let page: Page;
let cluster: RedisCluster;

beforeAll(async () => {
  cluster = await startRedisCluster(3, 1);
  session = await openConsoleSession({ name: 'cluster', demo: false });
  page = session.page;
}, 120_000);

afterAll(async () => {
  await session?.close();
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
    await session.shoot('topology-cluster');
  });

  it('logged no error and no CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
