/**
 * What a replica logs while the demo's chaos cuts its link (the chaos proxy
 * closes the connection and then accepts and closes every new one until the
 * cut ends), on redis-server and on our engine alike. Found in a new user's
 * walk of the demo: the console's log view showed the engine's replica
 * trying again every second with "Non blocking connect for SYNC fired the
 * event." and "MASTER <-> REPLICA sync started" (in that order) and never
 * saying why an attempt failed; it logged "Connection with master lost." as
 * a notice and "* * Caching the disconnected master state.". redis-server
 * 7.0 says, per attempt, "Connecting to MASTER", "MASTER <-> REPLICA sync
 * started", "Non blocking connect for SYNC fired the event.", then "Master
 * did not respond to command during SYNC handshake" (a warning, #).
 */
import { afterEach, expect, it } from 'vitest';
import { ChaosProxy } from '../../main/console/demo/chaos-proxy';
import { waitFor } from '../support/wait';
import { NODE_KINDS, startNode, useScenarioCleanup } from './harness';

useScenarioCleanup();

let proxy: ChaosProxy | null = null;
afterEach(async () => {
  await proxy?.close();
  proxy = null;
});

/** The message of a log line, with its level character: "# Connection with master lost." */
const messages = (log: string): string[] => log.split('\n').map((line) => /^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ ([*#.-] .*)$/.exec(line)?.[1] ?? '').filter((line) => line !== '');

it.each(NODE_KINDS)('%s: a cut link is logged as redis-server logs it, each failed attempt with its reason', async (kind) => {
  const master = await startNode(kind, { name: 'master' });
  proxy = new ChaosProxy('127.0.0.1', master.port);
  const proxyPort = await proxy.listen();
  const replica = await startNode(kind, { name: 'replica', args: ['--replicaof', '127.0.0.1', String(proxyPort)] });
  await waitFor(async () => (await replica.info('replication')).get('master_link_status') === 'up', { timeoutMs: 15_000, what: 'the replica linked through the proxy' });
  const partialBefore = Number((await master.info('stats')).get('sync_partial_ok'));

  const mark = replica.mark();
  proxy.cut(2.5);
  await waitFor(async () => Number((await master.info('stats')).get('sync_partial_ok')) === partialBefore + 1, { timeoutMs: 15_000, what: 'the partial resync after the cut' });
  const lines = messages(replica.logSince(mark));
  const text = lines.join('\n');

  expect(lines[0], text).toBe('# Connection with master lost.');
  expect(lines[1], text).toBe('* Caching the disconnected master state.');
  const failed = lines.filter((line) => line === '# Master did not respond to command during SYNC handshake');
  expect(failed.length, text).toBeGreaterThanOrEqual(1);
  // Every attempt: it dials (and says where), starts, then the connect fires.
  const attempts = lines.filter((line) => /^\* (Re)?[Cc]onnecting to MASTER 127\.0\.0\.1:\d+$/.test(line));
  expect(attempts.length, text).toBeGreaterThanOrEqual(failed.length + 1);
  for (const [index, line] of lines.entries()) {
    if (line !== '* Non blocking connect for SYNC fired the event.') continue;
    expect(lines[index - 1], text).toBe('* MASTER <-> REPLICA sync started');
  }
  expect(text).toContain('* Successful partial resynchronization with master.');
}, 60_000);
