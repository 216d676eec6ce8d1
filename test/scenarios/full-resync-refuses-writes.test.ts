/**
 * Forcing a full resync of a replica the master needs for
 * min-replicas-to-write. Found in a new-user walk: the preflight of "Force
 * full resync" listed REPLICAOF NO ONE, REPLICAOF, +FULLRESYNC, and said
 * nothing else — yet while the replica syncs the master does not count it
 * as good (only `online` replicas count), and with too few good replicas
 * left it answers every write "NOREPLICAS Not enough good replicas to
 * write." until the sync ends.
 *
 * Held against the master's own answers to writes sent while the action
 * runs and its INFO errorstat_NOREPLICAS: with min-replicas-to-write 2 and
 * two replicas, the preflight says writes will be refused, and they are;
 * with min-replicas-to-write 1 the other replica is still good, the
 * preflight says nothing of it, and every write is accepted.
 */
import { expect, it } from 'vitest';
import { NOREPLICAS_ERROR } from '../../shared/contract/min-replicas-text';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, type ScenarioNode } from './harness';

useScenarioCleanup();

async function noreplicasCount(master: ScenarioNode): Promise<number> {
  const line = (await master.info('errorstats')).get('errorstat_NOREPLICAS');
  return line === undefined ? 0 : Number(/count=(\d+)/.exec(line)?.[1] ?? 0);
}

/** Writes SET on the master every 20 ms until stopped; the replies it got. */
function probeWrites(master: ScenarioNode): { stop(): Promise<string[]> } {
  const replies: string[] = [];
  let running = true;
  const loop = (async () => {
    for (let index = 0; running; index++) {
      const reply = await master.call('SET', `probe:${index}`, 'x');
      replies.push(reply instanceof Error ? reply.message : String(reply));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return { stop: async () => { running = false; await loop; return replies; } };
}

forEachNodeKind((kind) => {
  it('the preflight of a full resync says the master will refuse writes when min-replicas-to-write needs that replica, and it does', async () => {
    // A dataset whose snapshot takes about half a second (10,000 keys, rdb-key-save-delay 50 µs each), so
    // writes sent every 20 ms meet the sync: without the delay a quiet machine streamed it between two
    // probe writes in one run of four, and the master's refusals went unseen.
    const group = await startGroup(kind, { shape: 'two-replicas', masterArgs: ['--min-replicas-to-write', '1', '--min-replicas-max-lag', '10', '--rdb-key-save-delay', '50'] });
    const { master } = group;
    const replica = group.node('replica-1');
    for (let batch = 0; batch < 20; batch++) await master.call('MSET', ...Array.from({ length: 500 }, (_, index) => [`key:${batch}:${index}`, 'v'.repeat(100)]).flat());
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.find((node) => node.id === master.id)?.minReplicas?.goodReplicas === 2
      && snapshot.links.length === 2 && snapshot.links.every((link) => link.state === 'online'), 'the master counting both replicas good');

    // One of two good replicas resyncing leaves one: enough for min-replicas-to-write 1.
    const enough = await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id });
    expect(enough.steps.join('\n')).not.toContain('NOREPLICAS');
    let before = await noreplicasCount(master);
    let probe = probeWrites(master);
    expect((await replscope.run(enough)).resync).toBe('full');
    let replies = await probe.stop();
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((reply) => reply === 'OK')).toBe(true);
    expect(await noreplicasCount(master)).toBe(before);

    // With min-replicas-to-write 2 it needs both: the preflight says so, and the master refuses writes while it syncs.
    expect(await master.call('CONFIG', 'SET', 'min-replicas-to-write', '2')).toBe('OK');
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.find((node) => node.id === master.id)?.minReplicas?.required === 2
      && snapshot.links.every((link) => link.state === 'online'), 'the console reading min-replicas-to-write 2');
    const short = await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id });
    expect(short.steps).toContain(`While ${replica.id} resyncs, ${master.id} does not count it as a good replica (only online replicas count): 1 good replica of the 2 min-replicas-to-write needs, so ${master.id} refuses every write ("${NOREPLICAS_ERROR}") until the sync ends and ${replica.id} acknowledges again.`);
    before = await noreplicasCount(master);
    probe = probeWrites(master);
    expect((await replscope.run(short)).resync).toBe('full');
    replies = await probe.stop();
    expect(replies).toContain(NOREPLICAS_ERROR);
    expect(await noreplicasCount(master)).toBeGreaterThan(before);
  }, 60_000);
});
