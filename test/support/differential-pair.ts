/**
 * A real redis-server and our engine side by side for one test file, the
 * set-up every differential test shares: both started (with the same
 * config) before the file's first test, the same command script sent to
 * both and compared reply by reply (see differential.ts for how), and every
 * redis-server and engine the file started stopped after its last test.
 *
 * The fields are set once the servers are up: read them inside tests and
 * hooks, not at import time.
 */
import { afterAll, beforeAll } from 'vitest';
import { runDifferential, type Mismatch, type Step } from './differential';
import { startEngine, stopAllEngines, type EngineHandle } from './engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from './redis-server';

export interface DifferentialPair {
  readonly redis: RedisProcess;
  readonly ours: EngineHandle;
  /**
   * Runs the script on both (fresh connections, HELLO 3 first when protocol
   * is 3) and returns every step whose replies differ; [] when all match.
   */
  compare(steps: ReadonlyArray<Step>, protocol?: 2 | 3): Promise<Mismatch[]>;
}

/**
 * Registers the pair's hooks in the calling scope. `config` is given to both
 * peers: as `--name value...` arguments to redis-server and as config pairs
 * to the engine (a value with spaces is several arguments, as in redis.conf).
 */
export function differentialPair(config: ReadonlyArray<readonly [string, string]> = []): DifferentialPair {
  let redis: RedisProcess | undefined;
  let ours: EngineHandle | undefined;
  const started = <T>(peer: T | undefined): T => {
    if (peer === undefined) throw new Error('differentialPair: the servers start in beforeAll; read them inside a test');
    return peer;
  };
  beforeAll(async () => {
    const args = config.flatMap(([name, value]) => [`--${name}`, ...value.split(' ')]);
    [redis, ours] = await Promise.all([startRedisServer({ args }), startEngine(config)]);
  });
  afterAll(async () => {
    await stopAllRedisServers();
    await stopAllEngines();
  });
  return {
    get redis() { return started(redis); },
    get ours() { return started(ours); },
    compare: (steps, protocol = 2) => runDifferential(started(redis), started(ours), steps, protocol),
  };
}
