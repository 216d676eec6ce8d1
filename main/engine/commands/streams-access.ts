/**
 * What every stream command shares (t_stream.c): typed key access with
 * WRONGTYPE, ID arguments with Redis's error, entry replies, the spec
 * helper, the node limits from the config, and keyspace notifications
 * (class "t", NOTIFY_STREAM).
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import type { CommandFlag, CommandResult } from './command-spec';
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, error, integer, NULL_ARRAY, type Reply } from '../resp/reply';
import { StreamValue } from '../keyspace/values';
import { NotifyType } from '../pubsub/keyspace-events';
import { formatId, type Counter, type StreamId, type U64 } from '../keyspace/values/stream-id';
import { parseStreamId, type IdParseOptions } from '../keyspace/values/stream-id-parse';

export const INVALID_ID = error('ERR Invalid stream ID specified as stream command argument');
export const INVALID_START = error('ERR invalid start ID for the interval');
export const INVALID_END = error('ERR invalid end ID for the interval');

/** The stream at `key` (read or write lookup), undefined when missing, WRONGTYPE otherwise. */
export function streamFor(ctx: CommandContext, key: string, write: boolean): StreamValue | undefined | Reply {
  const value = write ? ctx.write(key) : ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof StreamValue ? value : errors.WRONGTYPE;
}

export function isStream(value: StreamValue | undefined | Reply): value is StreamValue {
  return value instanceof StreamValue;
}

/**
 * A stream about to be changed by a command that looked it up for reading
 * (XACK, XCLAIM, XREADGROUP use lookupKeyRead in Redis, for the stats):
 * the write lookup lets a snapshot in progress keep the old value first.
 */
export function forChange(ctx: CommandContext, key: string): void {
  ctx.write(key);
}

/** An ID argument: strict refuses "-" and "+". Returns the ID or the error reply. */
export function idArg(text: string, strict: boolean, missingSeq: U64 = 0): StreamId | Reply {
  const parsed = parseStreamId(text, { missingSeq, strict });
  return parsed === null ? INVALID_ID : parsed.id;
}

export function isId(value: StreamId | Reply): value is StreamId {
  return !('kind' in value);
}

/** Parses with options; null when invalid. */
export function parseId(text: string, options: IdParseOptions): StreamId | null {
  return parseStreamId(text, options)?.id ?? null;
}

export function idReply(id: StreamId): Reply {
  return bulk(formatId(id));
}

export function counterReply(value: Counter): Reply {
  return integer(value);
}

/** One entry: [id, [field, value, ...]]; a PEL entry whose message is gone: [id, nil]. */
export function entryReply(id: StreamId, fieldsAndValues: ReadonlyArray<string> | null): Reply {
  return array([idReply(id), fieldsAndValues === null ? NULL_ARRAY : bulkArray(fieldsAndValues)]);
}

/**
 * notifyKeyspaceEvent(NOTIFY_STREAM, event, key): the one place stream
 * commands announce their changes (xadd, xtrim, xdel, xgroup-*, xsetid).
 */
export function notifyStream(ctx: CommandContext, event: string, key: string): void {
  ctx.notifyKeyspaceEvent(NotifyType.STREAM, event, key);
}

export interface StreamCommandOptions {
  readonly name: string;
  readonly arity: number;
  readonly flags: ReadonlyArray<CommandFlag>;
  readonly summary: string;
  readonly since: string;
  readonly keys?: readonly [number, number, number] | null;
  readonly getKeys?: (argv: ReadonlyArray<string>) => number[];
  readonly tips?: ReadonlyArray<string>;
  readonly handler: (ctx: CommandContext) => CommandResult;
}

export function defineStreamCommand(options: StreamCommandOptions) {
  return defineCommand({
    name: options.name,
    arity: options.arity,
    flags: options.flags,
    // Redis's order: @write/@read, @stream, @fast/@slow, @blocking.
    acl: [
      ...(options.flags.includes('write') ? ['write' as const] : options.flags.includes('readonly') ? ['read' as const] : []),
      'stream',
      options.flags.includes('fast') ? 'fast' : 'slow',
      ...(options.flags.includes('blocking') ? ['blocking' as const] : []),
    ],
    keys: options.keys === undefined ? [1, 1, 1] : options.keys,
    ...(options.getKeys ? { getKeys: options.getKeys } : {}),
    ...(options.tips ? { tips: options.tips } : {}),
    doc: { summary: options.summary, since: options.since, group: 'stream' },
    handler: options.handler,
  });
}
