/**
 * PFADD PFCOUNT PFMERGE (hyperloglog.c). An HLL is a string value with the
 * layout of hll/hll-layout.ts; these commands check its header (WRONGTYPE
 * "Key is not a valid HyperLogLog string value." otherwise) and its sparse
 * payload where they walk it (INVALIDOBJ).
 *
 * Propagation, as Redis:
 *   - PFADD is propagated verbatim when it created the key or changed a
 *     register (dirty += elements that changed one, +1 for a creation);
 *     a sparse -> dense promotion happens the same way on the replica.
 *   - PFCOUNT of one key whose cached cardinality was stale writes the new
 *     cache into the value (the header's bytes 8..15) and is propagated,
 *     read-only command or not, so the replica's bytes (and DEBUG DIGEST)
 *     stay equal. A cache hit, or several keys, changes nothing.
 *   - PFMERGE is always a write (the destination is created if missing) and
 *     notifies "pfadd" on it, as Redis does.
 *
 * A dense HLL a PF command changed stays in the keyspace as its bytes, which
 * the next PF command reads and edits in place (held-bytes.ts, storedHll);
 * these commands look keys up so (readHll, writeHll).
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import type { CommandSpec } from './command-spec';
import { integer, OK, ZERO, ONE, type Reply } from '../resp/reply';
import { NotifyType } from '../pubsub/keyspace-events';
import { ENCODING_RAW } from '../keyspace/key-entry';
import { readHll, sparseMaxBytes, unshareHll, writeHll } from './hyperloglog-access';
import { cachedCardinality, hasValidCache, hllValueError, HLL_REGISTERS, INVALID_HLL, invalidateCache, isDense, setCachedCardinality } from '../hll/hll-layout';
import { emptySparseHll } from '../hll/hll-sparse';
import { HllBuffer } from '../hll/hll-buffer';
import { addElements, countRegisters, countValue, editable, mergeRegisters, storedHll, writeMerged, type HllValue } from '../hll/hll-operations';
import { pfdebugCommand, pfselftestCommand } from './hyperloglog-debug';

const definePf = (name: string, arity: number, flags: CommandSpec['flags'], summary: string, keys: readonly [number, number, number] | null, handler: (ctx: CommandContext) => Reply): CommandSpec =>
  defineCommand({ name, arity, flags, acl: ['hyperloglog'], keys, doc: { summary, since: '2.8.9', group: 'hyperloglog' }, handler });

export const pfadd = definePf('pfadd', -2, ['write', 'denyoom', 'fast'], 'Adds the specified elements to the specified HyperLogLog.', [1, 1, 1], (ctx) => {
  const key = ctx.arg(1);
  const existing = writeHll(ctx, key);
  if (existing !== undefined) {
    const invalid = hllValueError(existing);
    if (invalid) return invalid;
    // Held bytes are a dense HLL a PF command stored as raw already: no second lookup to say so.
    if (!(existing instanceof HllBuffer)) unshareHll(ctx, key);
  }
  const created = existing === undefined;
  const start = created ? HllBuffer.of(emptySparseHll()) : (existing as HllValue);
  const outcome = addElements(start, ctx.argv, 2, sparseMaxBytes(ctx), ctx.client.requestProgress?.argumentBytes ?? null);
  if (outcome.corrupt) {
    // Redis has already rewritten the value in place for the elements before the corrupt spot.
    if (outcome.hll !== null) ctx.keyspace.replaceValueQuietly(ctx.db, key, storedHll(outcome.hll));
    return INVALID_HLL;
  }
  const updated = outcome.updated + (created ? 1 : 0);
  if (updated === 0) return ZERO;
  if (created) {
    // A creation counts as an update, so even an empty new HLL has a stale cache.
    const hll = outcome.hll ?? (start as HllBuffer);
    invalidateCache(hll.bytes);
    ctx.keyspace.addKey(ctx.db, key, storedHll(hll), ENCODING_RAW);
    ctx.keyspace.touchModified(ctx.db, key);
  } else {
    // Held bytes edited in place are stored again as themselves: setKey is the change's bookkeeping.
    ctx.keyspace.setKey(ctx.db, key, storedHll(outcome.hll!), true, ENCODING_RAW);
  }
  ctx.notifyKeyspaceEvent(NotifyType.STRING, 'pfadd', key);
  ctx.addDirty(updated);
  return ONE;
});

/** PFCOUNT of several keys: the cardinality of their union; nothing is written. */
function countUnion(ctx: CommandContext): Reply {
  const max = new Uint8Array(HLL_REGISTERS);
  for (let i = 1; i < ctx.argc; i++) {
    const value = readHll(ctx, ctx.arg(i));
    if (value === undefined) continue;
    const invalid = hllValueError(value);
    if (invalid) return invalid;
    if (!mergeRegisters(value as HllValue, max)) return INVALID_HLL;
  }
  return integer(countRegisters(max));
}

export const pfcount = definePf('pfcount', -2, ['readonly', 'may_replicate'], 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).', [1, -1, 1], (ctx) => {
  if (ctx.argc > 2) return countUnion(ctx);
  const key = ctx.arg(1);
  const value = readHll(ctx, key);
  if (value === undefined) return ZERO;
  const invalid = hllValueError(value);
  if (invalid) return invalid;
  const hll = value as HllValue;
  unshareHll(ctx, key);
  if (hasValidCache(hll)) return integer(cachedCardinality(hll));
  const cardinality = countValue(hll);
  if (cardinality === null) return INVALID_HLL;
  // The cache is part of the value: writing it is a change replicas must see. A snapshot keeps the value before it (heldForEdit).
  const target = editable(ctx.keyspace.heldForEdit(ctx.db, key) as HllValue);
  setCachedCardinality(target.bytes, cardinality);
  ctx.keyspace.setKey(ctx.db, key, storedHll(target), true, ENCODING_RAW);
  ctx.addDirty();
  return integer(cardinality);
});

export const pfmerge = definePf('pfmerge', -2, ['write', 'denyoom'], 'Merge N different HyperLogLogs into a single one.', [1, -1, 1], (ctx) => {
  const max = new Uint8Array(HLL_REGISTERS);
  let makeDense = false;
  // The destination is also a source (argv[1] onwards).
  for (let i = 1; i < ctx.argc; i++) {
    const value = readHll(ctx, ctx.arg(i));
    if (value === undefined) continue;
    const invalid = hllValueError(value);
    if (invalid) return invalid;
    if (isDense(value as HllValue)) makeDense = true;
    if (!mergeRegisters(value as HllValue, max)) return INVALID_HLL;
  }
  const key = ctx.arg(1);
  const existing = writeHll(ctx, key);
  const created = existing === undefined;
  const target = created ? emptySparseHll() : (existing as HllValue);
  if (created) ctx.keyspace.addKey(ctx.db, key, target, ENCODING_RAW);
  else unshareHll(ctx, key);
  const merged = writeMerged(target, max, makeDense, sparseMaxBytes(ctx));
  if (merged === null) return INVALID_HLL;
  ctx.keyspace.setKey(ctx.db, key, storedHll(merged), true, ENCODING_RAW);
  ctx.notifyKeyspaceEvent(NotifyType.STRING, 'pfadd', key);
  ctx.addDirty();
  return OK;
});

export const HYPERLOGLOG_COMMANDS = [pfadd, pfcount, pfmerge, pfdebugCommand, pfselftestCommand];
