/**
 * The demo's load generator after a promotion. Found in a new user's trial
 * of the demo: after FAILOVER TO the generator kept writing to the plan's
 * master, by then a replica, and every write got "READONLY You can't write
 * against a read only replica." A developer expects the load to carry on
 * against the new master, as a Sentinel-aware client would.
 *
 *  - after FAILOVER TO, the status names the promoted node as the load's
 *    target, the promoted node's master_repl_offset and keyspace grow from
 *    the generator's writes, and the old master's errorstat_READONLY stops
 *    rising;
 *  - while two nodes answer ROLE as master the load holds its writes and
 *    says why (neither node's keyspace grows, no write is refused), and it
 *    writes again once one node is the master.
 */
import { expect, it } from 'vitest';
import type { DemoStatus } from '../../shared/contract/demo';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

const offset = async (port: number): Promise<number> => Number((await info({ port }, 'replication')).get('master_repl_offset'));
const keys = async (port: number): Promise<number> => Number(await command({ port }, 'DBSIZE'));
const readonlyRefusals = async (port: number): Promise<number> => Number(/count=(\d+)/.exec((await info({ port }, 'errorstats')).get('errorstat_READONLY') ?? '')?.[1] ?? 0);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** 300 writes/s of 100-byte strings over a million keys, so every second adds keys and about 40 KB of stream. */
const LOAD = { running: true, opsPerSec: 300, valueBytes: 100, keySpace: 1_000_000, mix: { string: 100, list: 0, hash: 0, set: 0, zset: 0, script: 0, stream: 0 } };

it('after FAILOVER TO the load writes to the promoted node; with two masters it holds its writes and says why', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const started = await replscope.startDemo({ topology: 'pair' });
  const planMaster = started.nodes.find((node) => node.role === 'master')!;
  const planReplica = started.nodes.find((node) => node.role === 'replica')!;
  await replscope.call('demo.load', LOAD);
  await replscope.waitForSteadyGroup(started.nodes.map((node) => node.id));
  const status = (): Promise<DemoStatus> => replscope.call('demo.status', {});
  expect((await status()).loadTargetId).toBe(planMaster.id);

  expect(await command({ port: planMaster.port }, 'FAILOVER', 'TO', '127.0.0.1', planReplica.port, 'TIMEOUT', 10_000)).toBe('OK');
  await waitFor(async () => (await info({ port: planMaster.port }, 'replication')).get('role') === 'slave', { timeoutMs: 20_000, what: `${planMaster.id} to turn replica` });
  await waitFor(async () => (await status()).loadTargetId === planReplica.id, { timeoutMs: 5_000, what: `the load to target ${planReplica.id}` });

  // The promoted node takes the writes: its own offset and keyspace grow; the old master refuses no more.
  const before = { offset: await offset(planReplica.port), keys: await keys(planReplica.port), refused: await readonlyRefusals(planMaster.port) };
  await sleep(2000);
  const after = { offset: await offset(planReplica.port), keys: await keys(planReplica.port), refused: await readonlyRefusals(planMaster.port) };
  // 2 s of 300 writes/s of 100-byte values: well over 20 KB of stream (a replica PING is 14 bytes).
  expect(after.offset - before.offset).toBeGreaterThan(20_000);
  expect(after.keys - before.keys).toBeGreaterThan(300);
  expect(after.refused).toBe(before.refused);
  const writing = await status();
  expect(writing.loadOpsPerSec).toBeGreaterThan(0);
  expect(writing.loadRefusedPerSec).toBe(0);
  expect(writing.loadPausedReason).toBeNull();

  // Two masters (the demoted node cut loose by hand): the load holds its writes and says why.
  expect(await command({ port: planMaster.port }, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
  await waitFor(async () => (await status()).loadPausedReason !== null, { timeoutMs: 5_000, what: 'the load to hold its writes' });
  const held = await status();
  expect(held.loadTargetId).toBeNull();
  expect(held.loadPausedReason).toContain(`${planMaster.id} and ${planReplica.id} all answer ROLE as master`);
  await sleep(1000); // writes already in flight when it paused have landed
  const pausedKeys = { master: await keys(planMaster.port), replica: await keys(planReplica.port) };
  const pausedErrors = (await status()).loadErrors;
  await sleep(2000);
  expect(await keys(planMaster.port)).toBe(pausedKeys.master);
  expect(await keys(planReplica.port)).toBe(pausedKeys.replica);
  expect((await status()).loadErrors).toBe(pausedErrors);

  // One master again: the load writes to it.
  expect(await command({ port: planMaster.port }, 'REPLICAOF', '127.0.0.1', planReplica.port)).toBe('OK');
  await waitFor(async () => (await status()).loadTargetId === planReplica.id, { timeoutMs: 5_000, what: `the load to target ${planReplica.id} again` });
  const resumed = await keys(planReplica.port);
  await waitFor(async () => (await keys(planReplica.port)) > resumed + 300, { timeoutMs: 5_000, what: `${planReplica.id}'s keyspace to grow again` });
}, 90_000);
