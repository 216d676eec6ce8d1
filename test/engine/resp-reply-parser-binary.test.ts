/**
 * The tests' reply parser (test/support/resp-reply-parser.ts) against real
 * replies holding every byte 0x00-0xff: a bulk string decodes to one
 * character per byte (latin1), so Buffer.from(value, 'latin1') gives back
 * the exact bytes of the reply, as redis-server sent them, and as our engine
 * sends them. encodeRequest encodes a JS string as UTF-8 (so test literals
 * such as 'pässword' reach the server as UTF-8): a decoded value holding
 * bytes 0x80-0xff must be sent back as Buffer.from(value, 'latin1'), not as
 * the string, which would reach the server re-encoded (checked here too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { parseReply } from '../support/resp-reply-parser';

let redis: RedisProcess;
let ours: EngineHandle;

beforeAll(async () => {
  redis = await startRedisServer();
  ours = await startEngine();
}, 60_000);

afterAll(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe('resp-reply-parser on bulk strings with bytes 0x80-0xff', () => {
  it.each(['redis', 'ours'] as const)('%s: a GET of every byte decodes to those bytes', async (kind) => {
    const peer = kind === 'redis' ? redis : ours;
    expect(await peer.call('SET', 'every-byte', EVERY_BYTE)).toBe('OK');
    const value = await peer.call('GET', 'every-byte');
    expect(typeof value).toBe('string');
    expect(Buffer.from(value as string, 'latin1').equals(EVERY_BYTE)).toBe(true);
    // The parser agrees with the reply's own bytes: $256\r\n<payload>\r\n.
    const raw = Buffer.concat([Buffer.from('$256\r\n'), EVERY_BYTE, Buffer.from('\r\n')]);
    expect(parseReply(raw)).toEqual({ value, end: raw.length });
    // Sent back as latin1 bytes it is the same value; sent back as a JS string it is re-encoded as UTF-8.
    await peer.call('SET', 'copy-bytes', Buffer.from(value as string, 'latin1'));
    await peer.call('SET', 'copy-string', value as string);
    expect(await peer.call('STRLEN', 'copy-bytes')).toBe(256);
    expect(await peer.call('STRLEN', 'copy-string')).toBe(256 + 128);
  });
});
