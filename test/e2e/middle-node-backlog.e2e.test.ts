/**
 * The Backlog tab of a chain's middle node, in Chromium on `npm run web`,
 * against redis-server 7.0 (master → middle → leaf). In Redis 7.0 a replica
 * keeps a backlog of its own and serves its sub-replicas' PSYNC from it. The
 * tab of the middle node showed its master's backlog (first byte and master
 * offset of the master) under the middle node's heading, without naming the
 * master; the middle's own window, where its leaf stands, was not shown.
 * Now its first window is its own (repl_backlog_* and master_repl_offset of
 * its INFO, its leaf marked), and the master's window that follows is named.
 *
 * The master's backlog is 16kb and the middle's 1mb, so after 200 KB of
 * writes the two windows' first bytes differ (the master's moves on).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';
import { info } from '../support/replication';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { attachStandaloneProfile } from '../support/standalone-profile';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

const PROFILE = 'Chain of three';
let master: RedisProcess;
let middle: RedisProcess;
let leaf: RedisProcess;
let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  master = await startRedisServer({ args: ['--repl-backlog-size', '16kb', '--repl-diskless-sync-delay', '0'] });
  middle = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port), '--repl-backlog-size', '1mb', '--repl-diskless-sync-delay', '0'] });
  leaf = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(middle.port)] });
  for (const node of [middle, leaf]) await waitFor(async () => (await info({ port: node.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `${node.port}'s link up` });
  const writer = new RespConnection('127.0.0.1', master.port);
  for (let i = 0; i < 400; i++) await writer.call('SET', `k:${i}`, 'x'.repeat(500));
  writer.close();
  session = await openConsoleSession({ name: 'middle-node-backlog' });
  page = session.page;
  await attachStandaloneProfile(page, [master, middle, leaf].map((node) => `127.0.0.1:${node.port}`), PROFILE);
}, 180_000);

afterAll(async () => {
  await session?.close();
  await stopAllRedisServers();
});

/** A window's figures as the tab writes them: first byte, master offset, and its rows' replica ids. */
async function shownFigures(index: number): Promise<{ firstByte: string; masterOffset: string; rows: string[]; title: string }> {
  const section = page.locator('[data-testid="detail-panel"] [data-testid="backlog-window"]').nth(index);
  const ends = (await section.locator('.bar-ends span').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
  const rows = (await section.locator('.replica-id').allTextContents()).map((text) => text.trim());
  return { firstByte: ends[0] ?? '', masterOffset: ends[1] ?? '', rows, title: (await section.getAttribute('aria-label')) ?? '' };
}

/** The same figures from a node's own INFO replication. */
async function infoFigures(port: number): Promise<{ firstByte: string; masterOffset: string }> {
  const replication = await info({ port }, 'replication');
  const grouped = (name: string): string => Number(replication.get(name)).toLocaleString('en-US');
  return { firstByte: `first byte ${grouped('repl_backlog_first_byte_offset')}`, masterOffset: `master offset ${grouped('master_repl_offset')}` };
}

it('the middle node\'s Backlog tab shows its own backlog, its leaf in it; its master\'s window is named', async () => {
  const masterId = `127.0.0.1:${master.port}`;
  const middleId = `127.0.0.1:${middle.port}`;
  const leafId = `127.0.0.1:${leaf.port}`;
  // The nodes' truth: the middle keeps an active backlog of its own, whose first byte is not its master's.
  const middleInfo = await info({ port: middle.port }, 'replication');
  const masterInfo = await info({ port: master.port }, 'replication');
  expect(middleInfo.get('repl_backlog_active')).toBe('1');
  expect(middleInfo.get('repl_backlog_first_byte_offset')).not.toBe(masterInfo.get('repl_backlog_first_byte_offset'));

  await page.locator(`[data-testid="session-${PROFILE}"]`).click();
  await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 20_000 }).toBe(3);
  await page.locator(`[data-testid="topology-node-${middleId}"] button.node-button`).click();
  await page.locator('[data-testid="detail-panel"]').getByText('Backlog', { exact: true }).click();

  // The first window is the middle's own: the figures of its INFO (read around the page's, as the master's PINGs move the offset), its leaf in it.
  await expect.poll(async () => {
    const before = await infoFigures(middle.port);
    const shown = await shownFigures(0);
    const after = await infoFigures(middle.port);
    const matches = (truth: { firstByte: string; masterOffset: string }): boolean => shown.firstByte === truth.firstByte && shown.masterOffset === truth.masterOffset;
    return { title: shown.title, rows: shown.rows, matchesInfo: matches(before) || matches(after) };
  }, { timeout: 15_000 }).toEqual({ title: `Backlog window of ${middleId}`, rows: [leafId], matchesInfo: true });

  // Every window the tab shows names its node, and its figures are that node's.
  const windows = page.locator('[data-testid="detail-panel"] [data-testid="backlog-window"]');
  for (let index = 0; index < (await windows.count()); index++) {
    const shown = await shownFigures(index);
    const id = /^Backlog window of (\S+)$/.exec(shown.title)?.[1] ?? '';
    expect([middleId, masterId]).toContain(id);
    const heading = ((await page.locator(`[data-testid="backlog-of-${id}"] [data-testid="backlog-of-title"]`).textContent()) ?? '').trim();
    expect(heading).toContain(id);
    if (id === masterId) expect(shown.rows).toContain(middleId);
    const port = id === masterId ? master.port : middle.port;
    await expect.poll(async () => {
      const now = await shownFigures(index);
      return now.firstByte === (await infoFigures(port)).firstByte;
    }, { timeout: 15_000 }).toBe(true);
  }
  expect(session.problems).toEqual([]);
}, 90_000);
