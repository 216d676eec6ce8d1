/**
 * Paths at startup, against redis-server 7.0.15:
 * - paths are bytes: a directory, dump, ACL file or included file named in
 *   UTF-8 on the command line or in a config file is that file, and CONFIG
 *   GET dir replies the directory's bytes;
 * - `dir` chdir()s when its line is read: a relative `dir` is relative to
 *   the one before, a relative `include` after it is read from there, and
 *   a directory chdir() refuses stops startup at its line with strerror;
 * - CONFIG SET dir likewise: relative to the current directory, refused
 *   when chdir() would fail.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bothOutcomes, withBothStarted } from '../support/startup-outcome';

// The test directory itself has a non-ASCII name: both servers run in it and are given it as --dir.
const dir = path.join(mkdtempSync(path.join(tmpdir(), 'replscope-startup-paths-')), 'dätä');
mkdirSync(dir);
afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

/** A path as a server replies it: its UTF-8 bytes, one latin1 char each (the test connection's decoding). */
function replied(name: string): string {
  return Buffer.from(name, 'utf8').toString('latin1');
}

let files = 0;
function file(text: string, name = `case-${files++}.conf`): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

describe('non-ASCII paths are the bytes given', () => {
  it('dir, dbfilename and aclfile named in UTF-8: CONFIG GET dir, SAVE, ACL users and ACL SAVE use those files', async () => {
    file('user default on nopass ~* &* +@all\nuser alice on >pässword ~* +@all\n', 'users-ä.acl');
    await withBothStarted(
      (port) => ['--port', String(port), '--dbfilename', `dümp-${port}.rdb`, '--aclfile', 'users-ä.acl', '--enable-protected-configs', 'yes'],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          expect(await connection.call('CONFIG', 'GET', 'dir'), node.name).toEqual(['dir', replied(dir)]);
          expect(await connection.call('CONFIG', 'GET', 'dbfilename'), node.name).toEqual(['dbfilename', replied(`dümp-${node.port}.rdb`)]);
          expect(await connection.call('SAVE'), node.name).toBe('OK');
          expect(existsSync(path.join(dir, `dümp-${node.port}.rdb`)), node.name).toBe(true);
          expect(await connection.call('AUTH', 'alice', 'pässword'), node.name).toBe('OK');
          expect(await connection.call('ACL', 'LOAD'), node.name).toBe('OK');
        } finally {
          connection.close();
        }
      },
    );
  }, 60_000);

  it('a config file and an included file named in UTF-8', async () => {
    file('maxmemory 7mb\n', 'inclüded.conf');
    const outer = file('include inclüded.conf\nmaxmemory-samples 9\n', 'öuter.conf');
    await withBothStarted(
      (port) => [outer, '--port', String(port)],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          expect(await connection.call('CONFIG', 'GET', 'maxmemory'), node.name).toEqual(['maxmemory', String(7 * 1024 * 1024)]);
          expect(await connection.call('CONFIG', 'GET', 'maxmemory-samples'), node.name).toEqual(['maxmemory-samples', '9']);
        } finally {
          connection.close();
        }
      },
    );
  }, 60_000);
});

describe('dir is changed into at its line', () => {
  it('a relative dir is relative to the one before; a relative include after it is read there', async () => {
    mkdirSync(path.join(dir, 'ä', 'b'), { recursive: true });
    writeFileSync(path.join(dir, 'ä', 'b', 'inner.conf'), 'maxmemory 5mb\n');
    const outer = file('dir ä\ndir b\ninclude inner.conf\n');
    await withBothStarted(
      // The harness's own --dir (the test directory) comes last; CONFIG SET dir reads back the directory reached.
      (port) => [outer, '--port', String(port), '--enable-protected-configs', 'yes'],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          expect(await connection.call('CONFIG', 'GET', 'maxmemory'), node.name).toEqual(['maxmemory', String(5 * 1024 * 1024)]);
          expect(await connection.call('CONFIG', 'SET', 'dir', 'ä/b'), node.name).toBe('OK');
          expect(await connection.call('CONFIG', 'GET', 'dir'), node.name).toEqual(['dir', replied(path.join(dir, 'ä', 'b'))]);
          expect(await connection.call('CONFIG', 'SET', 'dir', '..'), node.name).toBe('OK');
          expect(await connection.call('CONFIG', 'GET', 'dir'), node.name).toEqual(['dir', replied(path.join(dir, 'ä'))]);
          for (const [refused, reason] of [['missing', 'No such file or directory'], ['', 'No such file or directory'], ['../case-0.conf', 'Not a directory']]) {
            const reply = await connection.call('CONFIG', 'SET', 'dir', refused!);
            expect(reply instanceof Error && reply.message, `${node.name} ${refused}`).toBe(`ERR CONFIG SET failed (possibly related to argument 'dir') - ${reason}`);
          }
          expect(await connection.call('CONFIG', 'GET', 'dir'), node.name).toEqual(['dir', replied(path.join(dir, 'ä'))]);
        } finally {
          connection.close();
        }
      },
    );
  }, 60_000);

  it('a dir through a symbolic link and `..` is where chdir() lands: the parent of the link\'s target', async () => {
    mkdirSync(path.join(dir, 'far', 'target'), { recursive: true });
    mkdirSync(path.join(dir, 'near'), { recursive: true });
    symlinkSync(path.join('..', 'far', 'target'), path.join(dir, 'near', 'link'));
    // Only the physical parent holds this file: the include proves where startup's `dir` line landed.
    writeFileSync(path.join(dir, 'far', 'physical.conf'), 'maxmemory 3mb\n');
    const outer = file('dir near/link/..\ninclude physical.conf\n');
    await withBothStarted(
      (port) => [outer, '--port', String(port), '--enable-protected-configs', 'yes'],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          expect(await connection.call('CONFIG', 'GET', 'maxmemory'), node.name).toEqual(['maxmemory', String(3 * 1024 * 1024)]);
          expect(await connection.call('CONFIG', 'SET', 'dir', 'near/link/..'), node.name).toBe('OK');
          expect(await connection.call('CONFIG', 'GET', 'dir'), node.name).toEqual(['dir', replied(path.join(dir, 'far'))]);
        } finally {
          connection.close();
        }
      },
    );
  }, 60_000);

  it('a directory chdir() refuses stops startup at its line, with the same report', async () => {
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    const cases: Array<ReadonlyArray<string>> = [
      ['--port', '0', '--dir', path.join(dir, 'missing')],
      ['--port', '0', '--dir', ''],
      ['--port', '0', '--dir', file('port 0\n')],
      [file('port 0\ndir sub\ndir sub\n')],
    ];
    for (const args of cases) {
      const { redis, ours } = await bothOutcomes(args, dir);
      expect(redis.status, JSON.stringify(args)).toBe(1);
      expect(ours, JSON.stringify(args)).toEqual(redis);
    }
  }, 120_000);

  it('an include relative to a dir without the file stops startup, with the same log line', async () => {
    file('maxmemory 1mb\n', 'plain.conf');
    const args = [file('port 0\ndir sub\ninclude plain.conf\n')];
    const { redis, ours } = await bothOutcomes(args, dir);
    expect(redis.status).toBe(1);
    expect(ours).toEqual(redis);
  }, 60_000);
});
