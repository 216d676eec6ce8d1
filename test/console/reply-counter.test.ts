/**
 * The load worker's reply counter on real replies: what redis-server sends
 * for the demo's commands (simple, integer, error, bulk, null, nested
 * arrays of XREADGROUP), fed whole, byte by byte and split at every
 * boundary, always counts one reply per command and names the errors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ReplyCounter } from '../../main/console/demo/reply-counter';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { RespConnection } from '../support/resp-connection';

afterAll(async () => {
  await stopAllRedisServers();
});

function count(chunks: ReadonlyArray<Buffer>): { replies: number; errors: string[] } {
  const counter = new ReplyCounter();
  let replies = 0;
  const errors: string[] = [];
  for (const chunk of chunks) {
    counter.feed(chunk, (error) => {
      replies++;
      if (error !== null) errors.push(error);
    });
  }
  return { replies, errors };
}

describe('ReplyCounter', () => {
  it('counts one reply per command of a real pipeline, however the bytes are cut', async () => {
    const server = await startRedisServer();
    const commands = [
      ['SET', 'k', 'v'],
      ['INCR', 'n'],
      ['XADD', 's', '1-1', 'payload', 'line\r\nbreak'],
      ['XADD', 's', '1-2', 'payload', '*3\r\n:1\r\n'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 's', '>'],
      ['GET', 'missing'],
      ['INCR', 'k'],
      ['LRANGE', 'missing', '0', '-1'],
    ];
    const connection = new RespConnection('127.0.0.1', server.port);
    let raw: Buffer;
    try {
      const replies: Buffer[] = [];
      for (const argv of commands) replies.push((await connection.callRaw(...argv)).raw);
      raw = Buffer.concat(replies);
    } finally {
      connection.close();
    }
    const expected = { replies: commands.length, errors: ['ERR value is not an integer or out of range'] };
    expect(count([raw])).toEqual(expected);
    expect(count([...raw].map((byte) => Buffer.from([byte])))).toEqual(expected);
    for (let cut = 1; cut < raw.length; cut++) expect(count([raw.subarray(0, cut), raw.subarray(cut)])).toEqual(expected);
  });
});
