/**
 * SHUTDOWN while a script runs past busy-reply-threshold, against
 * redis-server 7.0.15: only SHUTDOWN NOSAVE may stop the server then
 * (shutdownCommand answers BUSY to a SHUTDOWN that would save, after its
 * syntax check and ABORT), and inside MULTI SHUTDOWN is refused as always.
 * Replies are compared byte for byte; the script is killed afterwards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

afterAll(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const WHILE_BUSY: string[][] = [
  ['SHUTDOWN'], ['SHUTDOWN', 'SAVE'], ['SHUTDOWN', 'NOW'], ['SHUTDOWN', 'FORCE'], ['SHUTDOWN', 'ABORT'],
  ['SHUTDOWN', 'BOGUS'], ['SHUTDOWN', 'SAVE', 'NOSAVE'], ['MULTI'], ['SHUTDOWN', 'NOSAVE'], ['EXEC'], ['PING'],
];

/** The replies to WHILE_BUSY from another client while a script loops on `port`. */
async function repliesWhileBusy(port: number): Promise<string[]> {
  const runner = new RespConnection('127.0.0.1', port);
  const other = new RespConnection('127.0.0.1', port);
  try {
    await other.call('CONFIG', 'SET', 'busy-reply-threshold', '100');
    const script = runner.callRaw('EVAL', 'local i = 0 while true do i = i + 1 end', '0');
    await waitFor(async () => String((await other.callRaw('PING')).raw).startsWith('-BUSY'), { what: 'BUSY' });
    const replies: string[] = [];
    for (const command of WHILE_BUSY) replies.push(String((await other.callRaw(...command)).raw));
    expect(String((await other.callRaw('SCRIPT', 'KILL')).raw)).toBe('+OK\r\n');
    expect(String((await script).raw)).toMatch(/^-ERR Script killed by user with SCRIPT KILL/);
    expect(await other.call('PING')).toBe('PONG');
    await other.call('CONFIG', 'SET', 'busy-reply-threshold', '5000');
    return replies;
  } finally {
    runner.close();
    other.close();
  }
}

describe('SHUTDOWN while a script is busy', () => {
  it('answers BUSY unless NOSAVE, ABORT and syntax errors first, refused in MULTI, as redis-server', async () => {
    const [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
    const redisReplies = await repliesWhileBusy(redis.port);
    const ourReplies = await repliesWhileBusy(ours.port);
    expect(redisReplies[0]).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    expect(ourReplies).toEqual(redisReplies);
  });
});
