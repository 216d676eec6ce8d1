/**
 * ACL users and rules against redis-server, byte for byte (the behaviours of
 * Redis 7.0's tests/unit/acl.tcl and acl-v2.tcl, which its suite skips
 * against an external server): creating users, passwords and hashes, AUTH,
 * command / category / subcommand / first-arg rules, key patterns with read
 * and write permissions, selectors, ACL GETUSER / LIST / DRYRUN / CAT and
 * their errors. Each step runs on a named connection ("admin" is the
 * default user, the others authenticate as they go).
 */
import { describe, expect, it } from 'vitest';
import { rulesInAnyOrder } from '../support/acl-compare';
import { unordered, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';
import { RespConnection } from '../support/resp-connection';

const peers = differentialPair();

const on = (session: string) => (...cmd: Array<string | Buffer>): Step => ({ session, cmd });
const admin = on('admin');
const user = on('user');
/** ACL GETUSER / LIST: single-command rules come in random order from Redis. */
const rules = (...cmd: string[]): Step => ({ session: 'admin', cmd, compare: rulesInAnyOrder });

const HASH = '34344e4d60c2b6d639b7bd22e18f2b0b91bc34bf0ac5f9952744435093cfb4e6';

async function expectSame(steps: Step[], protocol: 2 | 3 = 2): Promise<void> {
  expect(await peers.compare(steps, protocol)).toEqual([]);
}

describe('ACL users match redis-server', () => {
  it('users, passwords, hashes and AUTH', async () => {
    await expectSame([
      admin('ACL', 'WHOAMI'),
      admin('ACL', 'SETUSER', 'newuser'),
      admin('ACL', 'SETUSER', 'a a'),
      admin('ACL', 'SETUSER', 'a\0b'),
      admin('ACL', 'SETUSER', 'newuser', '>passwd1'),
      user('AUTH', 'newuser', 'passwd1'),
      admin('ACL', 'SETUSER', 'newuser', 'on', '+acl'),
      user('AUTH', 'newuser', 'passwd1'),
      user('ACL', 'WHOAMI'),
      admin('ACL', 'SETUSER', 'newuser', '>passwd2'),
      user('AUTH', 'newuser', 'passwd1'),
      user('AUTH', 'newuser', 'passwd2'),
      user('AUTH', 'newuser', 'passwd3'),
      admin('ACL', 'SETUSER', 'newuser', '<passwd1'),
      user('AUTH', 'newuser', 'passwd1'),
      admin('ACL', 'SETUSER', 'newuser', '<nosuchpass'),
      admin('ACL', 'SETUSER', 'newuser', `#${HASH}`),
      user('AUTH', 'newuser', 'passwd4'),
      admin('ACL', 'SETUSER', 'newuser', `#${HASH.slice(0, -1)}`),
      admin('ACL', 'SETUSER', 'newuser', `#${HASH.slice(0, -1)}q`),
      admin('ACL', 'SETUSER', 'newuser', `#${HASH.toUpperCase()}`),
      admin('ACL', 'GETUSER', 'newuser'),
      admin('ACL', 'SETUSER', 'newuser', `!${HASH}`),
      admin('ACL', 'SETUSER', 'newuser', `!${HASH}`),
      admin('ACL', 'GETUSER', 'newuser'),
      admin('ACL', 'SETUSER', 'newuser', 'nopass'),
      user('AUTH', 'newuser', 'zipzapblabla'),
      admin('ACL', 'SETUSER', 'newuser', 'resetpass'),
      user('AUTH', 'newuser', 'zipzapblabla'),
      admin('ACL', 'SETUSER', 'newuser', '>p', 'off'),
      user('AUTH', 'newuser', 'p'),
      user('AUTH', 'nosuchuser', 'p'),
      user('AUTH', 'p'),
      user('AUTH', 'a', 'b', 'c'),
      user('HELLO', '3', 'AUTH', 'newuser', 'p'),
      admin('ACL', 'SETUSER', 'newuser', 'on'),
      // The reply carries the client id, which differs between the servers.
      { session: 'user', cmd: ['HELLO', '2', 'AUTH', 'newuser', 'p', 'SETNAME', 'named'], compare: 'shape' },
      user('CLIENT', 'GETNAME'),
      admin('ACL', 'SETUSER', 'binary', 'on', Buffer.from('>abc\0def', 'latin1'), '+@all', '~*'),
      user('AUTH', 'binary', 'abc'),
      user('AUTH', 'binary', Buffer.from('abc\0def', 'latin1')),
      user('ACL', 'WHOAMI'),
      admin('ACL', 'SETUSER', 'newuser', 'skip-sanitize-payload'),
      admin('ACL', 'GETUSER', 'newuser'),
      admin('ACL', 'SETUSER', 'newuser', 'sanitize-payload', ''),
      admin('ACL', 'GETUSER', 'newuser'),
      admin('ACL', 'GETUSER', 'nosuchuser'),
      admin('ACL', 'USERS'),
      rules('ACL', 'LIST'),
      admin('ACL', 'DELUSER', 'newuser', 'binary', 'nosuchuser'),
      admin('ACL', 'DELUSER', 'default'),
      admin('ACL', 'DELUSER', 'x', 'default'),
      admin('ACL', 'USERS'),
    ]);
  });

  it('command, category, subcommand and first-arg rules', async () => {
    await expectSame([
      admin('ACL', 'SETUSER', 'newuser', 'reset', 'on', 'nopass', '~*', '&*'),
      user('AUTH', 'newuser', 'x'),
      user('SET', 'foo', 'bar'),
      admin('ACL', 'SETUSER', 'newuser', '+@all', '-ping'),
      user('INCR', 'mycounter'),
      user('PING'),
      admin('ACL', 'SETUSER', 'newuser', '-@all', '+@set', '+acl'),
      user('SADD', 'myset', 'a', 'b'),
      user('GET', 'foo'),
      // NOPERM names the command as the command table spells it (lower case), whatever case was sent.
      user('get', 'foo'),
      user('gEt', 'foo'),
      admin('ACL', 'SETUSER', 'newuser', '+@all', '-@string'),
      user('SADD', 'myset', 'c'),
      user('SET', 'foo', 'bar'),
      rules('ACL', 'GETUSER', 'newuser'),
      admin('ACL', 'SETUSER', 'newuser', '+@all', '-client'),
      admin('ACL', 'SETUSER', 'newuser', '+client|id', '+client|setname'),
      rules('ACL', 'GETUSER', 'newuser'),
      { session: 'user', cmd: ['CLIENT', 'ID'], compare: 'shape' },
      user('CLIENT', 'SETNAME', 'foo'),
      user('CLIENT', 'KILL', 'type', 'master'),
      admin('ACL', 'SETUSER', 'newuser', '+@all', '-client|kill'),
      admin('ACL', 'GETUSER', 'newuser'),
      user('CLIENT', 'KILL', 'type', 'master'),
      admin('ACL', 'SETUSER', 'newuser', '-@all', '+acl', '+config', '-config|set'),
      rules('ACL', 'GETUSER', 'newuser'),
      user('CONFIG', 'GET', 'loglevel'),
      user('CONFIG', 'SET', 'loglevel', 'debug'),
      user('config', 'set', 'loglevel', 'debug'),
      user('Config', 'Set', 'loglevel', 'debug'),
      admin('ACL', 'SETUSER', 'newuser', '+@all', '-config|get'),
      admin('ACL', 'SETUSER', 'newuser', '+config|get|appendonly'),
      admin('ACL', 'SETUSER', 'newuser', '+config|asdf'),
      admin('ACL', 'SETUSER', 'newuser', '-config|asdf'),
      admin('ACL', 'SETUSER', 'newuser', '+get|key1|key2'),
      admin('ACL', 'SETUSER', 'newuser', '-get|key1|key2'),
      admin('ACL', 'SETUSER', 'newuser', '-select|0'),
      admin('ACL', 'SETUSER', 'newuser', '+debug|'),
      admin('ACL', 'SETUSER', 'newuser', '+nosuchcommand'),
      admin('ACL', 'SETUSER', 'newuser', '+@nosuchcategory'),
      admin('ACL', 'SETUSER', 'newuser', '+'),
      admin('ACL', 'SETUSER', 'newuser', 'bogus'),
      admin('ACL', 'SETUSER', 'newuser', '-@all', '+acl', '+select|0'),
      rules('ACL', 'GETUSER', 'newuser'),
      user('SELECT', '0'),
      user('SELECT', '1'),
      admin('ACL', 'SETUSER', 'newuser', '-@all', '+acl', '+incr', '+debug|object', '+DEBUG|Object'),
      rules('ACL', 'GETUSER', 'newuser'),
      user('INCR', 'key'),
      user('DEBUG', 'SLEEP', '0'),
      admin('ACL', 'SETUSER', 'bob', '+memory|doctor'),
      admin('ACL', 'GETUSER', 'bob'),
      admin('ACL', 'SETUSER', 'bob', '+memory'),
      admin('ACL', 'GETUSER', 'bob'),
      admin('ACL', 'SETUSER', 'bob', '+@all', '+client|id'),
      admin('ACL', 'GETUSER', 'bob'),
      admin('ACL', 'SETUSER', 'alice', '+@all', '-memory|doctor', '>passwd1', 'on', '~*'),
      admin('ACL', 'GETUSER', 'alice'),
      on('alice')('AUTH', 'alice', 'passwd1'),
      on('alice')('MEMORY', 'DOCTOR'),
      on('alice')('MEMORY', 'USAGE', 'nosuchkey'),
      admin('ACL', 'SETUSER', 'alice', '+@all', '-memory'),
      admin('ACL', 'GETUSER', 'alice'),
      on('alice')('MEMORY', 'USAGE', 'nosuchkey'),
      admin('ACL', 'SETUSER', 'alice', '-@all'),
      admin('ACL', 'GETUSER', 'alice'),
      on('alice')('GET', 'key'),
      admin('ACL', 'SETUSER', 'newuser', 'reset', '+@all', '~*', '-@string', '+incr', '-debug', '+debug|digest'),
      rules('ACL', 'GETUSER', 'newuser'),
      admin('ACL', 'SETUSER', 'newuser', 'reset', '+@string', '-incr', '+acl', '+debug|digest', '+debug|segfault'),
      rules('ACL', 'GETUSER', 'newuser'),
      admin('ACL', 'SETUSER', 'newuser', 'reset', 'allcommands', 'nocommands', '+get', 'allcommands'),
      admin('ACL', 'GETUSER', 'newuser'),
      admin('ACL', 'SETUSER', 'newuser', 'reset', '-debug', '+debug|a', '+debug|b', '+debug|c'),
      rules('ACL', 'GETUSER', 'newuser'),
      admin('ACL', 'SETUSER', 'newuser', '-debug'),
      admin('ACL', 'GETUSER', 'newuser'),
      rules('ACL', 'LIST'),
    ]);
  });

  it('ACL GETUSER describes each single category as itself, from +@all and from -@all', async () => {
    const connection = new RespConnection('127.0.0.1', peers.ours.port);
    // Categories whose commands the engine has (the others cannot be told apart from no rule at all).
    const categories = ((await connection.call('ACL', 'CAT')) as string[]);
    const present: string[] = [];
    for (const category of categories) if (((await connection.call('ACL', 'CAT', category)) as string[]).length > 0) present.push(category);
    connection.close();
    expect(present.length).toBeGreaterThan(15);
    const steps: Step[] = [];
    for (const category of present) {
      steps.push(admin('ACL', 'SETUSER', 'additive', 'reset', '+@all', `-@${category}`), admin('ACL', 'GETUSER', 'additive'));
      steps.push(admin('ACL', 'SETUSER', 'restrictive', 'reset', '-@all', `+@${category}`), admin('ACL', 'GETUSER', 'restrictive'));
    }
    await expectSame(steps);
  });

  it('ACL CAT lists the categories, and in each the commands redis-server has there among the engine\'s', async () => {
    await expectSame([admin('ACL', 'CAT'), admin('ACL', 'CAT', 'NON_EXISTS'), admin('ACL', 'CAT', 'NON_EXISTS', 'NON_EXISTS2'), admin('ACL', 'cat', 'nOn\0ex')]);
    const [theirs, ours] = [new RespConnection('127.0.0.1', peers.redis.port), new RespConnection('127.0.0.1', peers.ours.port)];
    try {
      // Every command is @fast or @slow: together they are all the engine has, subcommands included.
      const known = new Set([...((await ours.call('ACL', 'CAT', 'fast')) as string[]), ...((await ours.call('ACL', 'CAT', 'slow')) as string[])]);
      expect(known.size).toBeGreaterThan(200);
      for (const category of (await ours.call('ACL', 'CAT')) as string[]) {
        const expected = ((await theirs.call('ACL', 'CAT', category)) as string[]).filter((name) => known.has(name));
        const actual = (await ours.call('ACL', 'CAT', category)) as string[];
        expect({ category, commands: [...actual].sort() }).toEqual({ category, commands: expected.sort() });
      }
    } finally {
      theirs.close();
      ours.close();
    }
  });

  it('key patterns with read and write permissions, and selectors', async () => {
    const r2 = on('r2');
    await expectSame([
      admin('ACL', 'SETUSER', 'newuser', 'reset', 'on', 'nopass', '+set'),
      r2('AUTH', 'newuser', 'x'),
      r2('SET', 'foo', 'bar'),
      admin('ACL', 'SETUSER', 'newuser', 'allcommands', '~foo:*', '~bar:*'),
      r2('SET', 'foo:1', 'a'),
      r2('SET', 'bar:2', 'b'),
      r2('SET', 'zap:3', 'c'),
      r2('MSET', 'foo:1', 'a', 'zap:3', 'c'),
      admin('ACL', 'SETUSER', 'newuser', 'allkeys', '~x'),
      admin('ACL', 'SETUSER', 'newuser', '%X~x'),
      admin('ACL', 'SETUSER', 'newuser', '%RR~x'),
      admin('ACL', 'SETUSER', 'newuser', 'resetkeys', '~a b'),
      admin('ACL', 'SETUSER', 'selector-1', 'on', '-@all', 'resetkeys', 'nopass'),
      r2('AUTH', 'selector-1', 'password'),
      r2('PING'),
      r2('SET', 'write::foo', 'bar'),
      admin('ACL', 'SETUSER', 'selector-1', '(+@write ~write::*)', '(+@read ~read::*)'),
      r2('PING'),
      r2('SET', 'write::foo', 'bar'),
      r2('GET', 'read::foo'),
      r2('GET', 'write::foo'),
      r2('SET', 'read::foo', 'bar'),
      rules('ACL', 'GETUSER', 'selector-1'),
      admin('ACL', 'SETUSER', 'selector-default', 'reset', '()'),
      admin('ACL', 'GETUSER', 'selector-default'),
      admin('ACL', 'SETUSER', 'selector-del', 'on', '(~added-selector)'),
      admin('ACL', 'GETUSER', 'selector-del'),
      admin('ACL', 'SETUSER', 'selector-del', 'clearselectors'),
      admin('ACL', 'GETUSER', 'selector-del'),
      admin('ACL', 'SETUSER', 'selector-syntax', 'on', '(this-is-invalid)'),
      admin('ACL', 'SETUSER', 'selector-syntax', 'on', '(&*', '&fail)'),
      admin('ACL', 'GETUSER', 'selector-syntax'),
      admin('ACL', 'SETUSER', 'selector-2', '(~key1 +get )', '( ~key2 +get )', '( ~key3 +get)', '(~key4 +get)'),
      admin('ACL', 'SETUSER', 'selector-2', '(~key5', '+get', ')', '(', '~key6', '+get', ')', '(', '~key7', '+get)', '(~key8', '+get)'),
      admin('ACL', 'GETUSER', 'selector-2'),
      admin('ACL', 'SETUSER', 'invalid-selector', ' () '),
      admin('ACL', 'SETUSER', 'invalid-selector', '('),
      admin('ACL', 'SETUSER', 'invalid-selector', ')'),
      admin('ACL', 'SETUSER', 'invalid-selector', '(~a', '(~b', '+get)'),
      admin('ACL', 'SETUSER', 'invalid-selector', '("~a b" +get)'),
      admin('ACL', 'SETUSER', 'key-permission-R', 'on', 'nopass', '%R~read*', '+@all'),
      r2('AUTH', 'key-permission-R', 'password'),
      admin('SET', 'readstr', 'bar'),
      r2('GET', 'readstr'),
      r2('SET', 'readstr', 'bar'),
      r2('GET', 'notread'),
      r2('SET', 'readstr', 'bar', 'GET'),
      r2('SET', 'readstr', 'bar', 'EX', '100'),
      admin('ACL', 'SETUSER', 'key-permission-W', 'on', 'nopass', '%W~write*', '+@all'),
      r2('AUTH', 'key-permission-W', 'password'),
      r2('LPUSH', 'writelist', '10'),
      r2('GET', 'writestr'),
      r2('LPUSH', 'notwrite', '10'),
      r2('SET', 'writestr', 'bar'),
      r2('SET', 'writestr', 'bar', 'GET'),
      r2('SET', 'writestr', 'bar', 'EX', 'GET'),
      r2('BITFIELD', 'writestr', 'GET', 'u4', '0'),
      r2('BITFIELD', 'writestr', 'SET', 'u4', '0', '1'),
      admin('ACL', 'SETUSER', 'key-permission-RW', 'on', 'nopass', '%R~read*', '%W~write*', '+@all'),
      r2('AUTH', 'key-permission-RW', 'password'),
      admin('SET', 'read', 'bar'),
      r2('COPY', 'read', 'write'),
      r2('COPY', 'write', 'read'),
      r2('BITFIELD', 'readstr', 'GET', 'u4', '0'),
      r2('BITFIELD', 'readstr', 'GET', 'u4', '0', 'SET', 'u4', '0', '1'),
      admin('ACL', 'SETUSER', 'key-permission-RW-selector', 'on', 'nopass', '(%R~read* +@all)', '(%W~write* +@all)'),
      r2('AUTH', 'key-permission-RW-selector', 'password'),
      r2('LPUSH', 'writelist', '10'),
      r2('GET', 'writestr'),
      r2('GET', 'readstr'),
      r2('SET', 'readstr', 'bar'),
      r2('COPY', 'read', 'write'),
      r2('COPY', 'write', 'read'),
      admin('ACL', 'SETUSER', 'rw', 'on', 'nopass', '%RW~readwrite*', '+@all'),
      r2('AUTH', 'rw', 'password'),
      r2('SET', 'readwrite_str', 'bar', 'EX', 'GET'),
      r2('SET', 'readwrite_str', 'bar'),
      r2('SET', 'readwrite_str', 'bar2', 'GET'),
      r2('BITFIELD', 'readwrite_str', 'INCRBY', 'u4', '0', '1'),
      admin('ACL', 'SETUSER', 'selector-info', '-@all', '+get', 'resetchannels', '&channel1', '%R~foo1', '%W~bar1', '~baz1'),
      admin('ACL', 'SETUSER', 'selector-info', '(-@all +set resetchannels &channel2 %R~foo2 %W~bar2 ~baz2)'),
      admin('ACL', 'GETUSER', 'selector-info'),
      admin('ACL', 'SETUSER', 'user-idempotency', 'off', '-@all', '+get', 'resetchannels', '&channel1', '%R~foo1', '%W~bar1', '~baz1', '(-@all +set resetchannels &channel2 %R~foo2 %W~bar2 ~baz2)'),
      admin('ACL', 'SETUSER', 'selector-rw-info', '%R~foo', '%W~foo', '%RW~bar', '%R~*'),
      admin('ACL', 'GETUSER', 'selector-rw-info'),
      rules('ACL', 'LIST'),
    ]);
    await expectSame([admin('ACL', 'GETUSER', 'selector-info'), admin('ACL', 'GETUSER', 'selector-2')], 3);
  });

  it('ACL DRYRUN: commands, keys of movable-key commands, channels, errors', async () => {
    const dry = (...cmd: string[]): Step => admin('ACL', 'DRYRUN', 'command-test', ...cmd);
    // MIGRATE and GEORADIUS exercise the getkeys procs; they join once the engine has them.
    const connection = new RespConnection('127.0.0.1', peers.ours.port);
    const missing = new Set<string>();
    for (const name of ['migrate', 'georadius']) if (((await connection.call('COMMAND', 'INFO', name)) as unknown[])[0] === null) missing.add(name);
    connection.close();
    const steps: Step[] = [
      admin('ACL', 'SETUSER', 'command-test', '+@all', '%R~read*', '%W~write*', '%RW~rw*'),
      dry('GET', 'read'),
      admin('ACL', 'DRYRUN', 'not-a-user', 'GET', 'read'),
      dry('not-a-command', 'read'),
      dry('SET', 'v'),
      dry('CONFIG'),
      dry('CONFIG', 'NOSUCH'),
      dry('MIGRATE', 'whatever', 'whatever', 'rw', '0', '500'),
      dry('MIGRATE', 'whatever', 'whatever', 'read', '0', '500'),
      dry('MIGRATE', 'whatever', 'whatever', 'write', '0', '500'),
      dry('MIGRATE', 'whatever', 'whatever', '', '0', '5000', 'KEYS', 'rw'),
      dry('MIGRATE', 'whatever', 'whatever', '', '0', '5000', 'KEYS', 'read'),
      dry('MIGRATE', 'whatever', 'whatever', '', '0', '5000', 'AUTH', 'KEYS', 'KEYS', 'write'),
      dry('MIGRATE', 'whatever', 'whatever', '', '0', '5000', 'AUTH2', 'USER', 'KEYS', 'KEYS', 'read'),
      dry('SORT', 'read', 'STORE', 'write'),
      dry('SORT', 'read', 'STORE', 'read'),
      dry('SORT', 'write', 'STORE', 'write'),
      dry('GEORADIUS', 'read', 'longitude', 'latitude', 'radius', 'M', 'STOREDIST', 'write'),
      dry('GEORADIUS', 'read1', 'longitude', 'latitude', 'radius', 'M', 'STOREDIST', 'read2'),
      dry('GEORADIUS', 'write1', 'longitude', 'latitude', 'radius', 'M', 'STORE', 'write2'),
      dry('HEXISTS', 'read', 'foo'),
      dry('HEXISTS', 'write', 'foo'),
      dry('HEXISTS', 'nothing', 'foo'),
      dry('SISMEMBER', 'write', 'foo'),
      dry('SINTERCARD', '2', 'read', 'read'),
      dry('SINTERCARD', '2', 'write', 'read'),
      dry('ZCOUNT', 'write', '0', '1'),
      dry('ZINTERCARD', '2', 'nothing', 'read'),
      dry('TOUCH', 'write'),
      dry('EXISTS', 'nothing'),
      dry('MEMORY', 'USAGE', 'write'),
      dry('TYPE', 'nothing'),
      ...['STRLEN', 'HLEN', 'LLEN', 'SCARD', 'ZCARD'].flatMap((command) => [dry(command, 'read'), dry(command, 'write'), dry(command, 'nothing')]),
      dry('LMOVE', 'rw1', 'write', 'LEFT', 'RIGHT'),
      dry('LMOVE', 'read', 'rw1', 'LEFT', 'RIGHT'),
      dry('RENAME', 'rw1', 'read'),
      dry('MSET', 'write1', 'v', 'read', 'v'),
      dry('ZUNIONSTORE', 'write', '2', 'read', 'rw'),
      dry('ZUNIONSTORE', 'read', '2', 'read', 'rw'),
      dry('BLMPOP', '0', '2', 'rw1', 'write', 'LEFT'),
      admin('ACL', 'SETUSER', 'test-channels', '+@all', 'resetchannels', '&channel', '&pat*'),
      admin('ACL', 'DRYRUN', 'test-channels', 'PUBLISH', 'channel', 'foo'),
      admin('ACL', 'DRYRUN', 'test-channels', 'PUBLISH', 'otherchannel', 'foo'),
      admin('ACL', 'DRYRUN', 'test-channels', 'PUBLISH', 'pattern', 'foo'),
      admin('ACL', 'DRYRUN', 'test-channels', 'SUBSCRIBE', 'channel', 'pat1', 'other'),
      admin('ACL', 'DRYRUN', 'test-channels', 'PSUBSCRIBE', 'pat*'),
      admin('ACL', 'DRYRUN', 'test-channels', 'PSUBSCRIBE', 'pat1'),
      admin('ACL', 'DRYRUN', 'test-channels', 'UNSUBSCRIBE', 'other'),
      admin('ACL', 'SETUSER', 'command-test', '-@all'),
      dry('SET', 'somekey', 'somevalue'),
      dry('GET', 'somekey'),
      dry('CLIENT', 'LIST'),
      admin('ACL', 'SETUSER', 'limited', 'on', '>x', '+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun'),
      ...[['CLIENT', 'LIST', 'TYPE', 'master'], ['CLIENT', 'KILL', 'TYPE', 'replica'], ['REPLICAOF', 'NO', 'ONE'], ['FAILOVER'], ['CONFIG', 'SET', 'repl-backlog-size', '1mb'], ['DEBUG', 'SLEEP', '0'], ['INFO', 'server']].map((args) =>
        admin('ACL', 'DRYRUN', 'limited', ...args),
      ),
    ];
    await expectSame(steps.filter((entry) => !(entry.cmd[1] === 'DRYRUN' && missing.has(String(entry.cmd[3]).toLowerCase()))));
  });

  it('SORT BY and GET need read access to every key', async () => {
    const r2 = on('sorter');
    await expectSame([
      admin('SET', 'v1', '1'),
      admin('LPUSH', 'mylist', '1'),
      admin('ACL', 'SETUSER', 'test-sort-acl', 'on', 'nopass', '(+sort ~mylist)'),
      r2('AUTH', 'test-sort-acl', 'nopass'),
      r2('SORT', 'mylist', 'BY', 'v*'),
      r2('SORT', 'mylist', 'GET', 'v*'),
      r2('SORT', 'mylist', 'BY', 'nosort'),
      admin('ACL', 'SETUSER', 'test-sort-acl', '(+sort ~mylist ~v*)'),
      r2('SORT', 'mylist', 'BY', 'v*'),
      admin('ACL', 'SETUSER', 'test-sort-acl', '(+sort ~mylist %W~*)'),
      r2('SORT', 'mylist', 'GET', 'v*'),
      admin('ACL', 'SETUSER', 'test-sort-acl', '(+sort ~mylist %R~*)'),
      r2('SORT', 'mylist', 'BY', 'v*'),
      r2('SORT', 'mylist', 'GET', 'v*', 'GET', '#'),
    ]);
  });

  it('ACL GENPASS, HELP and arities', async () => {
    await expectSame([
      { session: 'admin', cmd: ['ACL', 'GENPASS'], compare: (raw) => (/^\$64\r\n[0-9a-f]{64}\r\n$/.test(raw.toString()) ? 'ok' : raw.toString()) },
      { session: 'admin', cmd: ['ACL', 'GENPASS', '5'], compare: (raw) => (/^\$2\r\n[0-9a-f]{2}\r\n$/.test(raw.toString()) ? 'ok' : raw.toString()) },
      admin('ACL', 'GENPASS', '-236'),
      admin('ACL', 'GENPASS', '5000'),
      admin('ACL', 'GENPASS', 'abc'),
      admin('ACL', 'GENPASS', '1', '2'),
      admin('ACL', 'HELP'),
      admin('ACL', 'help', 'xxx'),
      admin('ACL'),
      admin('ACL', 'NOSUCH'),
      admin('ACL', 'SETUSER'),
      admin('ACL', 'GETUSER'),
      admin('ACL', 'LOG', '1', '2'),
      admin('ACL', 'LOAD'),
      admin('ACL', 'SAVE'),
      admin('ACL', 'WHOAMI', 'x'),
      unordered('COMMAND', 'INFO', 'acl|setuser', 'acl|cat', 'acl|whoami', 'auth', 'hello'),
    ]);
  });
});
