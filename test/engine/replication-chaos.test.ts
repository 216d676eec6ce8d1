/**
 * Replication under chaos, both directions with redis-server: the link is
 * cut at random moments (seeded: mid-handshake, mid-transfer, mid-MULTI)
 * while a client writes; at the end the digests are equal, every write the
 * master acknowledged is on the replica, and after the initial sync every
 * reconnection was partial. `npm run soak` runs the same loop for longer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { runReplicationChaos } from '../support/replication-chaos';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const BACKLOG = '64mb';

describe('replication chaos (fixed seeds)', () => {
  it('our master, real replica', async () => {
    const master = await startEngine([['repl-diskless-sync-delay', '0'], ['repl-backlog-size', BACKLOG]]);
    const replica = await startRedisServer();
    const report = await runReplicationChaos(master, replica, { seed: 11, durationMs: 8000 });
    expect(report.cuts).toBeGreaterThan(4);
    expect(report.acknowledgedWrites).toBeGreaterThan(100);
    expect(report.transactions).toBeGreaterThan(5);
    expect(report.fullSyncsAfterInitial).toBe(0);
    expect(report.partialResyncs).toBeGreaterThanOrEqual(3);
  });

  it('real master, our replica', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0', '--repl-backlog-size', BACKLOG] });
    const replica = await startEngine();
    const report = await runReplicationChaos(master, replica, { seed: 12, durationMs: 8000 });
    expect(report.cuts).toBeGreaterThan(4);
    expect(report.acknowledgedWrites).toBeGreaterThan(100);
    expect(report.fullSyncsAfterInitial).toBe(0);
    expect(report.partialResyncs).toBeGreaterThanOrEqual(3);
  });
});
