/**
 * OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP (object.c). They look
 * a key up without touching it (LOOKUP_NOTOUCH) and read the key's meta
 * word (keyspace/key-entry.ts): the string encoding it was made with, the
 * LRU clock of its last access, or its LFU counter.
 */
import { defineCommand } from './define';
import { helpReply } from './help';
import { bulk, error, integer, NULL, type Reply } from '../resp/reply';
import { objectEncoding } from '../keyspace/encoding';
import { accessField, encodingOverride, ENCODING_DERIVED, idleMs, UNSHARED } from '../keyspace/key-entry';
import type { RedisValue } from '../keyspace/values';
import { isCanonicalInt64 } from '../util/integers';
import type { CommandContext } from './command-context';

/** OBJ_SHARED_REFCOUNT: what OBJECT REFCOUNT says of a shared object. */
const SHARED_REFCOUNT = 2147483647;
/** OBJ_SHARED_INTEGERS: integers below this are shared objects. */
const SHARED_INTEGERS = 10000;

function withValue(ctx: CommandContext, reply: (value: RedisValue, meta: number) => Reply): Reply {
  const key = ctx.arg(2);
  const value = ctx.keyspace.lookupReadNoTouch(ctx.db, key, ctx.access, false);
  return value === undefined ? NULL : reply(value, ctx.keyspace.keyMeta(ctx.db, key) ?? 0);
}

/**
 * A string of the int encoding in [0, 10000) is one of Redis's shared
 * integer objects, unless it was made while an LRU/LFU maxmemory policy
 * (which needs a clock per key) turned sharing off; every other value has
 * one reference, plus one for each argv holder (EXEC's queue, the
 * propagation queue) that still holds it (`argvReferences`,
 * keyspace/argv-held-values.ts).
 */
export function objectRefcount(value: RedisValue, meta: number, argvReferences: number): number {
  const own = 1 + argvReferences;
  if (typeof value !== 'string' || encodingOverride(meta) !== ENCODING_DERIVED || (meta & UNSHARED) !== 0) return own;
  if (value.length > 4 || !isCanonicalInt64(value) || value.startsWith('-') || Number(value) >= SHARED_INTEGERS) return own;
  return SHARED_REFCOUNT;
}

const sub = (name: string, summary: string, handler: (ctx: CommandContext) => Reply) =>
  // OBJECT FREQ came with the LFU policies in 4.0.0; the others with OBJECT itself.
  defineCommand({ name, arity: 3, flags: ['readonly'], acl: ['keyspace', 'read'], keys: [2, 2, 1], doc: { summary, since: name === 'freq' ? '4.0.0' : '2.2.3', group: 'generic' }, handler });

const objectEncodingSub = sub('encoding', 'Inspect the internal encoding of a Redis object', (ctx) => withValue(ctx, (value, meta) => bulk(objectEncoding(value, meta))));
const objectRefcountSub = sub('refcount', 'Get the number of references to the value of the key', (ctx) => withValue(ctx, (value, meta) => integer(objectRefcount(value, meta, ctx.keyspace.argvReferences(ctx.db, ctx.arg(2))))));
// IDLETIME and FREQ look the key up first (object.c): a missing key is a
// null reply whatever the policy; only an existing one gets the policy error.
const objectIdletime = sub('idletime', 'Get the time since a Redis object was last accessed', (ctx) => withValue(ctx, (_value, meta) => {
  if (ctx.keyspace.access.lfu) {
    return error('ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
  }
  return integer(Math.floor(idleMs(accessField(meta), ctx.keyspace.access.lruClock) / 1000));
}));
const objectFreq = sub('freq', 'Get the logarithmic access frequency counter of a Redis object', (ctx) => withValue(ctx, (_value, meta) => {
  if (!ctx.keyspace.access.lfu) {
    return error('ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
  }
  // LFUDecrAndReturn: the counter as decayed by now, without counting this as an access.
  return integer(ctx.keyspace.access.decayedCounter(accessField(meta)));
}));
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
  subcommands: [objectEncodingSub, objectFreq, objectIdletime, objectRefcountSub, objectHelp],
});
