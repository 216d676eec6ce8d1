/**
 * A node that comes back after an outage is seen within about a second,
 * and the console never keeps saying "Nothing accepts connections" for
 * seconds while the node is listening again.
 *
 * The console's connection redials a node that refuses it with a backoff.
 * With a 5 s cap, a node restarted just after a refused dial stayed
 * "unreachable (ECONNREFUSED)" on screen for almost 5 s while it answered
 * everyone else (redis-server's "Ready to accept connections", Sentinel's
 * -sdown a fraction of a second later); its node-reachable came as late.
 * The restart here lands just after the fourth refused dial (0, 0.8, 2.4
 * and 5.6 s after the kill with that backoff), where the next was 5 s away.
 */
import { afterEach, expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { DeploymentMonitor } from '../../main/console/monitor/deployment-monitor';
import { sleep, waitFor } from '../support/wait';
import { forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const monitors: DeploymentMonitor[] = [];
afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.close();
});

forEachNodeKind((kind) => {
  it('a killed replica restarted after its outage is shown up within about a second of listening again, not seconds later as refusing', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.node('replica-1');
    const monitor = await DeploymentMonitor.open({
      sessionId: 'back', profile: { name: 'p', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: group.master.port }], environment: 'staging', safetyMode: 'ops' },
      secrets: {}, pollIntervalMs: 250, logger: quiet,
    });
    monitors.push(monitor);
    const events: ReplicationEvent[] = [];
    monitor.onEvent((event) => events.push(event));
    const health = (): string | undefined => monitor.snapshot().nodes.find((node) => node.id === replica.id)?.health;
    await waitFor(() => health() === 'up', { what: 'the replica up' });

    replica.signal('SIGKILL');
    await waitFor(() => health() === 'unreachable', { what: 'the replica unreachable' });
    await sleep(6_000);
    await replica.restart();
    const listening = Date.now();
    expect((await replicationTruth(replica)).role).toBe('slave'); // it answers (a replica again, from its options)
    await waitFor(() => health() === 'up', { timeoutMs: 10_000, intervalMs: 20, what: 'the replica up again' });
    const seenAfterMs = Date.now() - listening;
    // A dial at most a second after it listens, plus a poll (250 ms) and
    // slack for a loaded machine (the full test run); the 5 s cap showed it
    // 4.5-4.6 s after, which this bound still fails.
    expect(seenAfterMs).toBeLessThan(3_500);
    const back = events.filter((event) => event.kind === 'node-reachable' && event.nodeId === replica.id);
    expect(back).toHaveLength(1);
    expect(back[0]!.time - listening).toBeLessThan(3_500);
  }, 60_000);
});
