/**
 * The group's "quorum OK" badge is every Sentinel's SENTINEL CKQUORUM, not
 * the answering Sentinel's alone. Each Sentinel counts the usable Sentinels
 * it knows against its own quorum (SENTINEL SET changes one Sentinel), so
 * with one Sentinel of three stopped and quorum 3 SET on another, that one
 * answers NOQUORUM while the first still answers OK; before, the page said
 * "quorum OK" from the first Sentinel's answer.
 *
 * Held against each Sentinel's own CKQUORUM, word for word.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SentinelGroup } from '../support/sentinel-group';
import type { ConsoleSession } from '../support/console-session';
import { attachSentinelProfile, nodeId, sentinelConsoleSuite } from '../support/sentinel-console';
import { waitFor } from '../support/wait';

const PROFILE = 'ckquorum-sentinel';
const OK_TWO = 'OK 2 usable Sentinels. Quorum and failover authorization can be reached';
const NOQUORUM_TWO = 'NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master';
let group: SentinelGroup;
let session: ConsoleSession;
let page: Page;

const id = nodeId;

const deployment = sentinelConsoleSuite({ name: 'sentinel-ckquorum', replicas: 1 });
beforeAll(() => {
  ({ group, session, page } = deployment);
});

/** A Sentinel's CKQUORUM as it says it (an error reply's text without the '-'). */
async function ckquorum(sentinel: SentinelGroup['sentinels'][number]): Promise<string> {
  const reply = await sentinel.call('SENTINEL', 'CKQUORUM', group.name);
  return reply instanceof Error ? reply.message : String(reply);
}

const badge = () => page.locator('[data-testid="sentinel-group-quorum-badge"]');

describe('the quorum badge asks every Sentinel', () => {
  it('one Sentinel stopped, then quorum 3 SET on another: the badge says the Sentinels split and names the one that says NOQUORUM, with its words', async () => {
    await attachSentinelProfile(page, group, PROFILE);
    await expect.poll(async () => badge().textContent(), { timeout: 20_000 }).toContain('quorum OK');

    // One of three stopped: once the others flag it s_down, each counts 2 usable, enough for quorum 2 and a majority of 3.
    const [first, second, third] = group.sentinels as [SentinelGroup['sentinels'][number], SentinelGroup['sentinels'][number], SentinelGroup['sentinels'][number]];
    await third.stop();
    await waitFor(async () => (await ckquorum(first)) === OK_TWO && (await ckquorum(second)) === OK_TWO, { timeoutMs: 20_000, what: 'both Sentinels left to answer OK 2 usable' });
    const thirdRow = page.locator(`[data-testid="sentinel-row-${id(third)}"]`);
    await expect.poll(async () => thirdRow.locator('td[data-column="state"]').textContent(), { timeout: 20_000 }).toContain('down');
    await expect.poll(async () => page.locator(`[data-testid="sentinel-row-${id(second)}"] td[data-column="ckquorum"]`).textContent(), { timeout: 20_000 }).toBe('OK2 usable');
    expect(await badge().textContent()).toContain('quorum OK');
    expect(await badge().getAttribute('title')).toBe('SENTINEL CKQUORUM OK on each of the 2 Sentinels that answered; 1 of 3 did not answer (not counted)');
    expect(await thirdRow.locator('td[data-column="ckquorum"]').textContent()).toBe('—');

    // Quorum 3 on the second only: 2 usable are not enough for it, while the first (quorum 2) still says OK.
    expect(await second.call('SENTINEL', 'SET', group.name, 'quorum', '3')).toBe('OK');
    expect(await ckquorum(second)).toBe(NOQUORUM_TWO);
    expect(await ckquorum(first)).toBe(OK_TWO);
    await expect.poll(async () => badge().textContent(), { timeout: 20_000 }).toContain('quorum split');
    const refusal = page.locator(`[data-testid="sentinel-quorum-refusal-${id(second)}"]`);
    expect(await refusal.textContent()).toBe(`${id(second)}: ${NOQUORUM_TWO}`);
    expect(await page.locator('[data-testid="sentinel-quorum-refusals"] li').count()).toBe(1);
    expect(await badge().getAttribute('title')).toContain(`1 of 2 Sentinels answer NOQUORUM (${id(second)}), the others OK`);
    expect(await page.locator(`[data-testid="sentinel-row-${id(second)}"] td[data-column="ckquorum"]`).getAttribute('title')).toBe(NOQUORUM_TWO);
    await session.shoot('sentinel-ckquorum-split');

    // The topology frame's badge says so too.
    await page.locator('[data-testid="nav-topology"]').click();
    await expect.poll(async () => page.locator('.group-frame.kind-sentinel .group-header').textContent(), { timeout: 10_000 }).toContain('quorum split');

    // Quorum 3 on the first too: no Sentinel that answers can reach it.
    expect(await first.call('SENTINEL', 'SET', group.name, 'quorum', '3')).toBe('OK');
    expect(await ckquorum(first)).toBe(NOQUORUM_TWO);
    await page.locator('[data-testid="nav-sentinels"]').click();
    await expect.poll(async () => badge().textContent(), { timeout: 20_000 }).toContain('no quorum');
    expect(await page.locator('[data-testid="sentinel-quorum-refusals"] li').count()).toBe(2);
  });
});
