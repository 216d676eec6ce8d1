/**
 * What every set command shares (t_set.c): typed key access with WRONGTYPE,
 * the reply shapes (RESP3 set type where Redis uses addReplySetLen), the
 * removal rule (an emptied set is deleted), storing an algebra result
 * (replaces the destination; an empty result deletes it) and the spec
 * helper with Redis's flags and ACL categories.
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import type { CommandFlag } from './command-spec';
import * as errors from '../resp/errors';
import { bulk, bulkArray, integer, set as setReply, type Reply } from '../resp/reply';
import { SetValue } from '../keyspace/values';
import { parseInt64 } from '../util/integers';
import { NotifyType } from '../pubsub/keyspace-events';

/** The set at `key`, undefined when missing, or the WRONGTYPE reply. */
export function setFor(ctx: CommandContext, key: string, write: boolean): SetValue | undefined | Reply {
  const value = write ? ctx.write(key) : ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof SetValue ? value : errors.WRONGTYPE;
}

export function isSet(value: SetValue | undefined | Reply): value is SetValue {
  return value instanceof SetValue;
}

/** addReplySetLen + bulks: a RESP3 set (~), a RESP2 array. */
export function setMembersReply(ctx: CommandContext, values: ReadonlyArray<string>): Reply {
  return ctx.client.protocol === 3 ? setReply(values.map((value) => bulk(value))) : bulkArray(values);
}

/**
 * Removes members; deletes the key when emptied; counts dirty. Returns how
 * many were removed. When any was, notifies `event` ("srem", "spop"), then
 * "del" if the set is gone, as Redis orders them.
 */
export function removeMembers(ctx: CommandContext, key: string, target: SetValue, members: Iterable<string>, event = 'srem'): number {
  let removed = 0;
  for (const member of members) if (target.delete(member)) removed++;
  if (removed > 0) {
    ctx.notifyKeyspaceEvent(NotifyType.SET, event, key);
    if (target.size === 0) {
      ctx.keyspace.deleteKey(ctx.db, key);
      ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
    } else {
      ctx.keyspace.touchModified(ctx.db, key);
    }
    ctx.addDirty(removed);
  }
  return removed;
}

/** A new set holding `members`, with the encoding Redis would give it (intset first, promoted as it grows). */
export function buildSet(ctx: CommandContext, members: Iterable<string>): SetValue {
  const result = new SetValue();
  const limit = ctx.node.hot.setMaxIntsetEntries;
  for (const member of members) result.add(member, limit);
  return result;
}

/**
 * *STORE: a non-empty result replaces the destination (setKey: TTL dropped)
 * and notifies `event` ("sinterstore", ...); an empty one deletes it, with
 * "del" and dirty only if it existed. Replies the size.
 */
export function storeSet(ctx: CommandContext, destination: string, result: SetValue, event: string): Reply {
  if (result.size > 0) {
    // setKey's lookupKeyWrite: a destination whose time has passed expires first ("expired" before this command's event).
    ctx.write(destination);
    ctx.keyspace.setKey(ctx.db, destination, result);
    ctx.notifyKeyspaceEvent(NotifyType.SET, event, destination);
    ctx.addDirty();
    return integer(result.size);
  }
  if (ctx.keyspace.deleteKey(ctx.db, destination)) {
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', destination);
    ctx.addDirty();
  }
  return integer(0);
}

export interface SetCommandOptions {
  readonly name: string;
  readonly arity: number;
  readonly flags: ReadonlyArray<CommandFlag>;
  readonly summary: string;
  readonly since: string;
  readonly handler: (ctx: CommandContext) => Reply;
  readonly keys?: readonly [number, number, number] | null;
}

export function defineSetCommand(options: SetCommandOptions) {
  const write = options.flags.includes('write');
  return defineCommand({
    name: options.name, arity: options.arity, flags: options.flags,
    acl: [write ? 'write' : 'read', 'set'],
    keys: options.keys === undefined ? [1, 1, 1] : options.keys,
    doc: { summary: options.summary, since: options.since, group: 'set' },
    handler: options.handler,
  });
}

/**
 * getLongFromObject for counts, ranks, offsets and numkeys: any int64 is
 * valid (a huge COUNT just means "all"); values beyond 2^53 are clamped to
 * the safe range, which no collection reaches. Null when not an integer.
 */
export function longArg(text: string): number | null {
  const value = parseInt64(text);
  if (value === null) return null;
  if (typeof value === 'bigint') return value > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  return value;
}
