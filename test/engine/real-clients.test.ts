/**
 * Real clients against our engine: redis-cli (one-shot, interactive through
 * stdin, --pipe mass insertion, --no-raw RESP3), ioredis 6 in RESP2 and RESP3
 * (pipelines, transactions, errors, pub/sub), and redis-benchmark's whole
 * default suite, which must finish without a single error reply.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';

const run = promisify(execFile);
let ours: EngineHandle;

beforeAll(async () => {
  ours = await startEngine();
});
afterAll(async () => {
  await stopAllEngines();
});

function cli(...args: string[]): Promise<string> {
  return run('redis-cli', ['-p', String(ours.port), ...args]).then((result) => result.stdout);
}

/** Runs redis-cli with `input` on stdin; resolves with stdout once it exits. */
function cliWithInput(args: string[], input: string | Buffer): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(ours.port), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
    child.stdin.end(input);
  });
}

describe('redis-cli', () => {
  it('one-shot commands, errors and RESP3 output', async () => {
    expect(await cli('SET', 'cli:key', 'hello world')).toBe('OK\n');
    expect(await cli('GET', 'cli:key')).toBe('hello world\n');
    expect(await cli('--no-raw', 'GET', 'cli:key')).toBe('"hello world"\n');
    expect(await cli('NOSUCHCOMMAND')).toMatch(/^ERR unknown command 'NOSUCHCOMMAND'/);
    expect(await cli('-3', '--no-raw', 'HELLO', '3')).toContain('"proto"');
    expect(await cli('INFO', 'server')).toMatch(/redis_version:7\.0\.\d+/);
  });

  it('interactive session through stdin', async () => {
    const { stdout, code } = await cliWithInput([], 'SELECT 3\nSET a 1\nINCR a\nGET a\nDBSIZE\n');
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toEqual(['OK', 'OK', '2', '2', '1']);
  });

  it('--pipe mass insertion of 10,000 commands', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(`*3\r\n$3\r\nSET\r\n$${`pipe:${i}`.length}\r\npipe:${i}\r\n$${String(i).length}\r\n${i}\r\n`);
    const { stdout, code } = await cliWithInput(['--pipe'], lines.join(''));
    expect(code).toBe(0);
    expect(stdout).toMatch(/errors: 0, replies: 10000/);
    expect(await cli('GET', 'pipe:9999')).toBe('9999\n');
  });
});

describe('ioredis 6', () => {
  it.each([2, 3] as const)('RESP%i: commands, pipelines, transactions, errors, pub/sub', async (protocol) => {
    const client = new Redis({ port: ours.port, host: '127.0.0.1', protocol, lazyConnect: true, maxRetriesPerRequest: 0 });
    const subscriber = new Redis({ port: ours.port, host: '127.0.0.1', protocol, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      await subscriber.connect();
      expect(await client.set(`io${protocol}`, 'v')).toBe('OK');
      expect(await client.get(`io${protocol}`)).toBe('v');
      const pipeline = await client.pipeline().set('p1', '1').get('p1').exists('p1', 'nope').exec();
      expect(pipeline).toEqual([[null, 'OK'], [null, '1'], [null, 1]]);
      const transaction = await client.multi().set('t1', 'x').get('t1').exec();
      expect(transaction).toEqual([[null, 'OK'], [null, 'x']]);
      await expect(client.call('NOSUCHCOMMAND')).rejects.toThrow(/unknown command/);
      await expect(client.call('EXPIRE', 'p1', 'abc')).rejects.toThrow('ERR value is not an integer or out of range');

      const received = new Promise<[string, string]>((resolve) => subscriber.on('message', (channel: string, message: string) => resolve([channel, message])));
      await subscriber.subscribe('news');
      expect(await client.publish('news', 'hello')).toBe(1);
      expect(await received).toEqual(['news', 'hello']);
    } finally {
      client.disconnect();
      subscriber.disconnect();
    }
  });
});

describe('redis-benchmark', () => {
  it('the whole default suite runs without an error reply', async () => {
    const { stdout, stderr } = await run('redis-benchmark', ['-p', String(ours.port), '-n', '2000', '-c', '20', '-q'], { maxBuffer: 16 * 1024 * 1024 });
    const output = (stdout + stderr).replace(/\r/g, '\n');
    expect(output).not.toMatch(/error|ERR/i);
    for (const test of ['PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'LPUSH', 'RPUSH', 'LPOP', 'RPOP', 'SADD', 'HSET', 'SPOP', 'ZADD', 'ZPOPMIN', 'LRANGE_100', 'LRANGE_600', 'MSET']) {
      expect(output).toMatch(new RegExp(`^${test}[^\\n]*: [\\d.]+ requests per second`, 'm'));
    }
  });
});
