/**
 * Writes that would grow a string past what a JS string holds
 * (buffer.constants.MAX_STRING_LENGTH, 2^29 - 24 bytes, 24 short of
 * Redis's 512 MB) are refused with Redis's own messages for an oversized
 * string or bit offset, not failed as an internal error. redis-server
 * accepts these (SETRANGE k 536870911 x answers :536870912, SETBIT k
 * 4294967295 1 answers :0), allocating 512 MB; the engine cannot, and this
 * pins what it says instead. Reads at those offsets still answer as Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constants as bufferConstants } from 'node:buffer';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { RespError } from '../support/resp-reply-parser';

let ours: EngineHandle;

beforeAll(async () => {
  ours = await startEngine();
});

afterAll(async () => {
  await stopAllEngines();
});

const TOO_BIG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
const BIT_OFFSET = 'ERR bit offset is not an integer or out of range';

/** The message of an error reply (anything else fails the comparison). */
function errorText(reply: unknown): string {
  return reply instanceof RespError ? reply.message : `not an error: ${JSON.stringify(reply)}`;
}

describe('strings past the engine limit', () => {
  it('refuses SETRANGE, APPEND, SETBIT and BITFIELD writes with Redis messages and keeps serving', async () => {
    expect(bufferConstants.MAX_STRING_LENGTH).toBe(2 ** 29 - 24);
    await ours.call('FLUSHALL');
    await ours.call('SET', 'k', 'v');
    expect(errorText(await ours.call('SETRANGE', 'k', '536870911', 'x'))).toBe(TOO_BIG);
    expect(errorText(await ours.call('SETRANGE', 'fresh', String(2 ** 29 - 24), 'x'))).toBe(TOO_BIG);
    expect(errorText(await ours.call('SETBIT', 'k', '4294967295', '1'))).toBe(BIT_OFFSET);
    expect(errorText(await ours.call('BITFIELD', 'k', 'SET', 'u8', '#536870911', '1'))).toBe(BIT_OFFSET);
    expect(errorText(await ours.call('BITFIELD', 'k', 'INCRBY', 'i16', '4294967288', '1'))).toBe(BIT_OFFSET);
    // Reads past the end are zeros, as in Redis, and create nothing.
    expect(await ours.call('GETBIT', 'k', '4294967295')).toBe(0);
    expect(await ours.call('BITFIELD', 'k', 'GET', 'u8', '#536870911')).toEqual([0]);
    expect(await ours.call('GET', 'k')).toBe('v');
    expect(await ours.call('EXISTS', 'fresh')).toBe(0);
    expect(ours.logs.filter((line) => /internal error|RangeError/.test(line))).toEqual([]);
  });
});
