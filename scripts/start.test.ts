/**
 * `npm start` where the Electron binary is missing (as on our build machines):
 * one clear line naming Electron, then the same console in web mode with the
 * same ready line as `npm run web`; the page answers with the token; SIGTERM
 * stops it (and the demo's engines) cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWebConsole } from '../test/support/web-console';

describe('npm start without the Electron binary', () => {
  it('says so in one line and serves the console in web mode', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-start-test-'));
    const started = await startWebConsole(['scripts/start.mjs', '--data-dir', dataDir], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(dataDir, 'no-electron-here') },
      timeoutMs: 80_000,
    });
    try {
      const electronLines = started.stderr().split('\n').filter((candidate) => candidate.includes('Electron'));
      expect(electronLines).toHaveLength(1);
      expect(electronLines[0]).toMatch(/^Electron is not available \(.+\); serving the same console in web mode instead\.$/);
      const url = started.url;
      expect(url.hostname).toBe('127.0.0.1');
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
      expect((await fetch(`http://127.0.0.1:${url.port}/`)).status).toBe(401);
    } finally {
      expect(await started.stop()).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
