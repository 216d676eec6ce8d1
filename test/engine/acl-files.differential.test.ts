/**
 * Users from files and configuration, against redis-server (Redis 7.0's
 * acl.tcl file tests and auth.tcl, which its suite skips against an
 * external server): aclfile at startup, ACL LOAD / ACL SAVE (errors,
 * duplicates, clients of replaced users closed), acl-pubsub-default,
 * `user` lines, requirepass as the default user's password (binary too),
 * and the fatal configurations. Each scenario starts its own pair with the
 * same options and a copy of the same file.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineNode } from '../../main/engine/node';
import { rulesInAnyOrder } from '../support/acl-compare';
import { runDifferential, type Step } from '../support/differential';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';

interface Pair {
  readonly redis: RedisProcess;
  readonly ours: EngineHandle;
  readonly dirs: readonly [string, string];
}

const scratch: string[] = [];

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts redis-server and the engine with the same options, each in its own directory holding `files`. */
async function startPair(options: ReadonlyArray<readonly [string, string]>, files: Record<string, string> = {}, password?: string): Promise<Pair> {
  const dirs = [0, 1].map(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-acl-files-'));
    scratch.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  }) as [string, string];
  const [redis, ours] = await Promise.all([
    // One argument per word: redis-server quotes each argument back into one config line.
    startRedisServer({ dir: dirs[0], args: options.flatMap(([name, value]) => [`--${name}`, ...value.split(' ')]), ...(password ? { password } : {}) }),
    startEngine([['dir', dirs[1]], ...options], { dir: dirs[1] }),
  ]);
  return { redis, ours, dirs };
}

const on = (session: string) => (...cmd: Array<string | Buffer>): Step => ({ session, cmd });
const admin = on('admin');

async function expectSame(pair: Pair, steps: Step[]): Promise<void> {
  expect(await runDifferential(pair.redis, pair.ours, steps)).toEqual([]);
}

const USER_ACL = 'user alice on allcommands allkeys &* >alice\nuser bob on -@all +@set +acl ~set* &* >bob\nuser default on nopass ~* &* +@all\n';

/** An ACL file as a set of lines, each a set of words (Redis writes single-command rules in random order). */
function aclFileWords(file: string): string[] {
  return readFileSync(file, 'latin1').split('\n').map((line) => line.split(' ').sort().join(' ')).sort();
}

describe('ACL files and configuration match redis-server', () => {
  it('aclfile with acl-pubsub-default allchannels: users, ACL SAVE, ACL LOAD closing clients of replaced users', async () => {
    const pair = await startPair([['aclfile', 'user.acl'], ['acl-pubsub-default', 'allchannels']], { 'user.acl': USER_ACL });
    await expectSame(pair, [
      admin('SUBSCRIBE', 'foo'),
      admin('PSUBSCRIBE', 'bar*'),
      admin('UNSUBSCRIBE'),
      admin('PUNSUBSCRIBE'),
      admin('PUBLISH', 'hello', 'world'),
      admin('ACL', 'SETUSER', 'default', 'reset', 'on', 'nopass', '~*', '+@all'),
      admin('PUBLISH', 'hello', 'world'),
      admin('CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels'),
      admin('ACL', 'SETUSER', 'default', 'reset', 'on', 'nopass', '~*', '+@all'),
      admin('SUBSCRIBE', 'foo'),
      admin('PSUBSCRIBE', 'bar*'),
      admin('PUBLISH', 'hello', 'world'),
      admin('ACL', 'SETUSER', 'default', 'reset', 'on', 'nopass', '~*', '&*', '+@all'),
      admin('AUTH', 'alice', 'alice'),
      admin('ACL', 'WHOAMI'),
      admin('SET', 'key', 'value'),
      admin('AUTH', 'bob', 'bob'),
      admin('SADD', 'set', '1', '2', '3'),
      admin('SET', 'key', 'value'),
      on('bystander')('AUTH', 'alice', 'alice'),
      on('default-client')('PING'),
      admin('ACL', 'SETUSER', 'eve', '+get', 'allkeys', '>eve', 'on'),
      admin('ACL', 'SAVE'),
      admin('ACL', 'LOAD'),
      admin('ACL', 'LIST'),
      on('bystander')('PING'),
      on('default-client')('PING'),
      admin('AUTH', 'alice', 'alice'),
      admin('SET', 'key', 'value'),
      admin('AUTH', 'eve', 'eve'),
      admin('GET', 'key'),
      admin('SET', 'key', 'value'),
      admin('AUTH', 'alice', 'alice'),
      admin('ACL', 'SETUSER', 'harry', 'on', 'nopass', 'resetchannels', '&test', '+@all', '~*'),
      admin('ACL', 'SAVE'),
      admin('ACL', 'LOAD'),
      admin('AUTH', 'harry', 'anything'),
      admin('PUBLISH', 'test', 'bar'),
      admin('PUBLISH', 'test1', 'bar'),
      { session: 'admin', cmd: ['ACL', 'LIST'], compare: rulesInAnyOrder },
    ]);
    expect(aclFileWords(path.join(pair.dirs[1], 'user.acl'))).toEqual(aclFileWords(path.join(pair.dirs[0], 'user.acl')));
  });

  it('ACL LOAD refuses a wrong file as a whole, with every problem named', async () => {
    const pair = await startPair([['aclfile', 'user.acl']], { 'user.acl': USER_ACL });
    const rewrite = (text: string): void => {
      for (const dir of pair.dirs) writeFileSync(path.join(dir, 'user.acl'), text);
    };
    const steps = (text: string): Step[] => [{ session: 'admin', cmd: ['ECHO', text] }];
    const cases = [
      `${USER_ACL}\nuser alice on nopass ~* -@all\n`,
      `${USER_ACL}\nuser default on nopass ~* -@all\n`,
      // (An unclosed selector is left out: redis-server 7.0.15 crashes on it in ACL LOAD.)
      'user alice on +nosuchcommand +@nosuchcategory bogus %Q~x\nnotuser bob\nuser\n   \nuser a\tb on\nuser dave on #abc &x &*\n',
      'user alice on >pass1  >pass2 \t\r\nuser default on nopass ~* &* +@all\n\n',
    ];
    for (const text of cases) {
      rewrite(text);
      await expectSame(pair, [...steps(text), admin('ACL', 'LOAD'), { session: 'admin', cmd: ['ACL', 'LIST'], compare: rulesInAnyOrder }]);
    }
    // The engine refuses the unclosed selector Redis crashes on, and keeps its users.
    writeFileSync(path.join(pair.dirs[1], 'user.acl'), 'user carol on (+get ~x\n');
    expect(((await pair.ours.call('ACL', 'LOAD')) as Error).message).toBe('ERR user.acl:1: Unmatched parenthesis in selector definition.WARNING: ACL errors detected, no change to the previously active ACL rules was performed');
    expect(await pair.ours.call('ACL', 'USERS')).toEqual(['alice', 'default']);
    for (const dir of pair.dirs) renameSync(path.join(dir, 'user.acl'), path.join(dir, 'moved.acl'));
    await expectSame(pair, [admin('ACL', 'LOAD'), admin('ACL', 'USERS')]);
  });

  it('an ACL file without the default user, and one with selectors', async () => {
    const pair = await startPair([['aclfile', 'nodefaultuser.acl']], { 'nodefaultuser.acl': 'user alice on nopass ~* +@all\nuser bob on nopass ~* &* +@all', 'selectors.acl': 'user alice on (+get ~rw*)\nuser bob on (+set %W~w*) (+get %R~r*)' });
    await expectSame(pair, [
      admin('ACL', 'GETUSER', 'default'),
      admin('ACL', 'GETUSER', 'alice'),
      admin('CONFIG', 'SET', 'acl-pubsub-default', 'allchannels'),
      admin('ACL', 'SETUSER', 'mydefault'),
      admin('ACL', 'GETUSER', 'mydefault'),
      admin('CONFIG', 'GET', 'aclfile'),
      admin('CONFIG', 'SET', 'aclfile', 'selectors.acl'),
    ]);
    const selectorsPair = await startPair([['aclfile', 'selectors.acl']], { 'selectors.acl': 'user alice on (+get ~rw*)\nuser bob on (+set %W~w*) (+get %R~r*)' });
    await expectSame(selectorsPair, [admin('ACL', 'GETUSER', 'alice'), admin('ACL', 'GETUSER', 'bob'), admin('ACL', 'LIST')]);
  });

  it('user lines in the configuration', async () => {
    const withoutChannels = await startPair([['user', 'default on nopass ~* +@all']]);
    await expectSame(withoutChannels, [admin('SUBSCRIBE', 'foo'), admin('ACL', 'LIST')]);
    const withChannels = await startPair([['user', 'default on nopass ~* &* +@all'], ['user', 'alice on >alice +get ~a*']]);
    await expectSame(withChannels, [admin('SUBSCRIBE', 'foo'), admin('UNSUBSCRIBE'), admin('ACL', 'LIST'), on('alice')('AUTH', 'alice', 'alice'), on('alice')('GET', 'abc'), on('alice')('GET', 'x')]);
  });

  it('configurations Redis refuses to start with', () => {
    const start = (config: Array<[string, string]>): string => {
      try {
        new EngineNode({ config });
        return 'started';
      } catch (failure) {
        return (failure as Error).message;
      }
    };
    expect(start([['user', 'foo'], ['user', 'foo']])).toBe("Error in user declaration 'foo': Duplicate user found. A user can only be defined once in config files");
    expect(start([['user', 'default'], ['user', 'default']])).toMatch(/Duplicate user/);
    expect(start([['user', 'alice on +nosuchcommand']])).toBe("Error loading ACL rule '+nosuchcommand' for the user named 'alice': Unknown command or category name in ACL");
    expect(start([['user', 'alice on badrule']])).toBe("Error in user declaration 'alice': Syntax error");
    expect(start([['aclfile', '/nonexistent/users.acl'], ['user', 'alice on']])).toMatch(/^Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid/);
    expect(start([['aclfile', '/nonexistent/users.acl']])).toBe("Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '/nonexistent/users.acl': No such file or directory");
  });

  it('requirepass is the default user\'s password (auth.tcl)', async () => {
    const open = await startPair([]);
    await expectSame(open, [admin('AUTH', 'foo'), admin('AUTH', 'a', 'b', 'c')]);
    const locked = await startPair([['requirepass', 'foobar']], {}, 'foobar');
    const client = on('client');
    await expectSame(locked, [
      client('AUTH', 'wrong!'),
      client('SET', 'foo', 'bar'),
      client('AUTH', 'foobar'),
      client('SET', 'foo', '100'),
      client('INCR', 'foo'),
      client('ACL', 'LIST'),
      client('CONFIG', 'GET', 'requirepass'),
      client('CONFIG', 'SET', 'requirepass', Buffer.from('abc\0def', 'latin1')),
      on('binary')('AUTH', 'abc'),
      on('binary')('AUTH', Buffer.from('abc\0def', 'latin1')),
      on('binary')('ACL', 'WHOAMI'),
      client('ACL', 'SETUSER', 'default', '>second'),
      on('second')('AUTH', 'second'),
      client('CONFIG', 'GET', 'requirepass'),
      client('CONFIG', 'SET', 'requirepass', ''),
      client('ACL', 'LIST'),
      on('open')('PING'),
      on('open')('AUTH', 'x'),
      client('SLOWLOG', 'RESET'),
      client('CONFIG', 'SET', 'slowlog-log-slower-than', '0'),
      client('AUTH', 'default', 'x'),
      client('CONFIG', 'SET', 'masterauth', 'secret'),
      client('ACL', 'SETUSER', 'hidden', '>secret', 'on'),
      { session: 'client', cmd: ['SLOWLOG', 'GET'], compare: (raw) => String(raw.toString('latin1').includes('secret')) },
    ]);
  });
});
