import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { runDifferential, step } from '../support/differential';

let redis: RedisProcess;
let ours: EngineHandle;

beforeAll(async () => {
  [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
});

afterAll(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const script = [
  step('PING'),
  step('PING', 'hello'),
  step('PING', 'a', 'b'),
  step('ECHO', 'x'),
  step('ECHO'),
  step('SELECT', '1'),
  step('SELECT', '16'),
  step('SELECT', '-1'),
  step('SELECT', 'x'),
  step('SELECT', '0'),
  step('NOSUCH', 'a', 'b'),
  step('nosuch'),
  step('SET', 'k', 'v'),
  step('GET', 'k'),
  step('GET', 'missing'),
  step('GET'),
  step('AUTH', 'x'),
  step('AUTH', 'a', 'b', 'c'),
  step('HELLO', '4'),
  step('HELLO', 'x'),
];

describe('connection commands match redis-server', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    const mismatches = await runDifferential(redis, ours, script, protocol);
    expect(mismatches).toEqual([]);
  });
});
