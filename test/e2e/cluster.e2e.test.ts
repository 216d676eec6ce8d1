/**
 * A Cluster attached the way a user does it, in real Chromium against web
 * mode without the demo: a profile of kind Cluster with one node as its seed
 * shows the three shards (slots, master, replica) framed in the topology,
 * every node live. The page logs no error and no CSP violation.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_READY_LINE_PREFIX } from '../../shared/contract/web-protocol';
import { stopAllRedisServers } from '../support/redis-server';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'test-artifacts/e2e');
let child: ChildProcess;
let dataDir: string;
let browser: Browser;
let page: Page;
let cluster: RedisCluster;
const problems: string[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster(3, 1);
  dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-e2e-cluster-'));
  child = spawn(process.execPath, ['scripts/start.mjs', '--web', '--no-demo', '--data-dir', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((candidate) => candidate.startsWith(WEB_READY_LINE_PREFIX));
      if (line) resolve(line.slice(WEB_READY_LINE_PREFIX.length).trim());
    });
    child.once('exit', (code) => reject(new Error(`web mode exited with ${code}: ${stderr}`)));
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'], headless: true });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (failure) => problems.push(`pageerror: ${failure.message}`));
  await page.goto(url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
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
    expect(problems).toEqual([]);
  });
});
