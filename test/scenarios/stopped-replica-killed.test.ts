/**
 * A link cut by someone's CLIENT KILL is put down to it when its replica
 * cannot reconnect. Found in a new-user walk: a replica stopped (SIGSTOP)
 * and its connection killed on the master (CLIENT KILL TYPE replica). The
 * master's log: "Connection with replica <id> lost."; its INFO commandstats
 * count the CLIENT KILL; it no longer lists the replica. The timeline filed
 * the link-down with "cause unknown": CLIENT KILL was looked for only behind
 * a link that came back by a partial resync, and a stopped replica does not
 * come back. The link-down the polls see is now checked the same way, on
 * the ends that answer (not the stopped replica: asking it would hold up
 * every poll).
 */
import { expect, it } from 'vitest';
import { parseInfo } from '../../main/console/monitor/info-fields';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('CLIENT KILL TYPE replica on the master of a stopped replica: the link-down is put down to the CLIENT KILL counted on the master', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const load = WriteLoad.start(master, { opsPerSec: 500 });
    try {
      await sleep(1_500); // past a commandstats baseline of the master taken with the group steady
      const mark = master.mark();
      const killsBefore = Number(/calls=(\d+)/.exec(parseInfo(String(await master.call('INFO', 'commandstats'))).get('cmdstat_client|kill') ?? '')?.[1] ?? 0);
      replica.signal('SIGSTOP');
      try {
        await sleep(1_000);
        expect(await master.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
        // The master's truth: the connection is gone, the kill counted, the replica no longer listed.
        await waitForLog(master, /Connection with replica .* lost/, mark);
        const killsAfter = Number(/calls=(\d+)/.exec(parseInfo(String(await master.call('INFO', 'commandstats'))).get('cmdstat_client|kill') ?? '')?.[1] ?? 0);
        expect(killsAfter - killsBefore).toBe(1);
        expect((await replicationTruth(master)).replicas.map((line) => line.id)).not.toContain(replica.id);
        // The console, while the replica is still stopped (it cannot reconnect): the link-down, put down to the kill.
        const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.peerId === master.id, `the link-down of ${replica.id}`, 10_000);
        expect(down.cause, down.message).toBe('client-kill');
        expect(down.message).toContain(`CLIENT KILL on ${master.id} (not by this console)`);
        expect(down.numbers).toMatchObject({ attribution: 'operator' });
      } finally {
        replica.signal('SIGCONT');
      }
    } finally {
      await load.stop();
    }
  }, 60_000);
});
