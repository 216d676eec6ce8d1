/**
 * Config lines that name no parameter, against redis-server 7.0.15
 * (loadServerConfigFromString after its parameter lookup): an unknown
 * directive is refused at its own line, the three deprecated parameters are
 * accepted and ignored, `include` reads another file there and then
 * (numbering its own lines), a bare `sentinel` is ignored, and the other
 * directives are checked with their own argument counts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configScratch } from '../support/config-scratch';
import { bothOutcomes, withBothStarted } from '../support/startup-outcome';

const { dir, file } = configScratch('startup-directives');

describe('config lines that name no parameter', () => {
  it('refused at their own line, with the same report', async () => {
    const inner = file('maxmemory 1mb\nno-such-directive yes\n');
    const cases: Array<ReadonlyArray<string>> = [
      [file('port 0\nbogus-directive 1\nmaxmemory 1mb\n')],
      [file('port 0\nlist-max-ziplist-value 1 2\n')],
      [file('port 0\nlua-replicate-commands\n')],
      [file('port 0\nfoo.bar\n')],
      [file('port 0\nsentinel monitor m 127.0.0.1 6379 1\n')],
      [file('port 0\ninclude\n')],
      [file('port 0\nrename-command get\n')],
      [file('port 0\nuser\n')],
      [file('port 0\nloadmodule\n')],
      // The included file's bad line, numbered in that file.
      [file(`port 0\ninclude ${inner}\n`)],
      ['--port', '0', '--bogus-option', 'yes'],
      [file('port 0\n'), '--loglevel', 'notice', '--no-such', 'x'],
    ];
    for (const args of cases) {
      const { redis, ours } = await bothOutcomes(args, dir);
      expect(redis.status, JSON.stringify(args)).toBe(1);
      expect(redis.stderr, JSON.stringify(args)).toMatch(/FATAL CONFIG FILE ERROR/);
      expect(ours, JSON.stringify(args)).toEqual(redis);
    }
  }, 120_000);

  it('stop startup without a line report: a module parameter no module takes, a missing include', async () => {
    for (const args of [[file('port 0\nfoo.bar 1\n')], [file(`port 0\ninclude ${path.join(dir, 'missing.conf')}\n`)]]) {
      const { redis, ours } = await bothOutcomes(args, dir);
      expect(redis.status, JSON.stringify(args)).toBe(1);
      expect(ours.status, JSON.stringify(args)).toBe(1);
    }
    // The missing include: the same log line on stdout.
    const { redis, ours } = await bothOutcomes([file(`port 0\ninclude ${path.join(dir, 'missing.conf')}\n`)], dir);
    expect(ours).toEqual(redis);
  }, 60_000);

  it('accepted: the deprecated parameters, a bare sentinel, and an included file applied in order', async () => {
    const inner = file('maxmemory 7mb\nlist-max-ziplist-entries 512\n');
    const outer = file(`list-max-ziplist-entries 128\nlist-max-ziplist-value 64\nlua-replicate-commands yes\nsentinel\nmaxmemory 1mb\ninclude ${inner}\nmaxmemory-samples 7\n`);
    await withBothStarted(
      (port) => [outer, '--port', String(port)],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          expect(await connection.call('CONFIG', 'GET', 'maxmemory'), node.name).toEqual(['maxmemory', String(7 * 1024 * 1024)]);
          expect(await connection.call('CONFIG', 'GET', 'maxmemory-samples'), node.name).toEqual(['maxmemory-samples', '7']);
        } finally {
          connection.close();
        }
      },
    );
  }, 60_000);
});
