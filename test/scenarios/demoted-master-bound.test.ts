/**
 * A demoted master's full resync, when the console did not see its last
 * offset. Sentinel demotes an old master with MULTI, SLAVEOF, CONFIG
 * REWRITE, CLIENT KILL TYPE normal, EXEC: the console's connection is
 * killed with every client's, and a small full sync is over before it
 * reconnects, so the last offset it polled while the node was master is
 * only a lower bound of where that node's history ended. Found in a
 * new-user trial: the full-resync event said "its PSYNC asked for offset
 * 203950189" and "it took 5222583 bytes" while the new master's log said
 * "Requested offset for second ID was 204329424".
 *
 * Held against the new master's log line ("Requested offset for second ID
 * was X, but I can reply up to Y"): an offset or byte count the console
 * states as exact must be X or X - Y; one it states as a bound must not
 * exceed them.
 */
import { expect, it } from 'vitest';
import { RespConnection } from '../support/resp-connection';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('Sentinel-style demotion that kills the console\'s connection: the resync cause gives the lost bytes as a bound, never a wrong exact figure', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const oldMaster = group.master;
    const promoted = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const load = WriteLoad.start(oldMaster, { opsPerSec: 2000 });
    await sleep(500);
    const mark = promoted.mark();
    expect(await promoted.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === promoted.id, 'the promotion');
    await sleep(700); // the old master keeps taking writes, as under Sentinel until it converts it

    // As Sentinel converts it: every normal client (the console's poller among them) is killed with the SLAVEOF.
    const admin = new RespConnection('127.0.0.1', oldMaster.port);
    try {
      await admin.connect();
      expect(await admin.call('MULTI')).toBe('OK');
      await admin.call('REPLICAOF', '127.0.0.1', String(promoted.port));
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
      await admin.call('EXEC');
    } finally {
      admin.close();
    }
    const line = await waitForLog(promoted, LOG.secondIdOffsetTooHigh, mark);
    const [, requestedText, upToText] = LOG.secondIdOffsetTooHigh.exec(line)!;
    const requested = Number(requestedText);
    const lostBytes = requested - Number(upToText);
    expect(lostBytes).toBeGreaterThan(0);
    await load.stop();

    const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === oldMaster.id, `the full resync of ${oldMaster.id}`, 30_000);
    expect(resync.cause).toBe('demoted-master');
    const lost = await replscope.waitForEvent((event) => event.kind === 'writes-lost', 'the writes-lost event', 30_000);
    // Whichever way the console saw it, each figure is either the node's own or marked as a bound of it.
    for (const message of [resync.message, lost.message]) {
      for (const [, bound, bytes] of message.matchAll(/(at least )?(\d+) bytes of (?:writes|replication stream)/g)) {
        if (bound) expect(Number(bytes), message).toBeLessThanOrEqual(lostBytes);
        else expect(Number(bytes), message).toBe(lostBytes);
      }
      for (const [, past, offset] of message.matchAll(/PSYNC (?:asked for|for) (an offset past |offset )(\d+)/g)) {
        if (past === 'an offset past ') expect(Number(offset), message).toBeLessThan(requested);
        else expect(Number(offset), message).toBe(requested);
      }
    }
    expect(resync.message).toMatch(/(at least )?\d+ bytes of replication stream past the point where/);
    if (lost.numbers.bound === 'exact') expect(lost.numbers.bytes).toBe(lostBytes);
    else expect(Number(lost.numbers.bytes)).toBeLessThanOrEqual(lostBytes);
    // A count of dataset changes read at a bound of the end stops there, and says so.
    if (lost.numbers.bound !== 'exact' && lost.numbers.datasetChanges !== null) {
      expect(lost.message).toContain(`to its dataset up to offset ${lost.numbers.toOffset}, the last polled,`);
    }
  }, 60_000);
});
