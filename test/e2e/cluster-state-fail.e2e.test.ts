/**
 * A Cluster whose state is fail, in real Chromium against web mode: a master
 * is killed while its replica may not fail over (cluster-replica-no-failover),
 * so its slots have no owner and the nodes say cluster_state:fail. Every
 * shard's frame header must still read in full (nothing cut off): its name,
 * its slot range and the state, which is what an operator needs to know which
 * slots are down.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllRedisServers } from '../support/redis-server';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';
import { waitFor } from '../support/wait';

let session: ConsoleSession;
let page: Page;
let cluster: RedisCluster;

beforeAll(async () => {
  cluster = await startRedisCluster(3, 1);
  session = await openConsoleSession({ name: 'cluster-state-fail', demo: false });
  page = session.page;
}, 120_000);

afterAll(async () => {
  await session?.close();
  await stopAllRedisServers();
});

/** The header elements of each shard frame that overflow their box (text cut off), by the browser's own measure. */
async function clippedHeaders(): Promise<string[]> {
  return page.locator('.group-frame.kind-shard .group-header').evaluateAll((headers) => {
    const clipped: string[] = [];
    for (const header of headers) {
      for (const element of [header, ...Array.from(header.querySelectorAll('*'))]) {
        if (element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1) clipped.push(`${element.className}: ${element.textContent ?? ''}`);
      }
      const frame = header.parentElement!.getBoundingClientRect();
      const box = header.getBoundingClientRect();
      if (box.bottom > frame.bottom || box.right > frame.right + 1) clipped.push(`header outside its frame: ${header.textContent ?? ''}`);
    }
    return clipped;
  });
}

describe('a Redis Cluster whose state is fail', () => {
  it('every shard header reads its slot range and cluster_state:fail in full', async () => {
    await expect.poll(async () => {
      await page.keyboard.press('Alt+4');
      return page.locator('[data-testid="new-profile"]').count();
    }, { timeout: 20_000 }).toBeGreaterThan(0);
    await page.locator('[data-testid="new-profile"]').click();
    await page.locator('[data-testid="profile-name"]').fill('failing-cluster');
    await page.locator('[data-testid="profile-kind"]').selectOption('cluster');
    await page.locator('[data-testid="profile-seeds"]').fill(`127.0.0.1:${cluster.nodes[1]!.port}`);
    await page.locator('[data-testid="profile-save"]').click();
    await page.locator('[data-testid="profile-failing-cluster"] [data-testid="profile-connect"]').click();
    await page.locator('[data-testid="session-failing-cluster"]').click();
    await expect.poll(() => page.locator('.group-frame.kind-shard').count(), { timeout: 20_000 }).toBe(3);

    // The master of slots 10923-16383 dies and its replica is told not to take over.
    const owner = async (slot: number): Promise<string> => {
      const slots = (await cluster.nodes[1]!.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
      const entry = slots.find(([from, to]) => from <= slot && slot <= to)!;
      return `${entry[2][0]}:${entry[2][1]}`;
    };
    const masterAddress = await owner(16383);
    const master = cluster.nodes.find((node) => `127.0.0.1:${node.port}` === masterAddress)!;
    for (const node of cluster.nodes) await node.call('CONFIG', 'SET', 'cluster-replica-no-failover', 'yes');
    await master.stop();
    // The nodes' own truth: the cluster is down.
    const seed = cluster.nodes.find((node) => node !== master)!;
    await waitFor(async () => /cluster_state:fail/.test(String(await seed.call('CLUSTER', 'INFO'))), { timeoutMs: 20_000, what: 'cluster_state:fail' });

    const frames = page.locator('.group-frame.kind-shard');
    await expect.poll(async () => (await frames.allTextContents()).filter((text) => text.includes('cluster_state:fail')).length, { timeout: 20_000 }).toBe(3).catch(async (failure: unknown) => {
      // What the frames read instead (before the fix: their health as of the first layout).
      await session.shoot('topology-cluster-state-fail');
      throw failure;
    });
    const headers = await frames.allTextContents();
    for (const slots of ['0-5460', '5461-10922', '10923-16383']) expect(headers.some((text) => text.includes(slots))).toBe(true);
    await session.shoot('topology-cluster-state-fail');
    expect(await clippedHeaders()).toEqual([]);
  });
});
