/**
 * The Sentinel view and the split-brain warning in real Chromium, against
 * web mode without the demo, on a real deployment: a redis-server master,
 * two replicas and three redis-sentinel processes (down-after 1 s).
 *
 *  - the per-Sentinel table the README promises: each Sentinel's address,
 *    up, listened to, its view of the master;
 *  - REPLICAOF NO ONE run by hand on a replica: the page says SPLIT-BRAIN
 *    with both masters, until Sentinel turns the replica back
 *    (+convert-to-slave, shown among the Sentinel notices), and the banner goes;
 *  - kill -9 of the master: every row's view moves to the new master and its
 *    last +sdown names the dead one.
 *
 * The page logs no error and no CSP violation.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { command } from '../support/replication';
import { sentinelMasterAddress, type SentinelGroup } from '../support/sentinel-group';
import { waitFor } from '../support/wait';
import type { ConsoleSession } from '../support/console-session';
import { attachSentinelProfile, nodeId, sentinelConsoleSuite } from '../support/sentinel-console';

const PROFILE = 'staging-sentinel';
let group: SentinelGroup;
let session: ConsoleSession;
let page: Page;

const id = nodeId;

const deployment = sentinelConsoleSuite({ name: 'sentinel', replicas: 2 });
beforeAll(() => {
  ({ group, session, page } = deployment);
});

/** The Sentinel table's rows as { address: cells by column }. */
async function sentinelRows(): Promise<Record<string, Record<string, string>>> {
  const rows = page.locator(`[data-testid="sentinel-table-${group.name}"] tbody tr`);
  const result: Record<string, Record<string, string>> = {};
  for (const row of await rows.all()) {
    const cells: Record<string, string> = {};
    for (const cell of await row.locator('td[data-column]').all()) cells[(await cell.getAttribute('data-column')) ?? '?'] = ((await cell.textContent()) ?? '').trim();
    result[cells.address ?? '?'] = cells;
  }
  return result;
}

describe('Sentinels in the console', () => {
  it('a Sentinel profile shows one row per Sentinel: address, up, listened to, its view of the master', async () => {
    await attachSentinelProfile(page, group, PROFILE);

    await expect.poll(async () => Object.keys(await sentinelRows()).sort(), { timeout: 20_000 }).toEqual(group.sentinels.map((sentinel) => id(sentinel)).sort());
    await expect.poll(async () => Object.values(await sentinelRows()).every((row) => row.state === 'up' && row.notices === 'listening' && row['master-view'] === id(group.master)), { timeout: 20_000 }).toBe(true);
    expect(await page.locator('[data-testid="split-brain-banner"]').count()).toBe(0);
    await session.shoot('sentinels-view');
  });

  it('REPLICAOF NO ONE by hand on a replica: SPLIT-BRAIN on the page until Sentinel converts it back', async () => {
    const rogue = group.replicas[0]!;
    expect(await command(rogue, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    const banner = page.locator('[data-testid="split-brain-banner"]');
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
    expect(await banner.getAttribute('role')).toBe('alert');
    const text = (await banner.textContent()) ?? '';
    expect(text).toMatch(/split-brain/i);
    expect(text).toContain(id(group.master));
    expect(text).toContain(id(rogue));
    await session.shoot('split-brain-banner');
    // Sentinel turns a replica that claims to be a master back after 8 s (+convert-to-slave): the warning goes.
    await expect.poll(() => banner.count(), { timeout: 40_000 }).toBe(0);
    await expect.poll(() => page.locator('[data-testid="event"][data-kind="sentinel"]').filter({ hasText: '+convert-to-slave' }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.locator('[data-testid="nav-events"]').click();
    await expect.poll(() => page.locator('[data-testid="event"][data-kind="split-brain"]').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="event"][data-kind="split-brain-ended"]').count(), { timeout: 10_000 }).toBe(1);
    await page.locator('[data-testid="nav-sentinels"]').click();
  });

  it('kill -9 of the master: every Sentinel\'s view moves to the new master and its last +sdown names the old one', async () => {
    const oldMaster = id(group.master);
    group.master.signal('SIGKILL');
    let newMaster = '';
    await waitFor(async () => {
      newMaster = await sentinelMasterAddress(group.sentinels[0]!, group.name);
      return newMaster !== oldMaster && newMaster !== '';
    }, { timeoutMs: 30_000, what: 'Sentinel to fail over' });
    await expect.poll(async () => Object.values(await sentinelRows()).every((row) => row['master-view'] === newMaster && (row['last-sdown'] ?? '').startsWith(oldMaster)), { timeout: 30_000 }).toBe(true);
    await session.shoot('sentinels-after-failover');
    await page.locator('[data-testid="nav-events"]').click();
    // (If Sentinel picked the replica promoted by hand earlier, that first promotion is on the timeline too, as an operator's.)
    const promotions = page.locator('[data-testid="event"][data-kind="promotion"]').filter({ hasText: `${newMaster} was promoted` });
    await expect.poll(() => promotions.filter({ has: page.locator('[data-testid="cause-sentinel-failover"]') }).count(), { timeout: 20_000 }).toBe(1);
    expect(await promotions.filter({ has: page.locator('[data-testid="cause-manual"]') }).count()).toBe(0);
    // The replica Sentinel re-pointed to the new master (+slave-reconf-*): its link-up says Sentinel did it and how
    // its PSYNC went, as the new master's log has it ("Partial resynchronization request from <replica> accepted").
    const promoted = group.replicas.find((replica) => id(replica) === newMaster)!;
    const other = group.replicas.find((replica) => id(replica) !== newMaster)!;
    const linkUp = page.locator('[data-testid="event"][data-kind="link-up"]').filter({ hasText: `link ${newMaster} -> ${id(other)} is up` }).filter({ has: page.locator('[data-testid="cause-sentinel-failover"]') });
    await expect.poll(() => linkUp.count(), { timeout: 30_000 }).toBe(1);
    const accepted = promoted.log().includes(`Partial resynchronization request from ${id(other)} accepted`);
    expect(await linkUp.textContent()).toContain(accepted ? 'its PSYNC was accepted: a partial resync' : 'its PSYNC could not continue: a full resync');
  });

  it('logged no error and no CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
