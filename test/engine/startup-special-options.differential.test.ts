/**
 * What redis-server 7.0.15's main() answers before reading any
 * configuration, and how it reports a config file it cannot open:
 * -v/--version (one line on stdout, exit 0), -h/--help (usage on stderr,
 * exit 1), --test-memory without its size (exit 1); --version's build=
 * is INFO server's redis_build_id, in hex; only as the first
 * word, elsewhere they are option lines. A config file or include that
 * cannot be opened is a log line on stdout (role C), the main file named by
 * its absolute path (getAbsolutePath), an include as written.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledEngineCli } from '../support/engine';
import { bothOutcomes, withBothStarted } from '../support/startup-outcome';

const dir = mkdtempSync(path.join(tmpdir(), 'replscope-startup-special-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('first words main() answers itself', () => {
  it('-v and --version: the version line on stdout, exit 0', async () => {
    for (const word of ['-v', '--version']) {
      const { redis, ours } = await bothOutcomes([word], dir);
      expect(redis.status, word).toBe(0);
      // build= is hex without leading zeros (%llx of a 64-bit id), which tools parse as a number.
      const line = /^Redis server v=(\S+) sha=[0-9a-f]{8}:[01] malloc=\S+ bits=64 build=[1-9a-f][0-9a-f]{0,15}$/;
      expect(redis.stdout, word).toMatch(line);
      expect(ours.stdout, word).toMatch(line);
      // The build facts are the engine's own (INFO server's); the version is the one it is compatible with.
      expect(ours.stdout.match(line)?.[1], word).toBe(redis.stdout.match(line)?.[1]);
      expect({ status: ours.status, stderr: ours.stderr }, word).toEqual({ status: redis.status, stderr: redis.stderr });
    }
  }, 60_000);

  it('--version build= is the build id INFO server reports as redis_build_id', async () => {
    const cli = await bundledEngineCli();
    await withBothStarted(
      (port) => ['--port', String(port)],
      dir,
      async (node) => {
        const version = node.name === 'redis' ? execFileSync('redis-server', ['--version'], { cwd: dir }) : execFileSync(process.execPath, [cli, '--version'], { cwd: dir });
        const build = /build=(\S+)/.exec(version.toString())?.[1];
        const connection = node.connect();
        try {
          const info = String(await connection.call('INFO', 'server'));
          expect(/^redis_build_id:(\S+)\r$/m.exec(info)?.[1], node.name).toBe(build);
        } finally {
          connection.close();
        }
      },
    );
  }, 60_000);

  it('-h, --help, --test-memory without its size, and --version after another option: same output and status', async () => {
    for (const args of [['-h'], ['--help'], ['--test-memory'], ['--test-memory', '1', '2'], ['--port', '0', '--version'], ['--port', '0', '-h']]) {
      const { redis, ours } = await bothOutcomes(args, dir);
      expect(redis.status, JSON.stringify(args)).toBe(1);
      expect(ours, JSON.stringify(args)).toEqual(redis);
    }
  }, 60_000);
});

describe('a config file that cannot be opened', () => {
  it('is a log line on stdout naming the main file by its absolute path, an include as written', async () => {
    writeFileSync(path.join(dir, 'outer.conf'), 'port 0\ninclude missing-inner.conf\n');
    for (const args of [['missing.conf'], ['../missing.conf', '--port', '0'], ['./missing.conf'], [path.join(dir, 'missing.conf')], ['outer.conf']]) {
      const { redis, ours } = await bothOutcomes(args, dir);
      expect(redis.status, JSON.stringify(args)).toBe(1);
      expect(redis.stdout, JSON.stringify(args)).toMatch(/^<pid>:C <time> # Fatal error, can't open config file '.*': No such file or directory$/);
      expect(ours, JSON.stringify(args)).toEqual(redis);
    }
  }, 60_000);
});
