/**
 * What every sorted-set command shares (t_zset.c): typed key access with
 * WRONGTYPE, score replies (addReplyDouble: RESP2 bulk "%.17g", RESP3
 * double), member/score pair replies (flat in RESP2; [member, score] arrays
 * in RESP3 where Redis nests them), the removal rule (an emptied sorted set
 * is deleted), storing a result (replaces the destination; empty deletes
 * it) and the spec helper.
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import type { CommandFlag, CommandResult } from './command-spec';
import * as errors from '../resp/errors';
import { array, bulk, double, integer, type Reply } from '../resp/reply';
import { formatDouble17g } from '../resp/format-double';
import { ZSetValue } from '../keyspace/values';
import { NotifyType } from '../pubsub/keyspace-events';

export type ZEntry = [member: string, score: number];

export function zsetFor(ctx: CommandContext, key: string, write: boolean): ZSetValue | undefined | Reply {
  const value = write ? ctx.write(key) : ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof ZSetValue ? value : errors.WRONGTYPE;
}

export function isZset(value: ZSetValue | undefined | Reply): value is ZSetValue {
  return value instanceof ZSetValue;
}

export function scoreReply(ctx: CommandContext, score: number): Reply {
  return ctx.client.protocol === 3 ? double(score) : bulk(formatDouble17g(score));
}

/** Pairs: flat member, score in RESP2 (or when `flat`); [member, score] arrays in RESP3. */
export function pairsReply(ctx: CommandContext, entries: ReadonlyArray<ZEntry>, flat = false): Reply {
  if (ctx.client.protocol === 3 && !flat) return array(entries.map(([member, score]) => array([bulk(member), double(score)])));
  const items: Reply[] = [];
  for (const [member, score] of entries) items.push(bulk(member), scoreReply(ctx, score));
  return array(items);
}

/** Members, or pairs when withScores. */
export function entriesReply(ctx: CommandContext, entries: ReadonlyArray<ZEntry>, withScores: boolean): Reply {
  return withScores ? pairsReply(ctx, entries) : array(entries.map(([member]) => bulk(member)));
}

/**
 * After removing members: notifies `event` ("zrem", "zpopmin", ...), then
 * deletes the emptied key with its "del", or marks it modified.
 */
export function afterRemoval(ctx: CommandContext, key: string, zset: ZSetValue, event: string): void {
  ctx.notifyKeyspaceEvent(NotifyType.ZSET, event, key);
  if (zset.size === 0) {
    ctx.keyspace.deleteKey(ctx.db, key);
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
  } else {
    ctx.keyspace.touchModified(ctx.db, key);
  }
}

/**
 * A listpack stores an integral score as an integer (zzlInsertAt, double2ll),
 * so -0 comes back as 0; a skiplist keeps the double, -0 included.
 */
export function storedScore(encoding: ZSetValue['encoding'], score: number): number {
  return encoding === 'listpack' && Object.is(score, -0) ? 0 : score;
}

/**
 * ZRANGESTORE's result, built as zrangeResultBeginStore and zsetAdd build
 * it: a listpack from the start (a skiplist when a rank range is known to
 * hold more than zset-max-listpack-entries), converted at the first member
 * that crosses a limit. Scores added while it was a listpack lost a -0 to
 * the listpack's integer 0; the ones added after keep theirs.
 */
export function buildZsetAsAdded(ctx: CommandContext, entries: ReadonlyArray<ZEntry>, knownLength: boolean): ZSetValue {
  const maxEntries = ctx.node.hot.zsetMaxListpackEntries;
  const maxValue = ctx.node.hot.zsetMaxListpackValue;
  let listpack = !(knownLength && entries.length > maxEntries);
  let count = 0;
  const scored: ZEntry[] = [];
  for (const [member, score] of entries) {
    if (listpack && (count + 1 > maxEntries || member.length > maxValue)) listpack = false;
    scored.push([member, listpack ? storedScore('listpack', score) : score]);
    count++;
  }
  return buildZset(ctx, scored);
}

/** A new sorted set of `entries` with the encoding Redis would give it (listpack within the limits). */
export function buildZset(ctx: CommandContext, entries: Iterable<ZEntry>): ZSetValue {
  const result = new ZSetValue();
  const maxEntries = ctx.node.hot.zsetMaxListpackEntries;
  const maxValue = ctx.node.hot.zsetMaxListpackValue;
  const all = [...entries];
  const listpack = all.length <= maxEntries && all.every(([member]) => member.length <= maxValue);
  for (const [member, score] of all) {
    result.set(member, listpack ? storedScore('listpack', score) : score);
    result.updateEncoding(maxEntries, maxValue, member);
  }
  return result;
}

/**
 * *STORE: a non-empty result replaces the destination and notifies `event`
 * ("zunionstore", "zrangestore", ...); an empty one deletes it ("del" and
 * dirty only if it existed).
 */
export function storeZset(ctx: CommandContext, destination: string, result: ZSetValue, event: string): Reply {
  if (result.size > 0) {
    // setKey's lookupKeyWrite: a destination whose time has passed expires first ("expired" before this command's event).
    ctx.write(destination);
    // setKey signals a new destination ready (dbAdd), not an overwritten one (dbOverwrite): a client
    // blocked on a key that became another type stays blocked, as in Redis 7.0.
    ctx.keyspace.setKey(ctx.db, destination, result);
    ctx.notifyKeyspaceEvent(NotifyType.ZSET, event, destination);
    ctx.addDirty();
    return integer(result.size);
  }
  if (ctx.keyspace.deleteKey(ctx.db, destination)) {
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', destination);
    ctx.addDirty();
  }
  return integer(0);
}

export interface ZsetCommandOptions {
  readonly name: string;
  readonly arity: number;
  readonly flags: ReadonlyArray<CommandFlag>;
  readonly summary: string;
  readonly since: string;
  readonly handler: (ctx: CommandContext) => CommandResult;
  readonly keys?: readonly [number, number, number] | null;
}

export function defineZsetCommand(options: ZsetCommandOptions) {
  const write = options.flags.includes('write');
  return defineCommand({
    name: options.name, arity: options.arity, flags: options.flags,
    // Redis lists @fast/@slow before @blocking.
    acl: [write ? 'write' : 'read', 'sortedset', options.flags.includes('fast') ? 'fast' : 'slow', ...(options.flags.includes('blocking') ? ['blocking' as const] : [])],
    keys: options.keys === undefined ? [1, 1, 1] : options.keys,
    doc: { summary: options.summary, since: options.since, group: 'sorted-set' },
    handler: options.handler,
  });
}
