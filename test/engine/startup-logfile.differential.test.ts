/**
 * logfile at startup, against redis-server 7.0.15: after the configuration's
 * last line it must open for appending (else the FATAL CONFIG FILE ERROR
 * report, no line named: "Can't open the log file: <strerror>"), and the
 * log then goes to that file, a relative name from `dir`, instead of stdout.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bothOutcomes, withBothStarted } from '../support/startup-outcome';
import { waitFor } from '../support/wait';

const dir = mkdtempSync(path.join(tmpdir(), 'replscope-startup-logfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logfile', () => {
  it('one that cannot be opened stops startup with the same report', async () => {
    for (const args of [['--port', '0', '--logfile', path.join(dir, 'missing', 'x.log')], ['--port', '0', '--logfile', dir], ['--port', '0', '--dir', dir, '--logfile', 'missing/x.log']]) {
      const { redis, ours } = await bothOutcomes(args, dir);
      expect(redis.status, JSON.stringify(args)).toBe(1);
      expect(ours, JSON.stringify(args)).toEqual(redis);
    }
  }, 60_000);

  it('the log is written to it (a relative, non-ASCII name from dir), not to stdout', async () => {
    const lifeLines: Record<string, string[]> = {};
    await withBothStarted(
      (port) => ['--port', String(port), '--logfile', `lög-${port}.log`],
      dir,
      async (node) => {
        const file = path.join(dir, `lög-${node.port}.log`);
        expect(existsSync(file), node.name).toBe(true);
        expect(readFileSync(file, 'utf8'), node.name).toMatch(/^\d+:M \d\d \w{3} \d{4} [\d:.]+ . Server initialized$/m);
        const connection = node.connect();
        await connection.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
        connection.close();
        await waitFor(() => /bye bye/.test(readFileSync(file, 'utf8')), { what: `${node.name} logging its exit` });
        // The lines that mark a server's start and end, with their level marks, as redis-server 7.0.15 writes them.
        lifeLines[node.name] = readFileSync(file, 'utf8').split('\n').filter((line) => /Ready to accept|ready to exit/.test(line)).map((line) => line.replace(/^\d+:M \S+ \S+ \S+ \S+ /, ''));
      },
    );
    expect(lifeLines.redis).toEqual(['* Ready to accept connections', '# Redis is now ready to exit, bye bye...']);
    expect(lifeLines.ours).toEqual(lifeLines.redis);
  }, 60_000);
});
