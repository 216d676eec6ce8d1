/**
 * Byte ranges and bits of strings (t_string.c, bitops.c): APPEND GETRANGE
 * SUBSTR SETRANGE SETBIT GETBIT BITCOUNT (with 7.0's BYTE|BIT unit) BITPOS
 * BITOP.
 * Strings are binary (one JS char per byte). Growing a string past
 * proto-max-bulk-len is refused with Redis's message; modifying in place
 * keeps the key's TTL.
 *
 * A JS string holds at most MAX_STRING_LENGTH (2^29 - 24) chars, 24 bytes
 * short of the default proto-max-bulk-len (512 MB). A write that would grow
 * a string past that is refused with the message Redis gives for going past
 * proto-max-bulk-len (SETRANGE, APPEND) or for an out-of-range bit offset
 * (SETBIT, BITFIELD writes), whatever the config or the writer: the value
 * cannot be held, and an exception would otherwise surface as an internal error.
 */
import { defineCommand, isOption, cString } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { bulk, error, integer, type Reply } from '../resp/reply';
import { parseInt64 } from '../util/integers';
import { NotifyType } from '../pubsub/keyspace-events';
import { ENCODING_RAW } from '../keyspace/key-entry';
import { recordWrittenSds, sdsBeforeWrite } from './string-sds';
import { constants as bufferConstants } from 'node:buffer';

const TOO_BIG = error('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
const BIT_OFFSET = error('ERR bit offset is not an integer or out of range');
const BIT_VALUE = error('ERR bit is not an integer or out of range');

function longArg(text: string): number | null {
  const value = parseInt64(text);
  return value === null ? null : typeof value === 'bigint' ? (value > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER) : value;
}

/** Our master's stream obeys the master's limits, not ours (mustObeyClient). */
function fromOurMaster(ctx: CommandContext): boolean {
  return ctx.node.replication.isReplica && ctx.client.isMaster;
}

/** The longest string the engine can hold, in bytes (one char per byte). */
const LONGEST_STRING = bufferConstants.MAX_STRING_LENGTH;

/** Whether a write may make a string `byteLength` bytes long (see the file comment). */
export function engineCanHold(byteLength: number): boolean {
  return byteLength <= LONGEST_STRING;
}

function tooLong(ctx: CommandContext, length: number): boolean {
  return !engineCanHold(length) || (!fromOurMaster(ctx) && length > ctx.node.config.int('proto-max-bulk-len'));
}

/** The string at key for a write: value, undefined (missing) or WRONGTYPE. */
function stringForWrite(ctx: CommandContext, key: string): string | undefined | Reply {
  const value = ctx.write(key);
  if (value !== undefined && typeof value !== 'string') return errors.WRONGTYPE;
  return value;
}

/** `group` is the command's family (ACL category and doc group); `fast` marks O(1) commands. */
const define = (name: string, arity: number, write: boolean, summary: string, since: string, handler: (ctx: CommandContext) => Reply, group: 'string' | 'bitmap' = 'string', fast = false) =>
  defineCommand({
    name, arity, flags: [...(write ? ['write', 'denyoom'] as const : ['readonly'] as const), ...(fast ? ['fast'] as const : [])], acl: [group],
    keys: [1, 1, 1], doc: { summary, since, group }, handler,
  });

export const append = define('append', 3, true, 'Append a value to a key', '2.0.0', (ctx) => {
  const key = ctx.arg(1);
  const current = stringForWrite(ctx, key);
  if (typeof current === 'object') return current;
  const addition = ctx.arg(2);
  if (current === undefined) {
    ctx.keyspace.setKey(ctx.db, key, addition);
    ctx.storedFromArgv(key);
    ctx.notifyKeyspaceEvent(NotifyType.STRING, 'append', key);
    ctx.addDirty();
    return integer(addition.length);
  }
  if (tooLong(ctx, current.length + addition.length)) return TOO_BIG;
  // Appended in place: Redis's string is now a raw sds, whatever it holds, with sdsMakeRoomFor's spare room.
  const sds = sdsBeforeWrite(ctx, key, current);
  ctx.keyspace.setKey(ctx.db, key, current + addition, true, ENCODING_RAW);
  recordWrittenSds(ctx, key, sds, current.length + addition.length);
  ctx.notifyKeyspaceEvent(NotifyType.STRING, 'append', key);
  ctx.addDirty();
  return integer(current.length + addition.length);
}, 'string', true);

function getrange(ctx: CommandContext): Reply {
  let start = longArg(ctx.arg(2));
  let end = longArg(ctx.arg(3));
  if (start === null || end === null) return errors.NOT_INTEGER;
  const value = ctx.read(ctx.arg(1));
  if (value === undefined) return bulk('');
  if (typeof value !== 'string') return errors.WRONGTYPE;
  if (start < 0 && end < 0 && start > end) return bulk('');
  const length = value.length;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length === 0) return bulk('');
  return bulk(value.slice(start, end + 1));
}

export const getrangeCommand = define('getrange', 4, false, 'Get a substring of the string stored at a key', '2.4.0', getrange);
export const substr = define('substr', 4, false, 'Get a substring of the string stored at a key', '1.0.0', getrange);

export const setrange = define('setrange', 4, true, 'Overwrite part of a string at key starting at the specified offset', '2.2.0', (ctx) => {
  const key = ctx.arg(1);
  const offset = longArg(ctx.arg(2));
  if (offset === null) return errors.NOT_INTEGER;
  if (offset < 0) return error('ERR offset is out of range');
  const piece = ctx.arg(3);
  const current = stringForWrite(ctx, key);
  if (typeof current === 'object') return current;
  if (current === undefined && piece.length === 0) return integer(0);
  if (current !== undefined && piece.length === 0) return integer(current.length);
  if (tooLong(ctx, offset + piece.length)) return TOO_BIG;
  const base = current ?? '';
  const padded = base.length < offset ? base + '\u0000'.repeat(offset - base.length) : base;
  const result = padded.slice(0, offset) + piece + padded.slice(offset + piece.length);
  // A new key's sds is made whole (sdsnewlen); an existing one is unshared and grown (sdsgrowzero).
  const sds = current === undefined ? undefined : sdsBeforeWrite(ctx, key, current);
  ctx.keyspace.setKey(ctx.db, key, result, true, ENCODING_RAW);
  if (sds !== undefined) recordWrittenSds(ctx, key, sds, result.length);
  ctx.notifyKeyspaceEvent(NotifyType.STRING, 'setrange', key);
  ctx.addDirty();
  return integer(result.length);
});

/**
 * getBitOffsetFromArgument: a bit offset, or with `width` (BITFIELD) also
 * `#n` meaning n * width; null when not a non-negative integer or past
 * proto-max-bulk-len bytes (unless it comes from our master).
 */
export function bitOffset(ctx: CommandContext, text: string, width = 0): number | null {
  const hash = width > 0 && text[0] === '#';
  const parsed = parseInt64(hash ? text.slice(1) : text);
  if (parsed === null || typeof parsed === 'bigint') return null;
  const offset = hash ? parsed * width : parsed;
  if (offset < 0) return null;
  if (!fromOurMaster(ctx) && Math.floor(offset / 8) >= ctx.node.config.int('proto-max-bulk-len')) return null;
  return offset;
}

export const setbit = define('setbit', 4, true, 'Sets or clears the bit at offset in the string value stored at key', '2.2.0', (ctx) => {
  const key = ctx.arg(1);
  const offset = bitOffset(ctx, ctx.arg(2));
  if (offset === null || !engineCanHold(Math.floor(offset / 8) + 1)) return BIT_OFFSET;
  const bitText = ctx.arg(3);
  if (bitText !== '0' && bitText !== '1') return BIT_VALUE;
  const current = stringForWrite(ctx, key);
  if (typeof current === 'object') return current;
  const byteIndex = Math.floor(offset / 8); // offsets reach 2^32 - 1: no 32-bit shifts
  let value = current ?? '';
  // Created or grown (Redis's lookupStringForBitCommand "dirty"), or the bit flips: only then is it a write.
  const grown = current === undefined || value.length <= byteIndex;
  if (value.length <= byteIndex) value += '\u0000'.repeat(byteIndex + 1 - value.length);
  const byte = value.charCodeAt(byteIndex);
  const mask = 1 << (7 - (offset & 7));
  const old = (byte & mask) !== 0 ? 1 : 0;
  const sds = current === undefined ? undefined : sdsBeforeWrite(ctx, key, current);
  if (!grown && old === Number(bitText)) {
    // No write, but Redis unshared the string first: it is raw now.
    ctx.keyspace.setEncoding(ctx.db, key, ENCODING_RAW);
    recordWrittenSds(ctx, key, sds!, value.length);
    return integer(old);
  }
  const updated = bitText === '1' ? byte | mask : byte & ~mask;
  value = value.slice(0, byteIndex) + String.fromCharCode(updated) + value.slice(byteIndex + 1);
  ctx.keyspace.setKey(ctx.db, key, value, true, ENCODING_RAW);
  if (sds !== undefined) recordWrittenSds(ctx, key, sds, value.length);
  ctx.notifyKeyspaceEvent(NotifyType.STRING, 'setbit', key);
  ctx.addDirty();
  return integer(old);
}, 'bitmap');

export const getbit = define('getbit', 3, false, 'Returns the bit value at offset in the string value stored at key', '2.2.0', (ctx) => {
  const offset = bitOffset(ctx, ctx.arg(2));
  if (offset === null) return BIT_OFFSET;
  const value = ctx.read(ctx.arg(1));
  if (value === undefined) return integer(0);
  if (typeof value !== 'string') return errors.WRONGTYPE;
  const byteIndex = Math.floor(offset / 8); // offsets reach 2^32 - 1: no 32-bit shifts
  if (byteIndex >= value.length) return integer(0);
  return integer((value.charCodeAt(byteIndex) >> (7 - (offset & 7))) & 1);
}, 'bitmap', true);

function popcount(byte: number): number {
  let count = 0;
  for (let b = byte; b !== 0; b &= b - 1) count++;
  return count;
}

// BITCOUNT and BITPOS look the key up before they parse the range (bitops.c):
// a missing key answers 0 (BITPOS: 0 or -1) whatever the range and unit say.
export const bitcount = define('bitcount', -2, false, 'Count set bits in a string', '2.6.0', (ctx) => {
  const value = ctx.read(ctx.arg(1));
  if (value === undefined) return integer(0);
  if (typeof value !== 'string') return errors.WRONGTYPE;
  let useBits = false;
  let start = 0;
  let end = 0;
  if (ctx.argc === 4 || ctx.argc === 5) {
    const s = longArg(ctx.arg(2));
    if (s === null) return errors.NOT_INTEGER;
    const e = longArg(ctx.arg(3));
    if (e === null) return errors.NOT_INTEGER;
    // Both negative and crossed: empty before the unit is even read.
    if (s < 0 && e < 0 && s > e) return integer(0);
    if (ctx.argc === 5) {
      if (isOption(ctx.arg(4), 'bit')) useBits = true;
      else if (!isOption(ctx.arg(4), 'byte')) return errors.SYNTAX;
    }
    start = s;
    end = e;
  } else if (ctx.argc !== 2) {
    return errors.SYNTAX;
  }
  const totalLength = useBits ? value.length * 8 : value.length;
  if (ctx.argc === 2) {
    start = 0;
    end = totalLength - 1;
  } else {
    if (start < 0 && end < 0 && start > end) return integer(0);
    if (start < 0) start = totalLength + start;
    if (end < 0) end = totalLength + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= totalLength) end = totalLength - 1;
  }
  if (start > end || totalLength === 0) return integer(0);
  let count = 0;
  if (!useBits) {
    for (let i = start; i <= end; i++) count += popcount(value.charCodeAt(i));
    return integer(count);
  }
  for (let bit = start; bit <= end; bit++) if ((value.charCodeAt(Math.floor(bit / 8)) >> (7 - (bit & 7))) & 1) count++;
  return integer(count);
}, 'bitmap');

/**
 * BITPOS key bit [start [end [BYTE|BIT]]]: the first bit set to `bit` in the
 * range. Looking for 0 without an explicit end, the string is seen as padded
 * with zeros on the right, so the answer is the first bit past its end.
 */
export const bitpos = define('bitpos', -3, false, 'Find first bit set or clear in a string', '2.8.7', (ctx) => {
  // The bit is a long first ("x": not an integer), then 0 or 1.
  const bitArg = longArg(ctx.arg(2));
  if (bitArg === null) return errors.NOT_INTEGER;
  if (bitArg !== 0 && bitArg !== 1) return error('ERR The bit argument must be 1 or 0.');
  const bit = bitArg;
  const value = ctx.read(ctx.arg(1));
  if (value === undefined) return integer(bit ? -1 : 0);
  if (typeof value !== 'string') return errors.WRONGTYPE;
  let useBits = false;
  let start = 0;
  let end = 0;
  const endGiven = ctx.argc >= 5;
  if (ctx.argc > 6) return errors.SYNTAX;
  if (ctx.argc >= 4) {
    const s = longArg(ctx.arg(3));
    if (s === null) return errors.NOT_INTEGER;
    start = s;
  }
  // The unit is read before the end.
  if (ctx.argc === 6) {
    if (isOption(ctx.arg(5), 'bit')) useBits = true;
    else if (!isOption(ctx.arg(5), 'byte')) return errors.SYNTAX;
  }
  if (endGiven) {
    const e = longArg(ctx.arg(4));
    if (e === null) return errors.NOT_INTEGER;
    end = e;
  }
  const total = useBits ? value.length * 8 : value.length;
  if (!endGiven) end = total - 1;
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  if (start > end) return integer(-1);
  const firstBit = useBits ? start : start * 8;
  const lastBit = useBits ? end : end * 8 + 7;
  for (let position = firstBit; position <= lastBit; position++) {
    if (((value.charCodeAt(Math.floor(position / 8)) >> (7 - (position & 7))) & 1) === bit) return integer(position);
  }
  // Not found: clear bits continue past the end of the string when no end was given.
  return integer(bit === 0 && !endGiven ? lastBit + 1 : -1);
}, 'bitmap');

/**
 * BITOP AND|OR|XOR|NOT destkey key [key ...]: byte-wise over the sources,
 * missing keys and the shorter strings' tails counting as zero bytes; the
 * result is as long as the longest source. An empty result deletes the
 * destination. Replies the result's length.
 */
export const bitop = defineCommand({
  name: 'bitop', arity: -4, flags: ['write', 'denyoom'], acl: ['write', 'bitmap', 'slow'], keys: [2, -1, 1],
  doc: { summary: 'Perform bitwise operations between strings', since: '2.6.0', group: 'bitmap' },
  handler: (ctx) => {
    const op = cString(ctx.arg(1)).toLowerCase();
    if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'not') return errors.SYNTAX;
    if (op === 'not' && ctx.argc !== 4) return error('ERR BITOP NOT must be called with a single source key.');
    const sources: string[] = [];
    for (let i = 3; i < ctx.argc; i++) {
      const value = ctx.read(ctx.arg(i));
      if (value !== undefined && typeof value !== 'string') return errors.WRONGTYPE;
      sources.push(value ?? '');
    }
    const length = Math.max(...sources.map((source) => source.length));
    const destination = ctx.arg(2);
    if (length === 0) {
      if (ctx.keyspace.deleteKey(ctx.db, destination)) {
        ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', destination);
        ctx.addDirty();
      }
      return integer(0);
    }
    const result = Buffer.allocUnsafe(length);
    for (let at = 0; at < length; at++) {
      let byte = at < sources[0]!.length ? sources[0]!.charCodeAt(at) : 0;
      if (op === 'not') byte = ~byte & 0xff;
      for (let k = 1; k < sources.length; k++) {
        const other = at < sources[k]!.length ? sources[k]!.charCodeAt(at) : 0;
        byte = op === 'and' ? byte & other : op === 'or' ? byte | other : byte ^ other;
      }
      result[at] = byte;
    }
    // setKey's lookupKeyWrite: a destination whose time has passed expires first ("expired" before this command's event).
    ctx.write(destination);
    ctx.keyspace.setKey(ctx.db, destination, result.toString('latin1'), false, ENCODING_RAW);
    ctx.notifyKeyspaceEvent(NotifyType.STRING, 'set', destination);
    ctx.addDirty();
    return integer(length);
  },
});

export const RANGE_COMMANDS = [append, getrangeCommand, substr, setrange, setbit, getbit, bitcount, bitpos, bitop];
