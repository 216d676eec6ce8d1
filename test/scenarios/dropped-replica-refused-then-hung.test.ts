/**
 * A replica killed (kill -9), its master dropped it, its address refused the
 * console's connections; then a new process took its address and hangs
 * (SIGSTOP) before it ever answered the console. The console shows the link
 * again (from the killed process's last INFO, marked stale), down by the
 * master's word, and whether its reconnect would be partial is not known:
 * the process that ACKed may be gone. It said "not known" with no reason:
 * while the address refused, the replica had no INFO and so no link, and
 * what the snapshot builder remembered of the link (its last ACK, where its
 * master dropped it) was forgotten as a link gone from the topology.
 */
import { expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { startRedisServer } from '../support/redis-server';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a killed replica whose address refused, then a new process there that hangs: the link is back down, "not known", with the reason its process may be gone', async () => {
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
      const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > resumedAt && replscope.node(replica.id, snapshot).health === 'hung'
        && snapshot.links.some((link) => link.id === linkId), 'the new process at the replica\'s address hung, and the link shown again', 30_000);
      // The master's own word: it lists no replica (the new process is not one, and is stopped).
      const truth = await replicationTruth(master);
      expect(truth.replicas.map((entry) => entry.id)).not.toContain(replica.id);
      const link = shown.links.find((candidate) => candidate.id === linkId)!;
      expect(link.state).toBe('down');
      expect(link.partialResyncPossible, link.partialResyncWhy ?? 'no reason').toBeNull();
      expect(link.partialResyncWhy, 'why a partial resync is not known').toMatch(/refuses connections .*its process may be gone/);
      const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'master' });
      expect(preflight.prediction).toBe('unknown');
    } finally {
      newcomer.signal('SIGCONT');
      await newcomer.stop();
    }
  }, 120_000);
});
