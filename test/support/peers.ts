/**
 * A real redis-server and our engine side by side for one test file:
 * started before its first test, stopped after its last. The fields are
 * set once the servers are up (read them inside tests, not at import).
 */
import { afterAll, beforeAll } from 'vitest';
import { startEngine, stopAllEngines, type EngineHandle } from './engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from './redis-server';

export interface Peers {
  redis: RedisProcess;
  ours: EngineHandle;
}

export function redisAndOurs(): Peers {
  const peers = {} as Peers;
  beforeAll(async () => {
    [peers.redis, peers.ours] = await Promise.all([startRedisServer(), startEngine()]);
  });
  afterAll(async () => {
    await stopAllRedisServers();
    await stopAllEngines();
  });
  return peers;
}
