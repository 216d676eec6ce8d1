/**
 * Each Sentinel's own quorum on the page. SENTINEL SET quorum changes only
 * the Sentinel it runs on, and the Sentinel that detects the master down
 * counts agreement against its own quorum. Found in a new-user walk with
 * three redis-sentinel 7.0.15: after SENTINEL SET mymaster quorum 3 on one
 * of them, the page said "quorum 3" (the answering Sentinel's) for the group
 * while the other two used 2, and no Sentinel's own value was shown.
 *
 * Held against each Sentinel's SENTINEL MASTER quorum. The frame header keeps
 * its text whole (no clipping, by the browser's measure).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SentinelGroup } from '../support/sentinel-group';
import type { ConsoleSession } from '../support/console-session';
import { attachSentinelProfile, nodeId, sentinelConsoleSuite } from '../support/sentinel-console';

const PROFILE = 'quorum-sentinel';
let group: SentinelGroup;
let session: ConsoleSession;
let page: Page;

const id = nodeId;

const deployment = sentinelConsoleSuite({ name: 'sentinel-quorum', replicas: 1 });
beforeAll(() => {
  ({ group, session, page } = deployment);
});

async function quorumCells(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const row of await page.locator(`[data-testid="sentinel-table-${group.name}"] tbody tr`).all()) {
    result[((await row.locator('td[data-column="address"]').textContent()) ?? '?').trim()] = ((await row.locator('td[data-column="quorum"]').textContent()) ?? '').trim();
  }
  return result;
}

async function ownQuorum(sentinel: SentinelGroup['sentinels'][number]): Promise<string> {
  const fields = (await sentinel.call('SENTINEL', 'MASTER', group.name)) as string[];
  return fields[fields.indexOf('quorum') + 1]!;
}

describe('Sentinels that disagree on the quorum', () => {
  it('the page shows each Sentinel\'s quorum and says they disagree, in the table and the topology frame', async () => {
    await attachSentinelProfile(page, group, PROFILE);
    await expect.poll(quorumCells, { timeout: 20_000 }).toEqual(Object.fromEntries(group.sentinels.map((sentinel) => [id(sentinel), '2'])));
    expect(await page.locator('[data-testid="sentinel-group-quorum"]').textContent()).toBe('quorum 2');

    // The first Sentinel only: the others keep 2, by their own SENTINEL MASTER.
    expect(await group.sentinels[0]!.call('SENTINEL', 'SET', group.name, 'quorum', '3')).toBe('OK');
    const truth = Object.fromEntries(await Promise.all(group.sentinels.map(async (sentinel) => [id(sentinel), await ownQuorum(sentinel)] as const)));
    expect(Object.values(truth).sort()).toEqual(['2', '2', '3']);
    await expect.poll(quorumCells, { timeout: 20_000 }).toEqual(truth);
    expect(await page.locator('[data-testid="sentinel-group-quorum"]').textContent()).toBe('quorum 2–3 (Sentinels disagree)');
    await session.shoot('sentinel-quorum-disagree');

    await page.locator('[data-testid="nav-topology"]').click();
    const header = page.locator('.group-frame.kind-sentinel .group-header');
    await expect.poll(async () => header.textContent(), { timeout: 10_000 }).toContain('3/3 up · quorum 2–3 (differ)');
    expect(await header.locator('[title*="disagree on the quorum"]').count()).toBe(1);
    const clipped = await header.evaluateAll((headers) => headers.flatMap((element) => [element, ...Array.from(element.querySelectorAll('*'))])
      .filter((element) => element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1).map((element) => `${element.className}: ${element.textContent ?? ''}`));
    expect(clipped).toEqual([]);
    await session.shoot('sentinel-quorum-frame');
  });
});
