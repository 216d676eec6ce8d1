/**
 * A replica whose CONFIG is renamed away (rename-command CONFIG ""), made a
 * master by hand. Sentinel converts it back with one transaction, MULTI /
 * SLAVEOF / CONFIG REWRITE / CLIENT KILL / EXEC (sentinel.c
 * sentinelSendSlaveOf): CONFIG REWRITE is an unknown command there, so EXEC
 * fails, SLAVEOF never runs, the node stays a master, and Sentinel sends it
 * again at its next INFO, publishing +convert-to-slave each time, forever.
 * The timeline showed a line per notice (17 in 20 s at info-period 1000);
 * it shows one, with how many times Sentinel sent it and the node's failed
 * EXECs: that Sentinel's SLAVEOF is not taking effect.
 *
 * Held against the Sentinel's log ("+convert-to-slave slave <node>" lines)
 * and the node's INFO: role master, cmdstat_exec failed_calls, cmdstat_slaveof.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { escapeRegExp, replicationTruth, startSentinelSlaveofStuck, useScenarioCleanup, type ScenarioNode } from './harness';

useScenarioCleanup();

async function commandstat(node: ScenarioNode, command: string, field: 'calls' | 'failed_calls'): Promise<number> {
  return Number(new RegExp(`(?:^|,)${field}=(\\d+)`).exec((await node.info('commandstats')).get(`cmdstat_${command}`) ?? '')?.[1] ?? 0);
}

it('a Sentinel SLAVEOF whose EXEC fails on the node, re-sent every INFO period: one line with its count, not a line each', async () => {
  const { stuck, sentinel, replscope } = await startSentinelSlaveofStuck();

  const since = Date.now();
  const mark = sentinel.log().length;
  const failedBefore = await commandstat(stuck, 'exec', 'failed_calls');
  const slaveofBefore = await commandstat(stuck, 'slaveof', 'calls');
  expect(await stuck.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');

  const converted = new RegExp(`\\+convert-to-slave slave ${escapeRegExp(stuck.id)} `, 'g');
  const logged = (): number => sentinel.log().slice(mark).match(converted)?.length ?? 0;
  await waitFor(() => logged() >= 5, { timeoutMs: 30_000, what: 'five +convert-to-slave lines in the Sentinel\'s log' });
  // Sentinel stops sending once it no longer monitors the group; what it sent so far is what is compared.
  expect(await sentinel.call('SENTINEL', 'REMOVE', 'mymaster')).toBe('OK');
  const sent = logged();

  // The node's truth: every one of those transactions failed at EXEC, SLAVEOF never ran, the node is still a master.
  await waitFor(async () => await commandstat(stuck, 'exec', 'failed_calls') - failedBefore >= sent, { timeoutMs: 5_000, what: `${sent} failed EXECs on ${stuck.id}` });
  expect(await commandstat(stuck, 'exec', 'failed_calls') - failedBefore).toBe(sent);
  expect(await commandstat(stuck, 'slaveof', 'calls')).toBe(slaveofBefore);
  expect((await replicationTruth(stuck)).role).toBe('master');

  const lines = (): ReplicationEvent[] => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+convert-to-slave' && event.nodeId === stuck.id && event.time >= since);
  await waitFor(() => lines()[0]?.numbers.notices === sent, { timeoutMs: 10_000, what: `the line counting ${sent} notices` }).catch(() => undefined);
  expect(lines(), replscope.describeEvents()).toHaveLength(1);
  const [line] = lines();
  expect(line!.numbers.notices).toBe(sent);
  expect(line!.message).toContain(`Sentinel ${line!.peerId}'s SLAVEOF is not taking effect: sent ${sent} times`);
  expect(line!.message).toContain('failed EXEC');
  // The persisted timeline holds the updated line, once.
  const persisted = (await replscope.listEvents()).filter((event) => event.id === line!.id);
  expect(persisted).toHaveLength(1);
  expect(persisted[0]!.numbers.notices).toBe(sent);
}, 90_000);
