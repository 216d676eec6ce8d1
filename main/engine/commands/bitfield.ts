/**
 * BITFIELD and BITFIELD_RO (bitops.c bitfieldGeneric): GET, SET and INCRBY
 * of signed (i1..i64) and unsigned (u1..u63) integers at any bit offset
 * (`#n` = n times the width), with OVERFLOW WRAP | SAT | FAIL applying to
 * the operations after it.
 *
 * Mirrored from Redis, quirks included:
 *  - every operation is parsed before any runs; the first bad argument
 *    answers its error and nothing happens;
 *  - with a write among the operations, the string is created or
 *    zero-padded up to the highest bit written before the operations run
 *    (GETs then see the padding), even if every write then fails;
 *  - a write counts as a change when it altered the bits or the string was
 *    created or grown; only changes dirty the dataset (and so propagate);
 *  - overflow checks use 64-bit two's-complement arithmetic exactly as the
 *    C code does (BigInt.asIntN/asUintN stand for its casts).
 */
import { defineCommand, isOption, cString } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { array, error, integer, NULL, type Reply } from '../resp/reply';
import { parseInt64 } from '../util/integers';
import { bitOffset, engineCanHold } from './strings-ranges';
import { NotifyType } from '../pubsub/keyspace-events';
import { ENCODING_RAW } from '../keyspace/key-entry';
import { recordWrittenSds, sdsBeforeWrite } from './string-sds';
import type { SdsShape } from '../memory/sds-layout';

const BAD_TYPE = error('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.');
const BAD_OFFSET = error('ERR bit offset is not an integer or out of range');
const BAD_OVERFLOW = error('ERR Invalid OVERFLOW type specified');
const RO_WRITE = error('ERR BITFIELD_RO only supports the GET subcommand');

type Overflow = 'wrap' | 'sat' | 'fail';

interface Op {
  readonly kind: 'get' | 'set' | 'incrby';
  readonly signed: boolean;
  readonly bits: number;
  readonly offset: number;
  readonly value: bigint;
  readonly overflow: Overflow;
}

const asI64 = (value: bigint): bigint => BigInt.asIntN(64, value);
const asU64 = (value: bigint): bigint => BigInt.asUintN(64, value);

function parseType(text: string): { signed: boolean; bits: number } | null {
  const signed = text[0] === 'i';
  if (!signed && text[0] !== 'u') return null;
  const bits = parseInt64(text.slice(1));
  if (bits === null || bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) return null;
  return { signed, bits: Number(bits) };
}

function parseOps(ctx: CommandContext): Op[] | Reply {
  const ops: Op[] = [];
  let overflow: Overflow = 'wrap';
  for (let j = 2; j < ctx.argc; j++) {
    const left = ctx.argc - j - 1;
    const word = ctx.argv[j];
    let kind: Op['kind'];
    if (isOption(word, 'get') && left >= 2) kind = 'get';
    else if (isOption(word, 'set') && left >= 3) kind = 'set';
    else if (isOption(word, 'incrby') && left >= 3) kind = 'incrby';
    else if (isOption(word, 'overflow') && left >= 1) {
      const name = cString(ctx.arg(++j)).toLowerCase();
      if (name !== 'wrap' && name !== 'sat' && name !== 'fail') return BAD_OVERFLOW;
      overflow = name;
      continue;
    } else return errors.SYNTAX;
    const type = parseType(ctx.arg(j + 1));
    if (type === null) return BAD_TYPE;
    const offset = bitOffset(ctx, ctx.arg(j + 2), type.bits);
    if (offset === null) return BAD_OFFSET;
    // A write grows the string to the op's last byte: past what the engine can hold it is out of range.
    if (kind !== 'get' && !engineCanHold(Math.floor((offset + type.bits - 1) / 8) + 1)) return BAD_OFFSET;
    let value = 0n;
    if (kind !== 'get') {
      const parsed = parseInt64(ctx.arg(j + 3));
      if (parsed === null) return errors.NOT_INTEGER;
      value = BigInt(parsed);
    }
    ops.push({ kind, ...type, offset, value, overflow });
    j += kind === 'get' ? 2 : 3;
  }
  return ops;
}

function readBits(bytes: Buffer, offset: number, bits: number): bigint {
  let value = 0n;
  for (let i = 0; i < bits; i++) {
    const at = offset + i;
    const byte = Math.floor(at / 8);
    const bit = byte < bytes.length ? (bytes[byte]! >> (7 - (at % 8))) & 1 : 0;
    value = (value << 1n) | BigInt(bit);
  }
  return value;
}

function writeBits(bytes: Buffer, offset: number, bits: number, value: bigint): void {
  for (let i = 0; i < bits; i++) {
    const at = offset + i;
    const byte = Math.floor(at / 8);
    const mask = 1 << (7 - (at % 8));
    const bit = (value >> BigInt(bits - 1 - i)) & 1n;
    bytes[byte] = bit ? bytes[byte]! | mask : bytes[byte]! & ~mask;
  }
}

function readSigned(bytes: Buffer, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, readBits(bytes, offset, bits));
}

/** checkSignedBitfieldOverflow: [overflowed, the value to store instead]. */
function signedOverflow(value: bigint, incr: bigint, bits: number, overflow: Overflow): [boolean, bigint] {
  const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncr = asI64(asU64(max) - asU64(value));
  const minIncr = asI64(min - value);
  const wrap = (): bigint => {
    let sum = asU64(value + incr);
    if (bits < 64) {
      const mask = asU64(-1n << BigInt(bits));
      sum = sum & (1n << BigInt(bits - 1)) ? sum | mask : sum & ~mask;
    }
    return asI64(sum);
  };
  if (value > max || (bits !== 64 && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr)) {
    return [true, overflow === 'wrap' ? wrap() : max];
  }
  if (value < min || (bits !== 64 && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr)) {
    return [true, overflow === 'wrap' ? wrap() : min];
  }
  return [false, 0n];
}

/** checkUnsignedBitfieldOverflow (`value` as the uint64 it is in C). */
function unsignedOverflow(value: bigint, incr: bigint, bits: number, overflow: Overflow): [boolean, bigint] {
  const max = (1n << BigInt(bits)) - 1n;
  const maxIncr = asI64(max - value);
  const minIncr = asI64(-value);
  const wrap = (): bigint => asU64(value + incr) & max;
  if (value > max || (incr > 0n && incr > maxIncr)) return [true, overflow === 'wrap' ? wrap() : max];
  if (incr < 0n && incr < minIncr) return [true, overflow === 'wrap' ? wrap() : 0n];
  return [false, 0n];
}

function bitfield(ctx: CommandContext, readonly: boolean): Reply {
  const parsed = parseOps(ctx);
  if (!Array.isArray(parsed)) return parsed;
  const ops = parsed;
  const key = ctx.arg(1);
  const writes = ops.filter((op) => op.kind !== 'get');
  let bytes: Buffer;
  let grown = false;
  let created = false;
  let sds: SdsShape | undefined;
  if (writes.length === 0) {
    const value = ctx.read(key);
    if (value !== undefined && typeof value !== 'string') return errors.WRONGTYPE;
    bytes = Buffer.from(value ?? '', 'latin1');
  } else {
    if (readonly) return RO_WRITE;
    const value = ctx.write(key);
    if (value !== undefined && typeof value !== 'string') return errors.WRONGTYPE;
    const highest = Math.max(...writes.map((op) => op.offset + op.bits - 1));
    const needed = Math.floor(highest / 8) + 1;
    const current = value ?? '';
    created = value === undefined;
    grown = created || current.length < needed;
    if (!created) sds = sdsBeforeWrite(ctx, key, current);
    bytes = Buffer.alloc(Math.max(needed, current.length));
    bytes.write(current, 0, 'latin1');
  }

  const replies: Reply[] = [];
  let changes = 0;
  for (const op of ops) {
    if (op.kind === 'get') {
      replies.push(integer(op.signed ? readSigned(bytes, op.offset, op.bits) : readBits(bytes, op.offset, op.bits)));
      continue;
    }
    const old = op.signed ? readSigned(bytes, op.offset, op.bits) : readBits(bytes, op.offset, op.bits);
    let next: bigint;
    let reply: bigint;
    let overflowed: boolean;
    if (op.signed) {
      const [over, limited] = op.kind === 'incrby' ? signedOverflow(old, op.value, op.bits, op.overflow) : signedOverflow(op.value, 0n, op.bits, op.overflow);
      overflowed = over;
      next = over ? limited : op.kind === 'incrby' ? asI64(old + op.value) : op.value;
      reply = op.kind === 'incrby' ? next : old;
    } else {
      const asStored = op.kind === 'incrby' ? old : asU64(op.value);
      const [over, limited] = op.kind === 'incrby' ? unsignedOverflow(old, op.value, op.bits, op.overflow) : unsignedOverflow(asStored, 0n, op.bits, op.overflow);
      overflowed = over;
      next = over ? limited : op.kind === 'incrby' ? asU64(old + op.value) : asStored;
      reply = op.kind === 'incrby' ? next : old;
    }
    if (overflowed && op.overflow === 'fail') {
      replies.push(NULL);
      continue;
    }
    replies.push(integer(asI64(reply)));
    writeBits(bytes, op.offset, op.bits, BigInt.asUintN(op.bits, next));
    if (grown || old !== next) changes++;
  }

  // A BITFIELD that writes unshares the string first (lookupStringForBitCommand): raw from then on.
  if (changes > 0) {
    ctx.keyspace.setKey(ctx.db, key, bytes.toString('latin1'), true, ENCODING_RAW);
  } else if (created) {
    // Every write failed (OVERFLOW FAIL), but lookupStringForBitCommand already made the string: dbAdd, so
    // a "new" event and nothing else (no signalModifiedKey: no WATCH touch, no invalidation; not dirty).
    ctx.keyspace.addKey(ctx.db, key, bytes.toString('latin1'), ENCODING_RAW);
  } else if (grown) {
    // ... or grew it in place (sdsgrowzero), as quietly.
    ctx.keyspace.replaceValueQuietly(ctx.db, key, bytes.toString('latin1'));
    ctx.keyspace.setEncoding(ctx.db, key, ENCODING_RAW);
  } else if (writes.length > 0) {
    ctx.keyspace.setEncoding(ctx.db, key, ENCODING_RAW);
  }
  // An existing string's sds, unshared and grown by sdsgrowzero (a new one is made whole).
  if (sds !== undefined) recordWrittenSds(ctx, key, sds, bytes.length);
  if (changes > 0) {
    ctx.notifyKeyspaceEvent(NotifyType.STRING, 'setbit', key);
    ctx.addDirty(changes);
  }
  return array(replies);
}

export const bitfieldCommand = defineCommand({
  name: 'bitfield', arity: -2, flags: ['write', 'denyoom'], acl: ['write', 'bitmap', 'slow'], keys: [1, 1, 1],
  doc: { summary: 'Perform arbitrary bitfield integer operations on strings', since: '3.2.0', group: 'bitmap' },
  handler: (ctx) => bitfield(ctx, false),
});

export const bitfieldRoCommand = defineCommand({
  name: 'bitfield_ro', arity: -2, flags: ['readonly', 'fast'], acl: ['read', 'bitmap', 'fast'], keys: [1, 1, 1],
  doc: { summary: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD', since: '6.0.0', group: 'bitmap' },
  handler: (ctx) => bitfield(ctx, true),
});
