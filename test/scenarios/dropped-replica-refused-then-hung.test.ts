/**
 * A replica killed (kill -9), its master dropped it, its address refused the
 * console's connections; then a new process took its address and hangs
 * (SIGSTOP) before it ever answered the console. The node reads hung, and
 * nothing of the killed process is shown as the new one's: no role, run_id
 * or offsets, and so no link rebuilt from the killed process's INFO; its
 * health detail says the last answer's process is gone. The console showed
 * the link again from the killed process's last INFO (marked stale), as if
 * the stopped newcomer were that replica, with its offsets. The master's
 * own INFO lists no replica, and the newcomer was never one.
 */
import { expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { startRedisServer } from '../support/redis-server';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a killed replica whose address refused, then a new process there that hangs: hung, with none of the killed process\'s figures and no link from them', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-backlog-size', '10mb'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${master.id}->${replica.id}`;
    await waitFor(async () => replscope.link(replica.id).partialResyncPossible === true, { timeoutMs: 15_000, what: 'the streaming replica inside the backlog' });
    replica.signal('SIGKILL');
    await waitFor(async () => !(await replicationTruth(master)).replicas.some((entry) => entry.id === replica.id), { timeoutMs: 15_000, what: `${master.id} to stop listing ${replica.id}` });
    // The console has seen both: the master no longer lists it, and its address refuses (no INFO: no link).
    const droppedAt = Date.now();
    await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > droppedAt && replscope.node(master.id, snapshot).connectedReplicas === 0
      && replscope.node(replica.id, snapshot).healthProblem === 'refused', 'the master without the replica, and the replica\'s address refusing', 30_000);
    // Polls stall while a new process takes the address and is stopped, so the console never hears it answer.
    await replscope.call('settings.set', { ...DEFAULT_SETTINGS, pollIntervalMs: 20_000 });
    await sleep(1_000);
    const newcomer = await startRedisServer({ port: replica.port });
    newcomer.signal('SIGSTOP');
    try {
      await replscope.call('settings.set', { ...DEFAULT_SETTINGS, pollIntervalMs: 250 });
      const resumedAt = Date.now();
      const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > resumedAt && replscope.node(replica.id, snapshot).health === 'hung',
        'the new process at the replica\'s address hung', 30_000);
      // The master's own word: it lists no replica (the new process is not one, and is stopped).
      const truth = await replicationTruth(master);
      expect(truth.replicas.map((entry) => entry.id)).not.toContain(replica.id);
      const node = replscope.node(replica.id, shown);
      expect({ role: node.role, runId: node.runId, masterReplOffset: node.masterReplOffset }, node.healthDetail ?? '').toEqual({ role: 'unknown', runId: null, masterReplOffset: null });
      expect(node.healthDetail).toMatch(/came from a process that is gone: its address refused connections/);
      expect(shown.links.find((link) => link.id === linkId), 'a link rebuilt from the killed process\'s INFO').toBeUndefined();
      // Still so a few polls on (the hung request timed out and is asked again).
      const later = await replscope.waitForSnapshot((snapshot) => snapshot.time > shown.time + 6_000, 'polls after the first timeout', 30_000);
      expect(replscope.node(replica.id, later).health).toBe('hung');
      expect(replscope.node(replica.id, later).runId).toBeNull();
      expect(later.links.find((link) => link.id === linkId)).toBeUndefined();
      const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'master' });
      expect(preflight.prediction).toBe('unknown');
    } finally {
      newcomer.signal('SIGCONT');
      await newcomer.stop();
    }
  }, 120_000);
});
