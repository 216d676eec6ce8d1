/**
 * always-show-logo yes: redis-server logs its banner (redisAsciiArt) with
 * "Port: N" and "PID: N" once it listens, even when its stdout is not a
 * terminal. Redis's own Tcl harness (tests/support/server.tcl,
 * wait_server_started) waits for " PID: <pid>" in the log of each server it
 * starts (its default.conf sets always-show-logo yes), so without the banner
 * it never talks to the engine; and a server whose dump cannot be loaded
 * must have shown it before the load error (integration/rdb.tcl waits for
 * that error in the log of a server it started). Held against a real
 * redis-server's log.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledEngineCli, startEngineProcess, type EngineProcess } from '../support/engine';
import { freePort } from '../support/ports';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { waitFor } from '../support/wait';

const engines: EngineProcess[] = [];

/** Runs a program until it exits (killed, and failed, if it has not within deadlineMs): its status and output. */
async function runUntilExit(command: string, args: string[], deadlineMs = 30_000): Promise<{ status: number | null; output: string; pid: number }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let timer: NodeJS.Timeout | undefined;
  try {
    const status = await new Promise<number | null>((resolve, reject) => {
      child.once('exit', (code) => resolve(code));
      timer = setTimeout(() => reject(new Error(`${command} did not exit within ${deadlineMs} ms: ${output}`)), deadlineMs);
    });
    return { status, output, pid: child.pid! };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.stop()));
  await stopAllRedisServers();
});

describe('always-show-logo', () => {
  it.each(['yes', 'no'])('%s: the log names the port and pid in the banner, before "Ready to accept connections", only when set', async (setting) => {
    const redis = await startRedisServer({ args: ['--always-show-logo', setting] });
    const engine = await startEngineProcess(['--always-show-logo', setting], { bundled: true });
    engines.push(engine);
    const logs = [
      { log: () => redis.log(), pid: redis.process.pid!, port: redis.port },
      { log: () => engine.output(), pid: engine.process.pid!, port: engine.port },
    ];
    for (const { log, pid, port } of logs) {
      await waitFor(() => log().includes('Ready to accept connections'), { timeoutMs: 20_000, what: 'the server to be ready' });
      const text = log();
      const banner = [new RegExp(` PID: ${pid}\\b`), new RegExp(` Port: ${port}\\b`)].map((pattern) => pattern.test(text));
      expect(banner).toEqual(setting === 'yes' ? [true, true] : [false, false]);
      if (setting === 'yes') expect(text.indexOf(` PID: ${pid}`)).toBeLessThan(text.indexOf('Ready to accept connections'));
    }
  }, 60_000);

  it('yes: a server whose dump is corrupt shows the banner before the load error, and exits 1', async () => {
    const bundle = await bundledEngineCli();
    const programs = [
      { name: 'redis-server', command: 'redis-server', prefix: [] as string[] },
      { name: 'engine', command: process.execPath, prefix: [bundle] },
    ];
    for (const { name, command, prefix } of programs) {
      const dir = mkdtempSync(path.join(tmpdir(), 'replscope-logo-'));
      try {
        // A valid header, then a record type no version has: the load fails after the banner.
        writeFileSync(path.join(dir, 'dump.rdb'), Buffer.concat([Buffer.from('REDIS0009'), Buffer.from([0xf0, 0xf0, 0xf0])]));
        const { status, output, pid } = await runUntilExit(command, [...prefix, '--port', String(await freePort()), '--dir', dir, '--always-show-logo', 'yes']);
        expect({ name, status }).toEqual({ name, status: 1 });
        const banner = output.indexOf(` PID: ${pid}`);
        expect(banner, `${name}: ${output}`).toBeGreaterThan(-1);
        expect(output.indexOf('Ready to accept connections'), name).toBe(-1);
        // What the load error says differs between the two: that it comes after the banner does not.
        expect(output.slice(banner).split('\n').filter((line) => / # /.test(line)).length, `${name}: ${output}`).toBeGreaterThan(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 60_000);

  it('yes: a server whose port is taken says "Failed listening" before any banner, and exits 1', async () => {
    // Redis's harness (wait_server_started) stops looking for "Failed listening on port" once it
    // sees " PID: <pid>": a banner first would keep it from retrying on another port.
    const bundle = await bundledEngineCli();
    const programs = [
      { name: 'redis-server', command: 'redis-server', prefix: [] as string[] },
      { name: 'engine', command: process.execPath, prefix: [bundle] },
    ];
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(port, '127.0.0.1', () => resolve());
    });
    try {
      for (const { name, command, prefix } of programs) {
        const dir = mkdtempSync(path.join(tmpdir(), 'replscope-logo-'));
        try {
          const { status, output, pid } = await runUntilExit(command, [...prefix, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--always-show-logo', 'yes']);
          expect({ name, status }).toEqual({ name, status: 1 });
          const failed = output.indexOf('Failed listening on port');
          expect(failed, `${name}: ${output}`).toBeGreaterThan(-1);
          const banner = output.indexOf(` PID: ${pid}`);
          expect(banner === -1 || banner > failed, `${name}: ${output}`).toBe(true);
          expect(output.indexOf('Server initialized'), `${name}: ${output}`).toBe(-1);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 90_000);
});
