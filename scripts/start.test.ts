/**
 * `npm start` where the Electron binary is missing (as on our build machines):
 * one clear line naming Electron, then the same console in web mode with the
 * same ready line as `npm run web`; the page answers with the token; SIGTERM
 * stops it (and the demo's engines) cleanly.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_READY_LINE_PREFIX } from '../shared/contract/web-protocol';

describe('npm start without the Electron binary', () => {
  it('says so in one line and serves the console in web mode', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-start-test-'));
    const child = spawn(process.execPath, ['scripts/start.mjs', '--data-dir', dataDir], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(dataDir, 'no-electron-here') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const found = stdout.split('\n').find((candidate) => candidate.startsWith(WEB_READY_LINE_PREFIX));
          if (found) {
            clearInterval(timer);
            resolve(found);
          }
        }, 50);
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      const electronLines = stderr.split('\n').filter((candidate) => candidate.includes('Electron'));
      expect(electronLines).toHaveLength(1);
      expect(electronLines[0]).toMatch(/^Electron is not available \(.+\); serving the same console in web mode instead\.$/);
      const url = new URL(line.slice(WEB_READY_LINE_PREFIX.length).trim());
      expect(url.hostname).toBe('127.0.0.1');
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
      expect((await fetch(`http://127.0.0.1:${url.port}/`)).status).toBe(401);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
