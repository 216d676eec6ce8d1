/**
 * `user` lines at startup, against redis-server 7.0.15: each is checked as
 * it is read (ACLAppendUserForLoading), so a name defined twice or a rule
 * no user takes stops startup at its own line, before any later line; the
 * users are created once the server is initialized (ACLLoadUsersAtStartup),
 * and what fails there (a rule naming an unknown command, a name with a
 * space, an aclfile next to user lines or one that cannot be read) is
 * logged on stdout before exiting 1.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configScratch } from '../support/config-scratch';
import { bothOutcomes } from '../support/startup-outcome';

const { dir, file } = configScratch('startup-users');

describe('user lines refused at their line', () => {
  it('a bad rule, a name defined twice, an unclosed selector: the same report, before any later line', async () => {
    const cases: Array<ReadonlyArray<string>> = [
      [file('port 0\nuser alice on badrule\n')],
      [file('port 0\nuser alice badrule on\n')],
      [file('port 0\nuser alice on >p ~* +@all\nmaxmemory 1mb\nuser alice on\n')],
      [file('port 0\nuser alice on (+get\n')],
      [file('port 0\nuser alice on >p (~k +get) (bad)\n')],
      // The user line is refused before the bad line after it is read.
      [file('port 0\nuser bob on resetkeys x\nbogus-directive 1\n')],
      [file('port 0\nuser default on nopass ~* +@all\n'), '--user', 'alice', '--user', 'alice'],
    ];
    for (const args of cases) {
      const { redis, ours } = await bothOutcomes(args, dir);
      expect(redis.status, JSON.stringify(args)).toBe(1);
      expect(redis.stderr, JSON.stringify(args)).toMatch(/Error in user declaration/);
      expect(ours, JSON.stringify(args)).toEqual(redis);
    }
  }, 120_000);
});

describe('users refused when they are created', () => {
  it('logged on stdout, exit 1, nothing on stderr', async () => {
    const cases: Array<(port: number) => ReadonlyArray<string>> = [
      (port) => [file(`port ${port}\nuser alice on +nosuchcommand\n`)],
      (port) => [file(`port ${port}\nuser "a b" on\n`)],
      (port) => ['--port', String(port), '--aclfile', path.join(dir, 'missing.acl')],
      (port) => ['--port', String(port), '--aclfile', path.join(dir, 'missing.acl'), '--user', 'alice'],
      // A replica logs them with role S (server.masterhost is set by then); "replicaof no one" after it is M again.
      (port) => ['--port', String(port), '--replicaof', '127.0.0.1', '1', '--aclfile', path.join(dir, 'missing.acl')],
      (port) => [file(`port ${port}\nslaveof 127.0.0.1 1\nuser alice on +nosuchcommand\n`)],
      (port) => [file(`port ${port}\nreplicaof 127.0.0.1 1\nreplicaof no one\nuser alice on +nosuchcommand\n`)],
    ];
    for (const args of cases) {
      const { redis, ours } = await bothOutcomes(args, dir);
      const label = JSON.stringify(args(0));
      expect(redis.status, label).toBe(1);
      expect(ours.status, label).toBe(1);
      expect(ours.stderr, label).toBe(redis.stderr);
      // Our start-up lines before them are the engine's own; the refusal's lines are the same.
      const refusal = (stdout: string): string[] => stdout.split('\n').filter((line) => /ACL|user/.test(line));
      expect(refusal(redis.stdout).length, label).toBeGreaterThan(0);
      expect(refusal(ours.stdout), label).toEqual(refusal(redis.stdout));
    }
  }, 120_000);
});
