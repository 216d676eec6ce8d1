/**
 * Issue 15, point 8: the verdict of a promotion, and what its preflight
 * says about everyone else.
 *
 * Promote replica-2 of a master that also has replica-1 (with a sub-replica
 * under it) while clients write to the master. The console picks a
 * coordinated FAILOVER TO and predicts the old master continues with a
 * partial resync. The nodes' truth: the new master's sync_partial_ok moves
 * (its sync_full does not) and the old master logs "Successful partial
 * resynchronization with master". So the verdict must be "the prediction
 * held" — the old dialog compared "partial" with "promoted" and said the
 * outcome differed.
 *
 * The preflight must also say what happens to the others: replica-1 stays
 * with the old master, which becomes a replica, so replica-1 ends two hops
 * from the new master and its sub-replica three; and clients still writing
 * to the old master get READONLY. Both are checked against the nodes'
 * INFO and the write load's replies afterwards.
 */
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, counterDelta, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad, type ScenarioNode } from './harness';

useScenarioCleanup();

/** Hops from `node` up to the master at the top, from the nodes' own INFO. */
async function depthOf(node: ScenarioNode, byId: ReadonlyMap<string, ScenarioNode>): Promise<number> {
  let depth = 0;
  let current = await replicationTruth(node);
  while (current.role === 'slave') {
    depth++;
    const upstream = byId.get(current.masterId!);
    if (!upstream || depth > 10) throw new Error(`${node.name}: no node ${current.masterId} in the group`);
    current = await replicationTruth(upstream);
  }
  return depth;
}

forEachNodeKind((kind) => {
  it('FAILOVER TO: the old master continues partially, the verdict says the prediction held, and the preflight told what happens to the others', async () => {
    const group = await startGroup(kind, { shape: 'full' });
    const { master } = group;
    const target = group.node('replica-2');
    const sibling = group.node('replica-1');
    const sub = group.node('sub-replica');
    const load = WriteLoad.start(master, { opsPerSec: 1000 });
    let stopped = false;
    try {
      const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500 });
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      const preflight = await replscope.preflight({ kind: 'promote', nodeId: target.id, method: 'auto' });
      expect(preflight.allowed).toBe(true);
      expect(preflight.commands).toEqual([`FAILOVER TO 127.0.0.1 ${target.port} TIMEOUT 10000 (on ${master.id})`]);
      expect(preflight.prediction).toBe('partial');
      const steps = preflight.steps.join('\n');
      // The other replicas, with the chain depth they end at.
      expect(steps).toContain(`${sibling.id} stays a replica of ${master.id}`);
      expect(steps).toMatch(new RegExp(`${sibling.id.replace(/\./g, '\\.')}[^\\n]*2 hops from ${target.id.replace(/\./g, '\\.')}`));
      expect(steps).toMatch(new RegExp(`${sub.id.replace(/\./g, '\\.')}[^\\n]*3 hops`));
      // Clients writing to the old master.
      expect(steps).toMatch(/READONLY/);

      const before = await replicationTruth(target);
      const oldMasterMark = master.mark();
      const result = await replscope.run(preflight);
      await waitForLog(master, LOG.replicaPartialOk, oldMasterMark);
      const after = await replicationTruth(target);
      expect(after.role).toBe('master');
      expect(counterDelta(before, after)).toMatchObject({ full: 0 });
      expect(counterDelta(before, after).partialOk).toBeGreaterThanOrEqual(1);

      expect(result.outcome).toBe('promoted');
      expect(result.resync).toBe('partial');
      expect(result.predictionHeld).toBe(true);

      // What the preflight said about the others, against the nodes.
      const byId = new Map(group.nodes.map((node) => [node.id, node]));
      await waitFor(async () => (await replicationTruth(sibling)).masterLinkStatus === 'up' && (await replicationTruth(sub)).masterLinkStatus === 'up', { what: 'the others linked again' });
      expect((await replicationTruth(sibling)).masterId).toBe(master.id);
      expect(await depthOf(sibling, byId)).toBe(2);
      expect(await depthOf(sub, byId)).toBe(3);
      await sleep(300); // writes keep arriving at the old master
      const report = await load.stop();
      stopped = true;
      expect(report.errorKinds.READONLY ?? 0).toBeGreaterThan(0);
    } finally {
      if (!stopped) await load.stop();
    }
  });
});

describe('the embedded demo (its replicas reach the master through the chaos proxy)', () => {
  it('promote picks FAILOVER TO on the real master, and the verdict holds', async () => {
    const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 500 });
    const status = await replscope.startDemo({ topology: 'two-replicas' });
    await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
    const master = status.nodes.find((node) => node.role === 'master')!;
    const target = status.nodes.find((node) => node.name === 'replica-1')!;
    const preflight = await replscope.preflight({ kind: 'promote', nodeId: target.id, method: 'auto' });
    expect(preflight.commands).toEqual([`FAILOVER TO 127.0.0.1 ${target.port} TIMEOUT 10000 (on ${master.id})`]);
    expect(preflight.prediction).toBe('partial');
    const result = await replscope.run(preflight);
    expect(result).toMatchObject({ outcome: 'promoted', resync: 'partial', predictionHeld: true });
    // The timeline puts the old master's demotion and its partial resync with the new one down to
    // this console (found in a new-user trial: "REPLICAOF/FAILOVER was run on the node, not from
    // this console", and "cause unknown", since the replica reports the chaos proxy as its master).
    await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === master.id && event.peerId === target.id, 'the old master\'s partial resync with the new one');
    const oldMaster = replscope.eventsWhere((event) => event.nodeId === master.id && event.time >= result.startedAt && ['demotion', 'partial-resync', 'replid-change'].includes(event.kind));
    expect(oldMaster.filter((event) => event.kind === 'demotion').length, replscope.describeEvents()).toBeGreaterThan(0);
    for (const event of oldMaster) expect([event.kind, event.cause], event.message).not.toEqual([event.kind, expect.stringMatching(/^(operator-command|unknown)$/)]);
    const resync = oldMaster.find((event) => event.kind === 'partial-resync')!;
    expect(resync.message).toContain(`this console's Promote to master of ${target.id}`);
  });
});
