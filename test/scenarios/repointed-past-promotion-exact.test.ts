/**
 * A replica re-pointed to a newly promoted master after it had received
 * writes the old master took past the promotion point, polled by the
 * console once it already followed the new master (its PSYNC held up: the
 * new master was asleep), still on the old history. It had left the old
 * master, so nothing more reached it: the offset polled then is the one its
 * PSYNC asks to continue from, and the bytes past the promotion point are
 * known exactly. The console said "at least N bytes" where the new master's
 * log ("Requested offset for second ID was X, but I can reply up to Y")
 * gave exactly N = X - Y.
 *
 * Held against the new master's log line and its INFO sync_partial_err.
 */
import { expect, it } from 'vitest';
import { RespConnection } from '../support/resp-connection';
import { ConsoleUnderTest, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

it('a re-pointed replica polled while its PSYNC waits: the bytes it had past the promotion point are given exactly, as the new master\'s log gives them', async () => {
  const group = await startGroup('redis', { shape: 'two-replicas' });
  const oldMaster = group.master;
  const promoted = group.node('replica-1');
  const repointed = group.node('replica-2');
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  const mark = promoted.mark();

  const connections = [promoted, oldMaster, repointed].map((node) => new RespConnection('127.0.0.1', node.port));
  const [toPromoted, toOldMaster, toRepointed] = connections as [RespConnection, RespConnection, RespConnection];
  try {
    await Promise.all(connections.map((connection) => connection.connect()));
    expect(await toPromoted.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === promoted.id, 'the promotion');
    for (let index = 0; index < 20; index++) await toOldMaster.call('SET', `after-promotion-${index}`, 'x'.repeat(100));
    // The repointed replica has those writes (it acknowledged them) before it is re-pointed.
    expect(await toOldMaster.call('WAIT', '1', '2000')).toBe(1);
    // The new master sleeps: the re-pointed replica's handshake waits, its offset on the old history as it left it.
    const asleep = toPromoted.call('DEBUG', 'SLEEP', '2');
    expect(await toRepointed.call('REPLICAOF', '127.0.0.1', String(promoted.port))).toBe('OK');
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === repointed.id && node.health === 'up' && !node.stale && node.masterPort === promoted.port && node.masterLinkStatus === 'down'), `${repointed.id} polled following ${promoted.id} before its PSYNC`);
    expect(await asleep).toBe('OK');
  } finally {
    for (const connection of connections) connection.close();
  }

  // The promoted node's truth: the PSYNC on the old history was refused for its offset, and it counted it.
  const line = await waitForLog(promoted, LOG.secondIdOffsetTooHigh, mark);
  const [, requested, upTo] = LOG.secondIdOffsetTooHigh.exec(line)!;
  const past = Number(requested) - Number(upTo);
  expect(past).toBeGreaterThan(0);
  expect(await replicationTruth(promoted)).toMatchObject({ syncFull: 1, syncPartialErr: 1 });

  const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === repointed.id, `the full resync of ${repointed.id}`, 20_000);
  expect(resync.cause, resync.message).toBe('offset-past-promotion');
  expect(resync.message).not.toMatch(/at least/);
  expect(resync.message).toContain(`${repointed.id} had received ${past} bytes of the old master's history past the point where ${promoted.id} was promoted (offset ${upTo})`);
  expect(resync.message).toContain(`its PSYNC asked for offset ${requested}`);
}, 60_000);
