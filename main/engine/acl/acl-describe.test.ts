/**
 * ACL LIST's text must rebuild the user it describes: random rule lists
 * (fixed seed) applied to a user, its description applied to a fresh user,
 * and both must allow exactly the same commands, first arguments, keys and
 * channels (Redis aborts when its own describer gets this wrong).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandTable } from '../commands/command-table';
import { registerAllCommands } from '../commands';
import { Acl } from './acl-registry';
import type { AclUser } from './acl-user';

function newAcl(): Acl {
  const table = new CommandTable();
  registerAllCommands(table);
  return new Acl(table, {
    clients: () => [],
    killClient: () => {},
    clientInfo: () => '',
    aclPubsubAllChannels: () => false,
    aclLogMaxLength: () => 128,
    defaultUserChanged: () => {},
  });
}

const RULES = [
  '+@all', '-@all', 'allcommands', 'nocommands', '+@read', '-@write', '+@string', '-@string', '+@admin', '-@dangerous', '+@fast', '-@slow',
  '+@keyspace', '-@hash', '+@list', '+@pubsub', '-@connection', '+get', '-get', '+set', '-set', '+config', '-config', '+config|get',
  '-config|set', '+client|id', '-client', '+select|0', '+select|1', '+debug|object', '-debug', '+acl', '-acl|setuser',
  '~foo*', '%R~bar*', '%W~baz*', '%RW~qux', 'allkeys', 'resetkeys', '&chan*', 'resetchannels', 'allchannels', 'on', 'off',
  '(+get ~sel*)', '(-@all +set %W~w*)', 'clearselectors',
];

/** Everything a user allows, in comparable form. */
function permissions(acl: Acl, user: AclUser): unknown {
  return user.selectors.map((selector) => ({
    commands: acl.commands.all.map((command) => selector.isAllowed(acl.commands.id(command))).join(''),
    future: selector.futureCommands,
    // First-arg exceptions only matter (and are only described) for commands not allowed as a whole.
    firstArgs: [...(selector.firstArgs ?? new Map())]
      .filter(([id, args]) => args.length > 0 && !selector.isAllowed(id))
      .map(([id, args]) => `${id}:${[...args].sort().join(',')}`)
      .sort(),
    allKeys: selector.allKeys,
    keys: selector.keyPatterns.map((key) => `${key.flags}${key.pattern}`),
    allChannels: selector.allChannels,
    channels: selector.channels,
  }));
}

describe('ACL user descriptions', () => {
  it('rebuild the same permissions when applied to a fresh user (fixed seed)', () => {
    const acl = newAcl();
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...RULES), { maxLength: 12 }), (rules) => {
        const user = acl.newUser('original');
        for (const rule of rules) user.apply(rule);
        const rebuilt = acl.newUser('rebuilt');
        const description = user.describe();
        const merged = description.replace(/\(([^)]*)\)/g, (selector) => selector.replaceAll(' ', '\u0000')).split(' ');
        for (const rule of merged) expect(rebuilt.apply(rule.replaceAll('\u0000', ' '))).toBeNull();
        expect({ description, permissions: permissions(acl, rebuilt) }).toEqual({ description, permissions: permissions(acl, user) });
        expect(rebuilt.describe()).toBe(description);
      }),
      { seed: 7015, numRuns: 400 },
    );
  });

  it('describe categories as themselves, and the default user as +@all', () => {
    const acl = newAcl();
    expect(acl.defaultUser.describe()).toBe('on nopass ~* &* +@all');
    const user = acl.newUser('u');
    for (const rule of ['-@all', '+@set', '+get']) user.apply(rule);
    expect(user.describe()).toBe('off resetchannels -@all +@set +get');
  });
});
