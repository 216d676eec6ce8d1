/**
 * always-show-logo yes: redis-server logs its banner (redisAsciiArt) with
 * "Port: N" and "PID: N" once it listens, even when its stdout is not a
 * terminal. Redis's own Tcl harness (tests/support/server.tcl,
 * wait_server_started) waits for " PID: <pid>" in the log of each server it
 * starts (its default.conf sets always-show-logo yes), so without the banner
 * it never talks to the engine. Held against a real redis-server's log.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngineProcess, type EngineProcess } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { waitFor } from '../support/wait';

const engines: EngineProcess[] = [];
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.stop()));
  await stopAllRedisServers();
});

describe('always-show-logo', () => {
  it.each(['yes', 'no'])('%s: the log names the port and pid in the banner, before "Ready to accept connections", only when set', async (setting) => {
    const redis = await startRedisServer({ args: ['--always-show-logo', setting] });
    const engine = await startEngineProcess(['--always-show-logo', setting], { bundled: true });
    engines.push(engine);
    const logs = [
      { log: () => redis.log(), pid: redis.process.pid!, port: redis.port },
      { log: () => engine.output(), pid: engine.process.pid!, port: engine.port },
    ];
    for (const { log, pid, port } of logs) {
      await waitFor(() => log().includes('Ready to accept connections'), { timeoutMs: 20_000, what: 'the server to be ready' });
      const text = log();
      const banner = [new RegExp(` PID: ${pid}\\b`), new RegExp(` Port: ${port}\\b`)].map((pattern) => pattern.test(text));
      expect(banner).toEqual(setting === 'yes' ? [true, true] : [false, false]);
      if (setting === 'yes') expect(text.indexOf(` PID: ${pid}`)).toBeLessThan(text.indexOf('Ready to accept connections'));
    }
  }, 60_000);
});
