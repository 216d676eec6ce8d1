/**
 * A node that closes (panics, or shuts down) while a replica of its own is in
 * a full sync: that replica's link goes down with the close's reason, as its
 * other replicas' links do (replication.close), not as a failed sync, so the
 * console can tell a crash from a shutdown from a sync that failed.
 *
 * The replica is a real redis-server; the node's snapshot is slowed with
 * rdb-key-save-delay so the sync is still running when the node closes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/contract/engine-events';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { waitFor } from '../support/wait';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

async function nodeInFullSync(): Promise<{ node: EngineHandle; events: EngineEvent[] }> {
  const node = await startEngine([['repl-diskless-sync', 'yes'], ['repl-diskless-sync-delay', '0'], ['rdb-key-save-delay', '100000']]);
  for (let i = 0; i < 200; i += 1) await node.call('SET', `key:${i}`, 'value');
  const events: EngineEvent[] = [];
  node.node.replication.events.on((event) => events.push(event));
  await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(node.port)] });
  // The snapshot has begun for the replica (+FULLRESYNC sent; attach in full-sync.ts).
  await waitFor(() => events.some((event) => event.type === 'full-sync-progress' && event.side === 'master'), {
    timeoutMs: 30_000,
    what: 'the replica to be in a full sync',
  });
  return { node, events };
}

function masterSideLinkDowns(events: EngineEvent[]): Array<{ reason: string; detail: string }> {
  return events.flatMap((event) => (event.type === 'link-down' && event.side === 'master' ? [{ reason: event.reason, detail: event.detail }] : []));
}

describe('a node closing while a replica is in a full sync', () => {
  it('reports that replica down as crashed, with the Guru Meditation, when the node panics', async () => {
    const { node, events } = await nodeInFullSync();
    node.node.panic('test panic during a full sync', 'close-during-full-sync');
    expect(masterSideLinkDowns(events)).toEqual([{ reason: 'crashed', detail: 'Guru Meditation: test panic during a full sync' }]);
  }, 60_000);

  it('reports that replica down as shut down when the node shuts down', async () => {
    const { node, events } = await nodeInFullSync();
    await node.node.shutdown();
    expect(masterSideLinkDowns(events)).toEqual([{ reason: 'shutdown', detail: 'server shutdown' }]);
  }, 60_000);
});
