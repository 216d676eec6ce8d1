/**
 * loadmodule, module parameters and rename-command at startup, against
 * redis-server 7.0.15: loadmodule lines and module parameters are queued
 * while the lines are read (a later bad line is reported first) and refused
 * once the server is initialized, logged on stdout (moduleLoadFromQueue:
 * 'Module <path> failed to load: <why>', then 'Can't load module from
 * <path>: server aborting'); rename-command names an existing command and a
 * free new name, or stops startup at its line with redis-server's error.
 * (The engine loads no module and renames no command: what redis-server
 * would then do, it refuses.)
 */
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configScratch } from '../support/config-scratch';
import { bothOutcomes } from '../support/startup-outcome';

const { dir, file } = configScratch('startup-modules');

describe('rename-command names', () => {
  it('an unknown command, a taken new name: refused at the line with the same report', async () => {
    for (const line of ['rename-command nosuch x', 'rename-command get SET', 'rename-command GET del']) {
      const { redis, ours } = await bothOutcomes([file(`port 0\n${line}\n`)], dir);
      expect(redis.status, line).toBe(1);
      expect(ours, line).toEqual(redis);
    }
  }, 60_000);
});

describe('loadmodule and module parameters', () => {
  it('refused once the configuration is read, logged as redis-server logs them', async () => {
    writeFileSync(path.join(dir, 'not-executable.so'), '');
    writeFileSync(path.join(dir, 'executable.so'), '');
    chmodSync(path.join(dir, 'executable.so'), 0o755);
    const cases: ReadonlyArray<string> = [
      `loadmodule ${path.join(dir, 'missing.so')} arg1 arg2`,
      'loadmodule not-executable.so',
      // No slash: dlopen does not look in the working directory.
      'loadmodule executable.so',
      'foo.bar 1',
      `foo.bar 1\nloadmodule ${path.join(dir, 'missing.so')}`,
      // A replica's refusal is logged with role S.
      `replicaof 127.0.0.1 1\nloadmodule ${path.join(dir, 'missing.so')}`,
    ];
    for (const lines of cases) {
      const { redis, ours } = await bothOutcomes((port) => [file(`port ${port}\n${lines}\n`)], dir);
      expect(redis.status, lines).toBe(1);
      expect(ours.status, lines).toBe(1);
      expect(ours.stderr, lines).toBe(redis.stderr);
      // Our start-up lines before them are the engine's own; the refusal's lines are the same.
      const refusal = (stdout: string): string[] => stdout.split('\n').filter((line) => /[Mm]odule/.test(line));
      expect(refusal(redis.stdout).length, lines).toBeGreaterThan(0);
      expect(refusal(ours.stdout), lines).toEqual(refusal(redis.stdout));
    }
  }, 120_000);

  it('a bad line after a loadmodule line is reported first', async () => {
    const { redis, ours } = await bothOutcomes([file(`port 0\nloadmodule ${path.join(dir, 'missing.so')}\nbogus-directive 1\n`)], dir);
    expect(redis.status).toBe(1);
    expect(ours).toEqual(redis);
  }, 60_000);
});
