/**
 * How startup arguments are read, against redis-server 7.0.15:
 * - main(): the word after a bare `--name` is its value even when it starts
 *   with `--`; one argv word holding spaces (`"--port 6380"`) is a whole
 *   option line;
 * - a config line's quoted arguments stay whole (a `user` rule `">pass
 *   word"`, `client-output-buffer-limit "normal 0" "0 0"`);
 * - lines are trimmed of " \t\r\n" only (sdstrim): a UTF-8 BOM or a
 *   trailing no-break space is part of the line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bothOutcomes, withBothStarted } from '../support/startup-outcome';

const dir = mkdtempSync(path.join(tmpdir(), 'replscope-startup-arguments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(text: string | Buffer): string {
  const name = path.join(dir, `case-${files++}.conf`);
  writeFileSync(name, text);
  return name;
}

async function configGet(connection: { call(...args: string[]): Promise<unknown> }, name: string): Promise<unknown> {
  return connection.call('CONFIG', 'GET', name);
}

describe('command-line words as redis-server main() reads them', () => {
  it('a bare option takes the next word as its value, even one starting with --; a word with spaces is a whole line', async () => {
    await withBothStarted(
      (port) => ['--masterauth', '--s3cret', `--port ${port}`, '--maxmemory 3mb', '--masteruser', '--', '--loglevel', 'warning'],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          expect(await configGet(connection, 'masterauth'), node.name).toEqual(['masterauth', '--s3cret']);
          expect(await configGet(connection, 'maxmemory'), node.name).toEqual(['maxmemory', String(3 * 1024 * 1024)]);
          expect(await configGet(connection, 'masteruser'), node.name).toEqual(['masteruser', '--']);
          expect(await configGet(connection, 'loglevel'), node.name).toEqual(['loglevel', 'warning']);
        } finally {
          connection.close();
        }
      },
    );
  }, 60_000);

  it('refused the same way: a value word after a whole-line word, a bare option at the end', async () => {
    for (const args of [
      ['--port 0', '--maxmemory 1mb', 'x'],
      ['--port', '0', '--loglevel'],
    ]) {
      const { redis, ours } = await bothOutcomes(args, dir);
      expect(redis.status, JSON.stringify(args)).toBe(1);
      expect(ours, JSON.stringify(args)).toEqual(redis);
    }
  }, 60_000);
});

describe('quoted arguments stay whole', () => {
  it('a user rule with a space: the password is the whole quoted word', async () => {
    const conf = file('user alice on ">pass word" ~* +@all\n');
    await withBothStarted(
      (port) => [conf, '--port', String(port)],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          expect(await connection.call('AUTH', 'alice', 'pass word'), node.name).toBe('OK');
          expect(await connection.call('ACL', 'WHOAMI'), node.name).toBe('alice');
        } finally {
          connection.close();
        }
      },
    );
  }, 60_000);

  it('client-output-buffer-limit with spaced arguments is refused at its line', async () => {
    for (const text of ['port 0\nclient-output-buffer-limit "normal 0" "0 0"\n', 'port 0\nclient-output-buffer-limit normal 0 0 0 "pubsub 1" 2 3 4\n', 'port 0\nclient-output-buffer-limit normal "0 1" 0 0\n']) {
      const { redis, ours } = await bothOutcomes([file(text)], dir);
      expect(redis.status, JSON.stringify(text)).toBe(1);
      expect(ours, JSON.stringify(text)).toEqual(redis);
    }
  }, 60_000);
});

describe('a quoted "\\x00" in a config line: each setter reads its argument as it reads one from CONFIG SET', () => {
  it('enum, memory, char * strings and the word-wise grammars end at the NUL; masterauth (sds) keeps every byte', async () => {
    const lines = [
      'loglevel "warning\\x00x"', 'maxmemory "3mb\\x00x"', 'masterauth "ab\\x00cd"', 'replica-announce-ip "1.2.3.4\\x00y"',
      'notify-keyspace-events "KEA\\x00x"', 'save "100\\x00x" 2',
      // A lone argument is split again with sdssplitargs, which stops at the NUL; several are each read up to theirs.
      'client-output-buffer-limit normal 0 0 0 "pubsub\\x00 1" 2 3 4', 'oom-score-adj-values "1\\x00 x" 2 3', 'shutdown-on-sigterm "now\\x00 x"',
    ];
    const names = ['loglevel', 'maxmemory', 'masterauth', 'replica-announce-ip', 'notify-keyspace-events', 'save', 'client-output-buffer-limit', 'oom-score-adj-values', 'shutdown-on-sigterm'];
    const conf = file(`${lines.join('\n')}\n`);
    const seen: Record<string, unknown[]> = {};
    await withBothStarted(
      (port) => [conf, '--port', String(port)],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          seen[node.name] = await Promise.all(names.map((name) => configGet(connection, name)));
        } finally {
          connection.close();
        }
      },
      { keepSave: true },
    );
    expect(seen.redis![0]).toEqual(['loglevel', 'warning']);
    expect(seen.ours).toEqual(seen.redis);
  }, 60_000);
});

describe('replicaof at startup: two arguments, each read as a C string, the port strtol\'d into an int', () => {
  it('the host and port end at a NUL, "no\\x00x one" is no one, the port may lead with spaces and a sign and wraps as an int', async () => {
    // Nothing listens on the master port named: only what CONFIG GET prints is compared.
    const texts = [
      'replicaof "127.0.0.1\\x00junk" "7499\\x00x"\n',
      'replicaof 127.0.0.1 " +7499"\n',
      'replicaof 127.0.0.1 4294974795\n',
      'replicaof 127.0.0.1 "\\x00"\n',
      'replicaof "a b" 7499\n',
      'replicaof 127.0.0.1 7499\nreplicaof "no\\x00x" one\n',
    ];
    for (const text of texts) {
      const conf = file(text);
      const seen: Record<string, unknown> = {};
      await withBothStarted(
        (port) => [conf, '--port', String(port)],
        dir,
        async (node) => {
          const connection = node.connect();
          try {
            seen[node.name] = await configGet(connection, 'replicaof');
          } finally {
            connection.close();
          }
        },
      );
      expect(seen.ours, JSON.stringify(text)).toEqual(seen.redis);
    }
  }, 120_000);

  it('refused as redis-server refuses: a count other than two, a port with more after its digits', async () => {
    for (const text of ['port 0\nreplicaof 127.0.0.1 7499 x\n', 'port 0\nreplicaof 127.0.0.1\n', 'port 0\nreplicaof "127.0.0.1 7499 x"\n', 'port 0\nreplicaof ""\n', 'port 0\nreplicaof 127.0.0.1 7499x\n']) {
      const { redis, ours } = await bothOutcomes([file(text)], dir);
      expect(redis.status, JSON.stringify(text)).toBe(1);
      expect(ours, JSON.stringify(text)).toEqual(redis);
    }
  }, 60_000);
});

describe('config lines trimmed of " \\t\\r\\n" only', () => {
  it('a UTF-8 BOM, a trailing no-break space: part of the line, refused as redis-server refuses them', async () => {
    const cases = [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('port 0\n')]),
      Buffer.concat([Buffer.from('port 0\nmaxmemory 1mb'), Buffer.from([0xc2, 0xa0]), Buffer.from('\n')]),
      // Inside an unquoted word only ' ', \t, \r, \n separate: a vertical tab is part of the word.
      Buffer.from('port 0\nloglevel\x0bwarning\n'),
      // Not trimmed, so not a comment: sdssplitargs skips the \v and reads '#' as a directive.
      Buffer.from('port 0\n\x0b# comment\n'),
    ];
    for (const text of cases) {
      const { redis, ours } = await bothOutcomes([file(text)], dir);
      expect(redis.status, text.toString('hex')).toBe(1);
      expect(ours, text.toString('hex')).toEqual(redis);
    }
  }, 60_000);

  it('trailing \\r and tabs are trimmed; a vertical tab before the first word is skipped', async () => {
    const conf = file('maxmemory 2mb\r\n\tmaxmemory-samples 9\t\n\x0bloglevel warning\n');
    await withBothStarted(
      (port) => [conf, '--port', String(port)],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          expect(await configGet(connection, 'maxmemory'), node.name).toEqual(['maxmemory', String(2 * 1024 * 1024)]);
          expect(await configGet(connection, 'maxmemory-samples'), node.name).toEqual(['maxmemory-samples', '9']);
          expect(await configGet(connection, 'loglevel'), node.name).toEqual(['loglevel', 'warning']);
        } finally {
          connection.close();
        }
      },
    );
  }, 60_000);
});
