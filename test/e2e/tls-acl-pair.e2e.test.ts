/**
 * A real redis-server 7.0 pair that speaks only TLS (port 0, tls-replication
 * yes), attached in Chromium on `npm run web` through the Connections form as
 * the README's monitor-only ACL user, with the CA file: the topology the page
 * draws and the link's byte lag are held against the nodes' own INFO.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../support/ports';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { makeTlsFiles, type TlsFiles } from '../support/tls-certificates';
import { waitFor } from '../support/wait';
import { formatBytes } from '../../renderer/src/utils/format';
import { openConsoleSession, type ConsoleSession } from '../support/console-session';

const PROFILE = 'TLS pair';
// README: the monitor-only user's rules.
const MONITOR_ONLY = ['on', '>a-long-password', '+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun'];
let files: TlsFiles;
let master: RedisProcess;
let replica: RedisProcess;
let masterTls: number;
let replicaTls: number;
let session: ConsoleSession;
let page: Page;

/** The nodes keep a plain port for the test's own reads (INFO); the console is given only the TLS port. */
const tlsArgs = (port: number): string[] => ['--tls-port', String(port), '--tls-cert-file', files.certFile, '--tls-key-file', files.keyFile, '--tls-ca-cert-file', files.caFile, '--tls-auth-clients', 'no', '--tls-replication', 'yes'];
const replication = async (node: RedisProcess): Promise<Map<string, string>> => new Map(String(await node.call('INFO', 'replication')).split('\r\n').filter((line) => line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));

beforeAll(async () => {
  files = makeTlsFiles();
  masterTls = await freePort();
  master = await startRedisServer({ args: tlsArgs(masterTls) });
  replicaTls = await freePort();
  replica = await startRedisServer({ args: [...tlsArgs(replicaTls), '--replicaof', '127.0.0.1', String(masterTls)] });
  for (const node of [master, replica]) await node.call('ACL', 'SETUSER', 'replscope', ...MONITOR_ONLY);
  await waitFor(async () => (await replication(replica)).get('master_link_status') === 'up', { timeoutMs: 20_000, what: 'the replica in sync over TLS' });
  session = await openConsoleSession({ name: 'tls-acl-pair' });
  page = session.page;
  await page.locator('[data-testid="nav-connections"]').click();
  await page.locator('[data-testid="new-profile"]').click();
  await page.locator('[data-testid="profile-name"]').fill(PROFILE);
  await page.locator('[data-testid="profile-kind"]').selectOption('standalone');
  await page.locator('[data-testid="profile-seeds"]').fill(`127.0.0.1:${masterTls}`);
  await page.locator('[data-testid="profile-username"]').fill('replscope');
  await page.locator('[data-testid="profile-password"]').fill('a-long-password');
  await page.locator('[data-testid="profile-tls"]').check();
  await page.locator('[data-testid="profile-tls-ca"]').fill(files.caFile);
  await page.locator('[data-testid="profile-save"]').click();
  await page.locator(`[data-testid="profile-${PROFILE}"] [data-testid="profile-connect"]`).click();
  await waitFor(async () => (await page.locator(`[data-testid="session-${PROFILE}"]`).count()) === 1, { timeoutMs: 20_000, what: 'the TLS session' });
}, 180_000);

afterAll(async () => {
  await session?.close();
  await stopAllRedisServers();
  files?.remove();
});

it('draws the TLS pair as the nodes say, with the byte lag their INFO gives', async () => {
  await page.locator(`[data-testid="session-${PROFILE}"]`).click();
  await expect.poll(() => page.locator('[data-testid^="topology-node-"]').count(), { timeout: 20_000 }).toBe(2);
  const masterId = `127.0.0.1:${masterTls}`;
  const replicaId = `127.0.0.1:${replicaTls}`;
  // The master lists the replica under its TLS port (REPLCONF listening-port with tls-replication).
  expect((await replication(master)).get('slave0')).toContain(`port=${replicaTls},state=online`);
  expect(await page.locator(`[data-testid="topology-node-${masterId}"]`).getAttribute('class')).toContain('role-master');
  expect(await page.locator(`[data-testid="topology-node-${replicaId}"]`).getAttribute('class')).toContain('role-replica');
  for (let index = 0; index < 200; index += 1) await master.call('SET', `k${index}`, 'x'.repeat(100));
  await waitFor(async () => {
    const [fromMaster, fromReplica] = [await replication(master), await replication(replica)];
    return fromMaster.get('master_repl_offset') === fromReplica.get('master_repl_offset');
  }, { timeoutMs: 10_000, what: 'the replica caught up (INFO offsets equal)' });
  const link = page.locator('[data-testid^="topology-link-"]');
  await expect.poll(async () => (await link.first().textContent()) ?? '', { timeout: 15_000 }).toMatch(/^Link .*: 0 B · ack/);

  // A stalled replica (SIGSTOP): the master's INFO says how far behind its last ACK is; the label says the same.
  replica.signal('SIGSTOP');
  try {
    for (let index = 0; index < 300; index += 1) await master.call('SET', `k${index}`, 'y'.repeat(100));
    const fromMaster = await replication(master);
    const acked = Number(/offset=(\d+)/.exec(fromMaster.get('slave0') ?? '')?.[1]);
    const behind = Number(fromMaster.get('master_repl_offset')) - acked;
    expect(behind).toBeGreaterThan(30_000);
    await expect.poll(async () => (await link.first().textContent()) ?? '', { timeout: 15_000 }).toContain(`: ${formatBytes(behind)} · ack`);
  } finally {
    replica.signal('SIGCONT');
  }
  expect(session.problems).toEqual([]);
}, 90_000);
