/**
 * What Sentinels find on their own reaches the timeline, once per kind and
 * group: a replica added to the master (+slave from every Sentinel), a
 * Sentinel joining (+sentinel on the others, and the newcomer's own about
 * them) and a Sentinel restarted on its address without its myid
 * (+sentinel-invalid-addr for the old run id, +sentinel for the new one;
 * 7.0.15 no longer publishes the -dup-sentinel of Sentinels before 3.0).
 * Before, the timeline dropped all of them.
 *
 * Held against each Sentinel's own log lines and the run ids the Sentinels
 * give for themselves (SENTINEL MYID).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { startRedisServer, type RedisProcess } from '../support/redis-server';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

const id = (node: { port: number }): string => `127.0.0.1:${node.port}`;

/** The id a Sentinel announces in its hellos (its myid; not INFO's run_id of the process). */
async function runId(sentinel: RedisProcess): Promise<string> {
  return String(await sentinel.call('SENTINEL', 'MYID'));
}

function discovery(channel: string, instance: string) {
  return (event: ReplicationEvent): boolean => event.kind === 'sentinel' && event.numbers.channel === channel && String(event.numbers.instances ?? '').split(' ').includes(instance);
}

it('a replica added, a Sentinel joining and a Sentinel restarted without its myid are each one line naming what the Sentinels found', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 1 });
  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)), 'three Sentinels listened to');
  const sentinels = [...group.sentinels];
  const marks = sentinels.map((sentinel) => sentinel.log().length);
  const logged = (index: number, pattern: RegExp): boolean => pattern.test(sentinels[index]!.log().slice(marks[index]));

  // 1. REPLICAOF on a new redis-server: each Sentinel logs +slave for it.
  const added = await startRedisServer();
  expect(await added.call('REPLICAOF', '127.0.0.1', String(group.master.port))).toBe('OK');
  const slaveLine = new RegExp(`\\+slave slave ${id(added)} 127\\.0\\.0\\.1 ${added.port} @ ${group.name} `);
  await waitFor(() => sentinels.every((_, index) => logged(index, slaveLine)), { timeoutMs: 15_000, what: 'every Sentinel to log +slave for the new replica' });
  const slave = await replscope.waitForEvent(discovery('+slave', id(added)), '+slave of the new replica', 20_000);
  expect(slave.nodeId).toBe(id(added));
  expect(slave.message).toMatch(new RegExp(`^Sentinels: \\+slave — ${group.name}: replica found in the master's INFO: ${id(added)} by Sentinels `));
  expect(slave.message).toMatch(/Sentinel now counts it as a failover candidate \(unless replica-priority is 0\).*stays listed as down until SENTINEL RESET/);
  expect(String(slave.numbers.sentinels).split(' ').sort()).toEqual(sentinels.map(id).sort());

  // 2. A fourth Sentinel monitoring the same master: the others log +sentinel with its run id.
  const config = `sentinel monitor ${group.name} 127.0.0.1 ${group.master.port} 2\nsentinel down-after-milliseconds ${group.name} 3000\n`;
  const fourth = await startRedisServer({ binary: 'redis-sentinel', configText: config });
  const fourthRunId = await runId(fourth);
  const sentinelLine = new RegExp(`\\+sentinel sentinel ${fourthRunId} 127\\.0\\.0\\.1 ${fourth.port} @ ${group.name} `);
  await waitFor(() => sentinels.every((_, index) => logged(index, sentinelLine)), { timeoutMs: 15_000, what: 'every Sentinel to log +sentinel for the fourth' });
  const joined = await replscope.waitForEvent(discovery('+sentinel', id(fourth)), '+sentinel of the fourth Sentinel', 20_000);
  expect(joined.message).toContain(`${id(fourth)} (run id ${fourthRunId.slice(0, 8)}) by Sentinels `);
  expect(joined.message).toMatch(/a failover needs the votes of a majority of every Sentinel known/);

  // 3. The third Sentinel restarted on its port with its config less its myid: a new run id at a known address.
  const third = sentinels[2]!;
  const oldRunId = await runId(third);
  const configFile = path.join(third.dir, `config-${third.port}.conf`);
  await third.stop({ keepDir: true });
  const withoutMyid = readFileSync(configFile, 'utf8').split('\n').filter((line) => !line.startsWith('sentinel myid ')).join('\n');
  const restarted = await startRedisServer({ binary: 'redis-sentinel', configText: withoutMyid, port: third.port });
  const newRunId = await runId(restarted);
  expect(newRunId).not.toBe(oldRunId);
  const invalidLine = new RegExp(`\\+sentinel-invalid-addr sentinel ${oldRunId} 127\\.0\\.0\\.1 ${third.port} @ `);
  await waitFor(() => logged(0, invalidLine) && logged(1, invalidLine), { timeoutMs: 15_000, what: 'the other Sentinels to log +sentinel-invalid-addr for the old run id' });
  const invalid = await replscope.waitForEvent(discovery('+sentinel-invalid-addr', id(third)), '+sentinel-invalid-addr of the restarted Sentinel', 20_000);
  expect(invalid.message).toContain(`${id(third)} (run id ${oldRunId.slice(0, 8)}) by Sentinels `);
  expect(invalid.message).toMatch(/now answers with another run id \(it restarted without its myid/);
  const rejoined = await replscope.waitForEvent((event) => discovery('+sentinel', id(third))(event) && event.message.includes(`(run id ${newRunId.slice(0, 8)})`), '+sentinel of the new run id', 20_000);
  expect(rejoined.time).toBeGreaterThanOrEqual(joined.time);

  // Not spam: one line per kind for each thing found, though every Sentinel published it.
  expect(replscope.eventsWhere(discovery('+slave', id(added)))).toHaveLength(1);
  expect(replscope.eventsWhere(discovery('+sentinel', id(fourth)))).toHaveLength(1);
  expect(replscope.eventsWhere(discovery('+sentinel-invalid-addr', id(third)))).toHaveLength(1);
  expect(replscope.eventsWhere((event) => discovery('+sentinel', id(third))(event) && event.message.includes(newRunId.slice(0, 8)))).toHaveLength(1);
}, 120_000);
