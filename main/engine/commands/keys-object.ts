/**
 * OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP. Encodings are what
 * Redis 7.0 would report (keyspace/encoding.ts). Access times are not
 * tracked per key (that would cost memory on every key), so IDLETIME reports
 * 0 and FREQ needs an LFU policy, with Redis's error otherwise.
 */
import { defineCommand } from './define';
import { helpReply } from './help';
import { bulk, error, integer, NULL, type Reply } from '../resp/reply';
import { objectEncoding } from '../keyspace/encoding';
import type { CommandContext } from './command-context';

function withValue(ctx: CommandContext, reply: (value: NonNullable<ReturnType<CommandContext['read']>>) => Reply): Reply {
  const value = ctx.keyspace.lookupReadNoStats(ctx.db, ctx.arg(2), ctx.access, false);
  return value === undefined ? NULL : reply(value);
}

const sub = (name: string, summary: string, handler: (ctx: CommandContext) => Reply) =>
  defineCommand({ name, arity: 3, flags: ['readonly'], acl: ['keyspace', 'read'], keys: [2, 2, 1], doc: { summary, since: '2.2.3', group: 'generic' }, handler });

const objectEncodingSub = sub('encoding', 'Inspect the internal encoding of a Redis object', (ctx) => withValue(ctx, (value) => bulk(objectEncoding(value))));
const objectRefcount = sub('refcount', 'Get the number of references to the value of the key', (ctx) => withValue(ctx, () => integer(1)));
const objectIdletime = sub('idletime', 'Get the time since a Redis object was last accessed', (ctx) => {
  if (ctx.node.config.string('maxmemory-policy').includes('lfu')) {
    return error('ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
  }
  return withValue(ctx, () => integer(0));
});
const objectFreq = sub('freq', 'Get the logarithmic access frequency counter of a Redis object', (ctx) => {
  if (!ctx.node.config.string('maxmemory-policy').includes('lfu')) {
    return error('ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
  }
  return withValue(ctx, () => integer(0));
});
const objectHelp = defineCommand({
  name: 'help', arity: 2, flags: ['loading', 'stale'], acl: ['keyspace'], keys: null,
  doc: { summary: 'Show helpful text about the different subcommands', since: '6.2.0', group: 'generic' },
  handler: () => helpReply('object', [
    'ENCODING <key>',
    '    Return the kind of internal representation used in order to store the value',
    '    associated with a <key>.',
    'FREQ <key>',
    '    Return the access frequency index of the <key>. The returned integer is',
    '    proportional to the logarithm of the recent access frequency of the key.',
    'IDLETIME <key>',
    '    Return the idle time of the <key>, that is the approximated number of',
    '    seconds elapsed since the last access to the key.',
    'REFCOUNT <key>',
    '    Return the number of references of the value associated with the specified',
    '    <key>.',
  ]),
});

export const objectCommand = defineCommand({
  name: 'object', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for object introspection commands', since: '2.2.3', group: 'generic' },
  subcommands: [objectEncodingSub, objectFreq, objectIdletime, objectRefcount, objectHelp],
});
