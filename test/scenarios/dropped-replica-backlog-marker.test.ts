/**
 * A replica stopped (SIGSTOP) and then dropped by its master keeps its
 * place in the master's backlog markers (the Backlog tab's rows): marked
 * dropped, at the last ACK offset its master listed, with the master's
 * offset when it dropped it as the most it can have. Found walking the
 * console against redis-server 7.0: once the master no longer listed the
 * replica ("Disconnecting timedout replica"), the replica had no row, so
 * nothing showed where it was against the window moving on.
 *
 * Held against the master's INFO (the slaveN offset= it listed while the
 * replica was stopped: a stopped replica ACKs nothing more, so that figure
 * stands still until the drop) and, once it wakes, the master's log: its
 * PSYNC asks for a byte inside those bounds ("Sending N bytes of backlog
 * starting from offset X": X - 1 from the last ACK up to the most).
 */
import { expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a stopped replica its master drops after repl-timeout: its backlog marker stays, dropped, at the last ACK its master listed', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-timeout', '3'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const load = WriteLoad.start(master, { opsPerSec: 300 });
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

    await sleep(2_000); // ACKs (once a second) from the replica streaming the load
    const mark = master.mark();
    replica.signal('SIGSTOP');
    let lastListedAck = -1;
    let most = -1;
    try {
      // The master's word while it still lists the stopped replica: its ACK offset, which no longer moves.
      await sleep(1_500);
      const listed = (await replicationTruth(master)).replicas.find((entry) => entry.id === replica.id);
      expect(listed, `${master.id} still lists ${replica.id}`).toBeDefined();
      lastListedAck = listed!.ackOffset;
      expect(lastListedAck).toBeGreaterThan(0);
      await waitForLog(master, /Disconnecting timedout replica/, mark, 15_000);
      await waitFor(async () => !(await replicationTruth(master)).replicas.some((entry) => entry.id === replica.id), { timeoutMs: 5_000, what: `${master.id} to stop listing ${replica.id}` });
      await sleep(1_000); // a few polls with the master's INFO lacking the replica

      const snapshot = replscope.snapshot();
      expect(snapshot.links.find((link) => link.replicaId === replica.id)?.state).toBe('down');
      const marker = snapshot.nodes.find((node) => node.id === master.id)?.backlog?.replicas.find((entry) => entry.replicaId === replica.id);
      expect(marker, `a backlog marker for the dropped ${replica.id}`).toBeDefined();
      expect(marker!.offsetSource).toBe('ack');
      expect(marker!.offset).toBe(lastListedAck);
      expect(marker!.dropped).toBeDefined();
      // The most it can have: the master's offset at the first poll that no longer listed it (checked against its PSYNC below).
      expect(marker!.dropped!.mostOffset).toBeGreaterThanOrEqual(lastListedAck);
      most = marker!.dropped!.mostOffset;
    } finally {
      replica.signal('SIGCONT');
    }

    // Woken, its PSYNC asks for a byte inside the bounds the marker gave.
    await waitForLog(master, LOG.partialAccepted, mark);
    const from = Number(/starting from offset (\d+)/.exec(master.logSince(mark))?.[1] ?? NaN);
    expect(from - 1).toBeGreaterThanOrEqual(lastListedAck);
    expect(from - 1).toBeLessThanOrEqual(most);
    await load.stop();
    // Back, it is marked by its own offset again, not as dropped.
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.find((node) => node.id === master.id)?.backlog?.replicas.some((entry) => entry.replicaId === replica.id && entry.offsetSource === 'replica' && entry.dropped === undefined) === true, 'the replica marked at its own offset again');
  }, 60_000);
});
