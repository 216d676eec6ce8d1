/**
 * XADD and XTRIM (t_stream.c xaddCommand, xtrimCommand).
 *
 * Replication: what goes to replicas is deterministic.
 *  - XADD's ID is rewritten to the one generated ("*" and "<ms>-*").
 *  - Approximate trimming (`~`, limited work) depends on where node
 *    boundaries fall; it is propagated as exact: "~" becomes "=" and the
 *    count the resulting length (MAXLEN) or the ID the first entry left,
 *    tombstones included (MINID). A LIMIT stays, and replicas ignore it.
 * XADD wakes clients blocked in XREAD/XREADGROUP on the key.
 */
import type { CommandContext } from './command-context';
import { error, integer, NULL, type Reply } from '../resp/reply';
import * as errors from '../resp/errors';
import { StreamValue } from '../keyspace/values';
import { formatId } from '../keyspace/values/stream-id';
import { trimStream, type TrimSpec } from '../keyspace/values/stream-trim';
import type { StreamId } from '../keyspace/values/stream-id';
import { defineStreamCommand, isStream, notifyStream, streamFor } from './streams-access';
import { isAddTrimArgs, parseAddOrTrimArgs, type AddTrimArgs } from './streams-trim-args';

const ID_ZERO = error('ERR The ID specified in XADD must be greater than 0-0');
const EXHAUSTED = error('ERR The stream has exhausted the last possible ID, unable to add more items');
const NOT_GREATER = error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
const TOO_LARGE = error('ERR Elements are too large to be stored');

/**
 * Trims per the parsed options; on approximate trimming, rewrites the
 * propagated arguments to exact ones (`propagated` null: nothing receives
 * the command stream, so there is nothing to rewrite).
 */
function trimAndRewrite(ctx: CommandContext, key: string, stream: StreamValue, args: AddTrimArgs, propagated: string[] | null): number {
  if (args.strategy === null) return 0;
  const spec: TrimSpec = { strategy: args.strategy, approx: args.approx, limit: args.limit };
  const deleted = trimStream(stream, spec);
  if (deleted > 0) notifyStream(ctx, 'xtrim', key);
  if (args.approx && propagated !== null) {
    propagated[args.trimArgIndex - 1] = '=';
    propagated[args.trimArgIndex] = args.strategy.kind === 'maxlen' ? String(stream.length) : formatId(stream.edgeId(true, false));
  }
  return deleted;
}

export const xadd = defineStreamCommand({
  name: 'xadd', arity: -5, flags: ['write', 'denyoom', 'fast'], summary: 'Appends a new entry to a stream', since: '5.0.0', tips: ['nondeterministic_output'],
  handler: (ctx) => {
    const args = parseAddOrTrimArgs(ctx, true);
    if (!isAddTrimArgs(args)) return args;
    const fieldsFrom = args.idIndex + 1;
    const fieldArgs = ctx.argc - fieldsFrom;
    if (fieldArgs < 2 || fieldArgs % 2 === 1) return errors.wrongArity('xadd');
    if (args.id !== null && args.seqGiven && args.id.ms === 0 && args.id.seq === 0) return ID_ZERO;

    const key = ctx.arg(1);
    let stream = streamFor(ctx, key, true);
    if (stream !== undefined && !isStream(stream)) return stream;
    if (stream === undefined) {
      if (args.noMkstream) return NULL;
      stream = new StreamValue();
      ctx.keyspace.addKey(ctx.db, key, stream);
    }
    if (stream.exhausted) return EXHAUSTED;

    let entryId: StreamId | null;
    if (args.id === null) entryId = stream.autoId(ctx.mstime());
    else if (args.seqGiven) entryId = args.id;
    else entryId = stream.idWithinMs(args.id.ms);
    if (entryId === null) return TOO_LARGE;
    // The hot config carries stream-node-max-bytes/-entries under the names StreamNodeLimits reads.
    const status = stream.append(ctx.argv, fieldsFrom, entryId, ctx.node.hot);
    if (status !== 'ok') return status === 'not-greater' ? NOT_GREATER : TOO_LARGE;

    ctx.keyspace.touchModified(ctx.db, key);
    notifyStream(ctx, 'xadd', key);
    ctx.addDirty();
    // The rewritten copy is made only when something receives the command
    // stream (the propagator drops every effect otherwise): a master without
    // replicas or backlog, as the bench's, copies no argv per XADD.
    const rewrite = (args.approx || args.id === null || !args.seqGiven) && ctx.node.propagation.collecting;
    const propagated = rewrite ? ctx.argv.slice() : null;
    trimAndRewrite(ctx, key, stream, args, propagated);
    if (propagated !== null) {
      if (args.id === null || !args.seqGiven) propagated[args.idIndex] = formatId(entryId);
      ctx.rewriteArgv(propagated);
    }
    ctx.keyspace.signalReady(ctx.db, key);
    const { ms, seq } = entryId;
    // Without a string: the encoder writes the digits (StreamIdReply).
    return typeof ms === 'number' && typeof seq === 'number' ? { kind: 'streamId', ms, seq } : { kind: 'bulk', value: formatId(entryId) };
  },
});

export const xtrim = defineStreamCommand({
  name: 'xtrim', arity: -4, flags: ['write'], summary: "Trims the stream to (approximately if '~' is passed) a certain size", since: '5.0.0', tips: ['nondeterministic_output'],
  handler: (ctx): Reply => {
    const args = parseAddOrTrimArgs(ctx, false);
    if (!isAddTrimArgs(args)) return args;
    const key = ctx.arg(1);
    const stream = streamFor(ctx, key, true);
    if (stream === undefined) return integer(0);
    if (!isStream(stream)) return stream;
    const propagated = args.approx ? ctx.argv.slice() : null;
    const deleted = trimAndRewrite(ctx, key, stream, args, propagated);
    if (deleted > 0) {
      if (propagated !== null) ctx.rewriteArgv(propagated);
      ctx.keyspace.touchModified(ctx.db, key);
      ctx.addDirty(deleted);
    }
    return integer(deleted);
  },
});
