/**
 * Multi-argument parameters given one argument at startup, against
 * redis-server 7.0.15: config.c splits a lone non-empty argument of save,
 * client-output-buffer-limit, oom-score-adj-values, ... again with
 * sdssplitargs, so `--save "900  1"` (or a config file's `save "900  1"`)
 * is "900 1" there, where CONFIG SET's single-space split would see an
 * empty argument. Each case starts both servers and compares CONFIG GET.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../main/engine/config/startup-args';
import { startEngine, startEngineProcess, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';

const CASES: ReadonlyArray<readonly [string, string]> = [
  ['save', '900  1'], ['save', ' 900 1  300 10 '], ['save', '  '],
  ['client-output-buffer-limit', 'normal  0 0 0'], ['client-output-buffer-limit', 'normal 1  2 3 pubsub\t0 0 0'],
  ['oom-score-adj-values', '0  200 800'], ['latency-tracking-info-percentiles', '50  99'], ['shutdown-on-sigint', 'nosave  now'],
];

// No save line: the test servers' own `--save ""` comes after the file and would clear it.
const FILE_TEXT = 'client-output-buffer-limit "pubsub  1 2  3"\noom-score-adj-values 0 "200" 800\nlatency-tracking-info-percentiles " 50  99 "\n';
const FILE_PARAMS = ['client-output-buffer-limit', 'oom-score-adj-values', 'latency-tracking-info-percentiles'];

afterAll(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

async function configGets(call: (...args: string[]) => Promise<unknown>, names: ReadonlyArray<string>): Promise<unknown[]> {
  return Promise.all(names.map((name) => call('CONFIG', 'GET', name)));
}

describe('multi-argument parameters at startup match redis-server', () => {
  it('a lone command-line argument is split on whitespace runs', async () => {
    for (const [name, value] of CASES) {
      const args = [`--${name}`, value];
      const [redis, ours] = await Promise.all([startRedisServer({ args }), startEngineProcess(args, { bundled: true })]);
      expect(await configGets((...a) => ours.call(...a), [name]), `--${name} ${JSON.stringify(value)}`).toEqual(await configGets((...a) => redis.call(...a), [name]));
      await Promise.all([redis.stop(), ours.stop()]);
    }
  }, 120_000);

  it('a config file line\'s lone quoted word is split likewise', async () => {
    const [redis, ours] = await Promise.all([startRedisServer({ configText: FILE_TEXT }), startEngine(parseConfigText(FILE_TEXT))]);
    expect(await configGets((...a) => ours.call(...a), FILE_PARAMS)).toEqual(await configGets((...a) => redis.call(...a), FILE_PARAMS));
    await Promise.all([redis.stop(), ours.stop()]);
  }, 60_000);
});
