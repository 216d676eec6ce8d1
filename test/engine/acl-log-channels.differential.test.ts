/**
 * ACL at work on connections, against redis-server (the behaviours of Redis
 * 7.0's tests/unit/acl.tcl that its suite skips against an external
 * server): channel permissions for PUBLISH / SUBSCRIBE / PSUBSCRIBE,
 * subscribers disconnected when a permission they use is revoked, the ACL
 * LOG (reasons, contexts, grouping, limits), MULTI/EXEC checks at queue
 * time and again at EXEC, scripts running with their caller's user, the
 * default user switched off, and clients of deleted users.
 */
import { describe, expect, it } from 'vitest';
import { aclLogEntries, rulesInAnyOrder } from '../support/acl-compare';
import { type Normalizer, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

const on = (session: string) => (...cmd: string[]): Step => ({ session, cmd });
const admin = on('admin');
const log = (...cmd: string[]): Step => ({ session: 'admin', cmd: ['ACL', 'LOG', ...cmd], compare: aclLogEntries });

async function expectSame(steps: Step[], protocol: 2 | 3 = 2): Promise<void> {
  expect(await peers.compare(steps, protocol)).toEqual([]);
}

describe('ACL on connections matches redis-server', () => {
  it('channel permissions for publishing and subscribing', async () => {
    const ps = on('ps');
    const sub = on('sub');
    await expectSame([
      admin('PUBLISH', 'foo', 'bar'),
      admin('ACL', 'SETUSER', 'psuser', 'on', '>pspass', '+acl', '+client', '+@pubsub'),
      ps('AUTH', 'psuser', 'pspass'),
      ps('PUBLISH', 'foo', 'bar'),
      sub('SUBSCRIBE', 'foo'),
      sub('UNSUBSCRIBE'),
      sub('AUTH', 'psuser', 'pspass'),
      sub('SUBSCRIBE', 'foo'),
      sub('PSUBSCRIBE', 'bar*'),
      admin('ACL', 'SETUSER', 'psuser', 'resetchannels', '&foo:1', '&bar:*'),
      ps('PUBLISH', 'foo:1', 'somemessage'),
      ps('PUBLISH', 'bar:2', 'anothermessage'),
      ps('PUBLISH', 'zap:3', 'nosuchmessage'),
      admin('ACL', 'SETUSER', 'hpuser', 'on', 'nopass', 'resetchannels', '&foo', '+@all'),
      { session: 'admin', cmd: ['ACL', 'LIST'], compare: rulesInAnyOrder },
      on('hp')('AUTH', 'hpuser', 'pass'),
      on('hp')('PUBLISH', 'foo', 'bar'),
      on('hp')('PUBLISH', 'bar', 'game'),
      admin('ACL', 'SETUSER', 'psuser', '+multi', '+discard', '+exec'),
      ps('MULTI'),
      ps('PUBLISH', 'notexits', 'helloworld'),
      ps('DISCARD'),
      ps('MULTI'),
      ps('SUBSCRIBE', 'notexits', 'foo:1'),
      ps('EXEC'),
      ps('MULTI'),
      ps('PSUBSCRIBE', 'notexits:*', 'bar:*'),
      ps('DISCARD'),
      sub('SUBSCRIBE', 'foo:1'),
      sub('SUBSCRIBE', 'bar:2'),
      sub('SUBSCRIBE', 'zap:3'),
      sub('PSUBSCRIBE', 'foo:1'),
      sub('PSUBSCRIBE', 'bar:*'),
      sub('PSUBSCRIBE', 'bar:baz'),
      sub('PING'),
      admin('CONFIG', 'SET', 'acl-pubsub-default', 'allchannels'),
      admin('CONFIG', 'GET', 'acl-pubsub-default'),
      admin('ACL', 'SETUSER', 'mydefault'),
      admin('ACL', 'GETUSER', 'mydefault'),
      admin('ACL', 'SETUSER', 'onechannel', '&test'),
      admin('CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels'),
      admin('ACL', 'GETUSER', 'mydefault'),
      admin('ACL', 'SETUSER', 'onechannel', '&test'),
      admin('ACL', 'GETUSER', 'onechannel'),
      admin('ACL', 'SETUSER', 'onechannel', 'reset'),
      admin('CONFIG', 'SET', 'acl-pubsub-default', 'allchannels'),
      admin('ACL', 'SETUSER', 'onechannel', 'reset'),
      admin('ACL', 'GETUSER', 'onechannel'),
      admin('CONFIG', 'SET', 'acl-pubsub-default', 'nosuchvalue'),
      admin('CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels'),
    ]);
  });

  it('subscribers are disconnected when a channel they use is revoked, and kept otherwise', async () => {
    const rd = on('rd');
    const subscriber = (channelRule: string[], subscribe: string[], revoke: string[]): Step[] => [
      admin('ACL', 'SETUSER', 'psuser', 'on', '>pspass', '+@all', 'resetchannels', ...channelRule),
      rd('AUTH', 'psuser', 'pspass'),
      rd(...subscribe),
      admin('ACL', 'SETUSER', 'psuser', ...revoke),
      rd('PING'),
      rd('PING'),
    ];
    await expectSame([
      ...subscriber(['&foo:1'], ['SUBSCRIBE', 'foo:1'], ['resetchannels']),
      ...subscriber(['&bar:*'], ['PSUBSCRIBE', 'bar:*'], ['resetchannels']),
      ...subscriber(['allchannels'], ['PSUBSCRIBE', 'foo'], ['resetchannels']),
      ...subscriber(['&foo:1', '&bar:*', '&orders'], ['SUBSCRIBE', 'foo:1'], ['resetchannels', '&foo:1', '&bar:*', '&orders', '&baz:qaz', '&zoo:*']),
      rd('PSUBSCRIBE', 'bar:*'),
      admin('ACL', 'SETUSER', 'psuser', 'allchannels'),
      rd('PING'),
      admin('ACL', 'SETUSER', 'psuser', 'resetchannels', '&foo:1', '(&bar:*)'),
      rd('PING'),
      admin('ACL', 'SETUSER', 'psuser', 'clearselectors'),
      rd('PING'),
      rd('PING'),
      // A subscriber of another user is untouched.
      rd('SUBSCRIBE', 'kept'),
      admin('ACL', 'SETUSER', 'psuser', 'resetchannels'),
      rd('PING'),
    ]);
  });

  it('ACL LOG: reasons, contexts, grouping, counts and limits', async () => {
    const u = on('antirez');
    await expectSame([
      admin('ACL', 'LOG', 'RESET'),
      admin('ACL', 'SETUSER', 'antirez', '>foo', 'on', '+set', '~object:1234'),
      admin('ACL', 'SETUSER', 'antirez', '+eval', '+multi', '+exec'),
      admin('ACL', 'SETUSER', 'antirez', 'resetchannels', '+publish'),
      u('AUTH', 'antirez', 'foo'),
      u('GET', 'foo'),
      log(),
      admin('ACL', 'SETUSER', 'demo', 'on', 'nopass'),
      on('demo')('AUTH', 'demo', ''),
      on('demo')('CLIENT', 'SETNAME', 'demo-client'),
      on('demo')('SCRIPT', 'HELP'),
      log(),
      admin('ACL', 'LOG', 'RESET'),
      u('GET', 'foo'),
      u('GET', 'foo'),
      u('GET', 'foo'),
      log(),
      u('SET', 'somekeynotallowed', '1234'),
      u('PUBLISH', 'somechannelnotallowed', 'nullmsg'),
      log(),
      admin('ACL', 'LOG', 'RESET'),
      admin('ACL', 'LOG'),
      u('MULTI'),
      u('INCR', 'foo'),
      u('EXEC'),
      log(),
      admin('ACL', 'SETUSER', 'antirez', '+incr'),
      u('MULTI'),
      u('INCR', 'object:1234'),
      u('SET', 'object:1234', 'x'),
      admin('ACL', 'SETUSER', 'antirez', '-incr'),
      u('EXEC'),
      // During EXEC Redis still flags the client as in MULTI in its client info; compared without those fields.
      { session: 'admin', cmd: ['ACL', 'LOG', '1'], compare: withoutMultiFields },
      u('EVAL', "return redis.call('incr','foo')", '0'),
      u('EVAL', "return redis.call('set','foo', 'x')", '0'),
      log('2'),
      u('INCR', 'foo'),
      u('INCR', 'foo'),
      log('2'),
      log('0'),
      log('-5'),
      log('abc'),
      log('1', '2'),
      admin('ACL', 'LOG', 'reset'),
      u('AUTH', 'antirez', 'wrong-password'),
      u('auth', 'nosuchuser', 'x'),
      u('HELLO', '2', 'AUTH', 'antirez', 'wrong'),
      log(),
      admin('CONFIG', 'SET', 'acllog-max-len', '5'),
      ...Array.from({ length: 10 }, (_, index) => u('SET', `obj:${index}`, '123')),
      log(),
      admin('CONFIG', 'GET', 'acllog-max-len'),
      admin('CONFIG', 'SET', 'acllog-max-len', '0'),
      u('GET', 'x'),
      admin('ACL', 'LOG'),
      admin('CONFIG', 'SET', 'acllog-max-len', '128'),
    ]);
  });

  it('the default user switched off or without commands, and deleted users', async () => {
    await expectSame([
      admin('ACL', 'SETUSER', 'default', 'off'),
      on('late')('PING'),
      on('late')('HELLO', '3'),
      on('late')('AUTH', 'x'),
      admin('ACL', 'SETUSER', 'default', 'on'),
      on('later')('PING'),
      admin('ACL', 'SETUSER', 'secure-user', '>supass', 'on', '+@all'),
      admin('ACL', 'SETUSER', 'default', '-@all'),
      { session: 'hello', cmd: ['HELLO', '2', 'AUTH', 'secure-user', 'supass'], compare: 'shape' },
      on('hello')('ACL', 'WHOAMI'),
      on('nohello')('PING'),
      on('nohello')('AUTH', 'x'),
      admin('ACL', 'SETUSER', 'default', 'nopass', '+@all'),
      admin('AUTH', 'default', ''),
      admin('ACL', 'SETUSER', 'not_used', 'on', '>passwd'),
      admin('ACL', 'DELUSER', 'not_used'),
      admin('PING'),
      admin('ACL', 'SETUSER', 'using', 'on', '+acl', '+ping', '>passwd'),
      on('using')('AUTH', 'using', 'passwd'),
      on('using2')('AUTH', 'using', 'passwd'),
      on('using')('ACL', 'DELUSER', 'using'),
      on('using')('PING'),
      on('using2')('PING'),
      on('using')('ACL', 'WHOAMI'),
      admin('ACL', 'SETUSER', 'killme', 'on', 'nopass', '+@all'),
      on('k1')('AUTH', 'killme', 'x'),
      on('k2')('AUTH', 'killme', 'x'),
      on('k2')('CLIENT', 'SETNAME', 'k2'),
      admin('CLIENT', 'KILL', 'USER', 'nosuch'),
      admin('CLIENT', 'KILL', 'USER', 'killme'),
      on('k1')('PING'),
      on('k2')('PING'),
      on('k1')('AUTH', 'killme', 'x'),
      on('k1')('CLIENT', 'KILL', 'USER', 'killme', 'SKIPME', 'no'),
      on('k1')('PING'),
      // RESET goes back to the default user, authenticated as a new connection would be.
      on('k1')('AUTH', 'killme', 'x'),
      on('k1')('RESET'),
      on('k1')('ACL', 'WHOAMI'),
      admin('ACL', 'SETUSER', 'default', 'resetpass'),
      on('k1')('AUTH', 'killme', 'x'),
      on('k1')('RESET'),
      on('k1')('ACL', 'WHOAMI'),
      admin('ACL', 'SETUSER', 'default', 'nopass'),
      // MONITOR shows AUTH's arguments redacted.
      on('monitor')('MONITOR'),
      on('k1')('AUTH', 'killme', 'the-password'),
      { session: 'monitor', cmd: ['PING'], compare: (raw) => raw.toString('latin1').replace(/^\+\d+\.\d+ \[\d+ [^\]]+\]/, '+<time> [<db> <addr>]') },
    ]);
  });

  it('scripts run with their caller\'s user', async () => {
    const s = on('scripter');
    await expectSame([
      admin('ACL', 'SETUSER', 'scripter', 'on', 'nopass', '+eval', '+evalsha', '+get', '~allowed*'),
      s('AUTH', 'scripter', 'x'),
      s('EVAL', "return redis.call('get','allowed1')", '0'),
      s('EVAL', "return redis.call('get','denied')", '0'),
      s('EVAL', "return redis.call('set','allowed1','x')", '0'),
      s('EVAL', "return redis.pcall('set','allowed1','x')", '0'),
      s('EVAL', "return redis.call('publish','chan','x')", '0'),
      log('3'),
    ]);
  });
});

/** ACL LOG without the client-info fields that follow MULTI's state, which EXEC reports differently. */
const withoutMultiFields: Normalizer = (raw) => aclLogEntries(raw).replace(/ flags=[^ "]*| multi=[^ "]*/g, '');
