/**
 * XGROUP CREATE | SETID | DESTROY | CREATECONSUMER | DELCONSUMER | HELP,
 * XSETID and XACK (t_stream.c xgroupCommand, xsetidCommand, xackCommand).
 *
 * XGROUP is a container whose subcommands share one handler, as in Redis:
 * the options after the ID (MKSTREAM, ENTRIESREAD) are checked first, then
 * the key must exist (unless MKSTREAM), then the group (SETID,
 * CREATECONSUMER, DELCONSUMER). A group created or set without ENTRIESREAD
 * has an unknown read counter (-1), derived later (stream-lag.ts).
 * DESTROY wakes the XREADGROUP clients blocked on the group (-NOGROUP).
 * All of these propagate as they are.
 */
import type { CommandContext } from './command-context';
import type { CommandSpec } from './command-spec';
import { defineCommand, isOption, cString } from './define';
import { helpReply } from './help';
import * as errors from '../resp/errors';
import { error, integer, OK, ONE, ZERO, type Reply } from '../resp/reply';
import { StreamValue } from '../keyspace/values';
import { compareIds, MIN_ID, type StreamId } from '../keyspace/values/stream-id';
import { INVALID_ENTRIES_READ, StreamGroup } from '../keyspace/values/stream-group';
import { parseStreamId } from '../keyspace/values/stream-id-parse';
import { parseInt64 } from '../util/integers';
import { defineStreamCommand, forChange, INVALID_ID, isStream, notifyStream, streamFor } from './streams-access';

const KEY_REQUIRED = error('ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
const ENTRIESREAD_RANGE = error('ERR value for ENTRIESREAD must be positive or -1');
const BUSYGROUP = error('BUSYGROUP Consumer Group name already exists');

function noGroup(group: string, key: string): Reply {
  return error(`NOGROUP No such consumer group '${cString(group)}' for key name '${cString(key)}'`);
}

/** xgroupCommand: every subcommand but HELP. */
function xgroupHandler(ctx: CommandContext): Reply {
  const subcommand = ctx.arg(1).toLowerCase();
  const syntax = errors.subcommandSyntax(ctx.arg(1), ctx.arg(0));
  let mkstream = false;
  let entriesRead: number | bigint = INVALID_ENTRIES_READ;
  for (let i = 5; i < ctx.argc;) {
    if (subcommand === 'create' && isOption(ctx.arg(i), 'mkstream')) {
      mkstream = true;
      i++;
    } else if ((subcommand === 'create' || subcommand === 'setid') && isOption(ctx.arg(i), 'entriesread') && i + 1 < ctx.argc) {
      const parsed = parseInt64(ctx.arg(i + 1));
      if (parsed === null) return errors.NOT_INTEGER;
      if (parsed < 0 && parsed !== INVALID_ENTRIES_READ) return ENTRIESREAD_RANGE;
      entriesRead = parsed;
      i += 2;
    } else {
      return syntax;
    }
  }
  const key = ctx.arg(2);
  const groupName = ctx.arg(3);
  const found = streamFor(ctx, key, true);
  if (found !== undefined && !isStream(found)) return found;
  let stream = found;
  let group: StreamGroup | undefined;
  if (!mkstream) {
    if (stream === undefined) return KEY_REQUIRED;
    group = stream.groups?.get(groupName);
    if (!group && (subcommand === 'setid' || subcommand === 'createconsumer' || subcommand === 'delconsumer')) return noGroup(groupName, key);
  }
  switch (subcommand) {
    case 'create': {
      if (ctx.argc > 8) return syntax;
      let id: StreamId;
      if (cString(ctx.arg(4)) === '$') id = stream ? stream.lastId : MIN_ID;
      else {
        const parsed = parseStreamId(ctx.arg(4), { missingSeq: 0, strict: true });
        if (parsed === null) return INVALID_ID;
        id = parsed.id;
      }
      if (stream === undefined) {
        stream = new StreamValue();
        ctx.keyspace.addKey(ctx.db, key, stream);
        ctx.keyspace.touchModified(ctx.db, key);
      }
      stream.groups ??= new Map();
      if (stream.groups.has(groupName)) return BUSYGROUP;
      stream.groups.set(groupName, new StreamGroup(id, entriesRead));
      ctx.addDirty();
      notifyStream(ctx, 'xgroup-create', key);
      return OK;
    }
    case 'setid': {
      if (ctx.argc !== 5 && ctx.argc !== 7) return syntax;
      let id: StreamId;
      if (cString(ctx.arg(4)) === '$') id = stream!.lastId;
      else {
        const parsed = parseStreamId(ctx.arg(4), { missingSeq: 0, strict: false });
        if (parsed === null) return INVALID_ID;
        id = parsed.id;
      }
      group!.lastId = id;
      group!.entriesRead = entriesRead;
      ctx.addDirty();
      notifyStream(ctx, 'xgroup-setid', key);
      return OK;
    }
    case 'destroy': {
      if (ctx.argc !== 4) return syntax;
      if (!group) return ZERO;
      stream!.groups!.delete(groupName);
      ctx.addDirty();
      notifyStream(ctx, 'xgroup-destroy', key);
      ctx.keyspace.signalReady(ctx.db, key);
      return ONE;
    }
    case 'createconsumer': {
      if (ctx.argc !== 5) return syntax;
      const created = group!.createConsumer(ctx.arg(4), ctx.mstime());
      if (!created) return ZERO;
      ctx.addDirty();
      notifyStream(ctx, 'xgroup-createconsumer', key);
      return ONE;
    }
    case 'delconsumer': {
      if (ctx.argc !== 5) return syntax;
      const consumer = group!.lookupConsumer(ctx.arg(4), ctx.mstime(), false);
      if (!consumer) return ZERO;
      const pending = consumer.pel.size;
      group!.deleteConsumer(consumer);
      ctx.addDirty();
      notifyStream(ctx, 'xgroup-delconsumer', key);
      return integer(pending);
    }
    default:
      return syntax;
  }
}

const sub = (name: string, arity: number, flags: CommandSpec['flags'], summary: string, since: string): CommandSpec =>
  defineStreamCommand({ name, arity, flags, summary, since, keys: [2, 2, 1], handler: xgroupHandler });

const xgroupHelp = defineStreamCommand({
  name: 'help', arity: 2, flags: ['loading', 'stale'], summary: 'Show helpful text about the different subcommands', since: '5.0.0', keys: null,
  handler: () => helpReply('xgroup', [
    'CREATE <key> <groupname> <id|$> [option]',
    '    Create a new consumer group. Options are:',
    '    * MKSTREAM',
    '      Create the empty stream if it does not exist.',
    '    * ENTRIESREAD entries_read',
    "      Set the group's entries_read counter (internal use).",
    'CREATECONSUMER <key> <groupname> <consumer>',
    '    Create a new consumer in the specified group.',
    'DELCONSUMER <key> <groupname> <consumer>',
    '    Remove the specified consumer.',
    'DESTROY <key> <groupname>',
    '    Remove the specified group.',
    'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
    '    Set the current group ID and entries_read counter.',
  ]),
});

export const xgroup = defineCommand({
  name: 'xgroup', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for consumer groups commands', since: '5.0.0', group: 'stream' },
  subcommands: [
    sub('create', -5, ['write', 'denyoom'], 'Create a consumer group.', '5.0.0'),
    sub('createconsumer', 5, ['write', 'denyoom'], 'Create a consumer in a consumer group.', '6.2.0'),
    sub('delconsumer', 5, ['write'], 'Delete a consumer from a consumer group.', '5.0.0'),
    sub('destroy', 4, ['write'], 'Destroy a consumer group.', '5.0.0'),
    xgroupHelp,
    sub('setid', -5, ['write'], 'Set a consumer group to an arbitrary last delivered ID value.', '5.0.0'),
  ],
});

const ENTRIES_ADDED_NEGATIVE = error('ERR entries_added must be positive');
const BELOW_MAX_DELETED = error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
const BELOW_TOP = error('ERR The ID specified in XSETID is smaller than the target stream top item');
const BELOW_LENGTH = error('ERR The entries_added specified in XSETID is smaller than the target stream length');

export const xsetid = defineStreamCommand({
  name: 'xsetid', arity: -3, flags: ['write', 'denyoom', 'fast'], summary: 'An internal command for replicating stream values', since: '5.0.0',
  handler: (ctx) => {
    const parsed = parseStreamId(ctx.arg(2), { missingSeq: 0, strict: true });
    if (parsed === null) return INVALID_ID;
    const id = parsed.id;
    let entriesAdded: number | bigint = -1;
    let maxDeleted: StreamId = MIN_ID;
    for (let i = 3; i < ctx.argc; i += 2) {
      const moreArgs = ctx.argc - 1 - i;
      if (isOption(ctx.arg(i), 'entriesadded') && moreArgs > 0) {
        const value = parseInt64(ctx.arg(i + 1));
        if (value === null) return errors.NOT_INTEGER;
        if (value < 0) return ENTRIES_ADDED_NEGATIVE;
        entriesAdded = value;
      } else if (isOption(ctx.arg(i), 'maxdeletedid') && moreArgs > 0) {
        const value = parseStreamId(ctx.arg(i + 1), { missingSeq: 0, strict: true });
        if (value === null) return INVALID_ID;
        if (compareIds(id, value.id) < 0) return BELOW_MAX_DELETED;
        maxDeleted = value.id;
      } else {
        return errors.SYNTAX;
      }
    }
    const key = ctx.arg(1);
    const stream = streamFor(ctx, key, true);
    if (stream === undefined) return errors.NO_SUCH_KEY;
    if (!isStream(stream)) return stream;
    if (stream.length > 0) {
      if (compareIds(id, stream.lastValidId()) < 0) return BELOW_TOP;
      if (entriesAdded !== -1 && stream.length > entriesAdded) return BELOW_LENGTH;
    }
    stream.lastId = id;
    if (entriesAdded !== -1) stream.entriesAdded = entriesAdded;
    if (maxDeleted.ms !== 0 || maxDeleted.seq !== 0) stream.maxDeletedId = maxDeleted;
    ctx.addDirty();
    notifyStream(ctx, 'xsetid', key);
    return OK;
  },
});

export const xack = defineStreamCommand({
  name: 'xack', arity: -4, flags: ['write', 'fast'],
  summary: 'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.', since: '5.0.0',
  handler: (ctx) => {
    const key = ctx.arg(1);
    const stream = streamFor(ctx, key, false);
    if (stream !== undefined && !isStream(stream)) return stream;
    const group = stream?.groups?.get(ctx.arg(2));
    if (!group) return ZERO;
    // All IDs are checked first: the reply cannot be an error once some were acknowledged.
    const ids: StreamId[] = [];
    for (let j = 3; j < ctx.argc; j++) {
      const parsed = parseStreamId(ctx.arg(j), { missingSeq: 0, strict: true });
      if (parsed === null) return INVALID_ID;
      ids.push(parsed.id);
    }
    forChange(ctx, key);
    let acknowledged = 0;
    for (const id of ids) {
      if (group.acknowledge(id)) acknowledged++;
    }
    ctx.addDirty(acknowledged);
    return integer(acknowledged);
  },
});
