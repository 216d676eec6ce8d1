/**
 * The Demo page after the user changed the demo's nodes, in Chromium on
 * `npm run web`, held against the embedded nodes' own INFO and replies over
 * their loopback ports. Found in a new-user trial: after *Shrink backlog*
 * the page still said "Backlog 1 MiB per node"; after a promotion its table
 * still showed the old master as master and the new one as its replica, and
 * the load generator, now writing to a replica, showed its rate as if the
 * writes succeeded beside "N load errors (maxmemory reached?)" while every
 * write got READONLY.
 *
 *  - each node's role, upstream and repl-backlog-size in the table are what
 *    its INFO / CONFIG GET say now;
 *  - after the promotion the load writes to the new master (the node that
 *    answers ROLE as master), and the Load card names it; it used to keep
 *    writing to the old master, now a replica, and get READONLY;
 *  - a load the server refuses (here: the new master's min-replicas-to-write
 *    above its replica count, NOREPLICAS) shows Redis's own error text, and no
 *    write rate it does not achieve; the header says the writes are refused,
 *    in the warning colour (it read a green "● 0 ops/s"), and the refusals it
 *    counts are error replies the nodes' own errorstats counted.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RespError } from '../support/resp-reply-parser';
import { command, info } from '../support/replication';
import type { ConsoleSession } from '../support/console-session';
import { openDemoSession } from '../support/demo-session';

let session: ConsoleSession;
let page: Page;

beforeAll(async () => {
  session = await openDemoSession('demo-page');
  page = session.page;
}, 150_000);

afterAll(async () => {
  await session?.close();
});

interface Row { name: string; role: string; port: number; upstream: string; backlog: string }

async function rows(): Promise<Row[]> {
  const found: Row[] = [];
  for (const row of await page.locator('[data-testid="demo-nodes"] tbody tr').all()) {
    const [name = '', role = '', port = '', upstream = '', , backlog = ''] = (await row.locator('td').allTextContents()).map((cell) => cell.trim());
    found.push({ name, role, port: Number(port), upstream, backlog });
  }
  return found;
}

const KiB = 1024;

it('after Shrink backlog and a promotion the table says what the nodes say, and the refused load shows Redis\'s error', async () => {
  await page.keyboard.press('Alt+3');
  await expect.poll(async () => (await rows()).length, { timeout: 10_000 }).toBe(2);
  const [planned, plannedReplica] = await rows();
  const master = { port: planned!.port };
  const replica = { port: plannedReplica!.port };

  // Shrink the master's backlog from the Chaos card.
  await page.locator('[data-testid="shrink-size"]').fill('32kb');
  await page.locator('[data-testid="chaos-shrink"]').click();
  // The click sends the chaos request and returns: the node's own CONFIG says when it is done.
  await expect.poll(() => command(master, 'CONFIG', 'GET', 'repl-backlog-size'), { timeout: 10_000 }).toEqual(['repl-backlog-size', String(32 * KiB)]);
  await expect.poll(async () => (await rows()).map((row) => row.backlog), { timeout: 10_000 }).toEqual(['32 KiB', '8 MiB']);
  expect(await page.locator('main').innerText()).not.toMatch(/Backlog 1 MiB per node/);

  // Swap the roles the way an operator at redis-cli would.
  expect(await command(replica, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
  expect(await command(master, 'REPLICAOF', '127.0.0.1', replica.port)).toBe('OK');
  const readonly = await command(master, 'SET', 'demo-page-truth', '1');
  expect(readonly).toBeInstanceOf(RespError);
  await expect.poll(async () => (await rows()).map((row) => `${row.name} ${row.role} ${row.upstream}`), { timeout: 15_000 })
    .toEqual([`${planned!.name} replica 127.0.0.1:${replica.port}`, `${plannedReplica!.name} master `]);
  const masterInfo = await info(master, 'replication');
  expect(masterInfo.get('role')).toBe('slave');
  expect(masterInfo.get('master_port')).toBe(String(replica.port));
  expect((await info(replica, 'replication')).get('role')).toBe('master');
  expect(await page.locator('main').innerText()).toContain(`redis-cli -p ${replica.port} info replication`);

  // The load follows the new master, as a Sentinel-aware client would, and the Load card says so.
  await expect.poll(() => page.locator('[data-testid="load-target"]').innerText(), { timeout: 10_000 })
    .toBe(`Writing to 127.0.0.1:${replica.port} (${plannedReplica!.name}), the node that answers ROLE as master.`);
  const promotedOffset = Number((await info(replica, 'replication')).get('master_repl_offset'));
  await expect.poll(async () => Number((await info(replica, 'replication')).get('master_repl_offset')), { timeout: 10_000 }).toBeGreaterThan(promotedOffset + 10_000);

  // Make the new master refuse writes: it wants more good replicas than it has (one).
  expect(await command(replica, 'CONFIG', 'SET', 'min-replicas-to-write', '2')).toBe('OK');
  const refused = await command(replica, 'SET', 'demo-page-truth', '1');
  expect(refused).toBeInstanceOf(RespError);
  expect((refused as RespError).message).toMatch(/^NOREPLICAS /);
  // Every write refused, in Redis's words.
  const banner = page.locator('[data-testid="load-errors"]');
  await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
  await expect.poll(async () => (await banner.innerText()).includes((refused as RespError).message), { timeout: 10_000 }).toBe(true);
  // The header says the writes are refused, in the warning colour, not a green "● 0 ops/s".
  const header = page.locator('[data-testid="load-running"]');
  await expect.poll(() => header.innerText(), { timeout: 10_000 }).toMatch(/^⚠ 0 ops\/s · [\d,]+ refused\/s$/);
  const colours = await header.evaluate((element) => {
    const view = element.ownerDocument.defaultView!;
    const probe = element.ownerDocument.createElement('span');
    probe.style.color = 'var(--warn)';
    element.appendChild(probe);
    const warn = view.getComputedStyle(probe).color;
    probe.remove();
    return { shown: view.getComputedStyle(element).color, warn };
  });
  expect(colours.shown).toBe(colours.warn);
  // Counted against the nodes' own INFO errorstats: every refusal the page counts is an error reply a node sent
  // (NOREPLICAS from the new master; READONLY from the old one for writes already on their way while the roles swapped).
  const refusedShown = async (): Promise<number> => Number((/([\d,]+) writes refused/.exec(await banner.innerText())?.[1] ?? '0').replace(/,/g, ''));
  const errorsSent = async (node: { port: number }, prefix: string): Promise<number> => Number(/count=(\d+)/.exec((await info(node, 'errorstats')).get(`errorstat_${prefix}`) ?? '')?.[1] ?? 0);
  const shown = await refusedShown();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThanOrEqual(await errorsSent(replica, 'NOREPLICAS') + await errorsSent(master, 'READONLY'));
  await expect.poll(refusedShown, { timeout: 10_000 }).toBeGreaterThan(shown);
}, 90_000);

it('logged no error', () => {
  expect(session.problems).toEqual([]);
});
