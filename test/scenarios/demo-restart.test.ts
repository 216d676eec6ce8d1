/**
 * Issue 15, point 9: restarting the demo, as README step 1 tells a new user
 * to do it, every time.
 *
 * The console starts as `npm start` starts it (the demo with its load
 * generator). Then, twice: Demo → Stop, pick a topology (2
 * nodes, 3 nodes, Chain), Start. After each start the session on screen
 * must be this run's: its timeline lists one `full-resync` per replica of
 * this run, with the engine's exact cause ("the replica asked for a full
 * sync: no cached master"), and no event naming a port of an earlier run;
 * the load generator keeps writing (its rate, and the master's own
 * master_repl_offset, move). The truth is the engines' own INFO and log
 * lines, read over their loopback ports.
 */
import { expect, it } from 'vitest';
import type { DemoTopology } from '../../shared/contract/demo';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, soakOnly, useScenarioCleanup } from './harness';

useScenarioCleanup();

const masterOffset = async (port: number): Promise<number> => Number((await info({ port }, 'replication')).get('master_repl_offset'));

/** Starts the console as `npm start` does, then stops and restarts the demo as each topology in turn, checking every run. */
async function restartThrough(topologies: readonly DemoTopology[]): Promise<void> {
  const replscope = await ConsoleUnderTest.start({ demoAutoStart: true, pollIntervalMs: 500 });
  const first = await replscope.call('demo.status', {});
  expect(first.load.running).toBe(true);
  const sessionIds = new Set([first.sessionId]);

  for (const topology of topologies) {
    await replscope.call('demo.stop', {});
    const status = await replscope.startDemo({ topology });
    sessionIds.add(status.sessionId);
    const ids = new Set(status.nodes.map((node) => node.id));
    const replicas = status.nodes.filter((node) => node.role === 'replica');
    const master = status.nodes.find((node) => node.role === 'master')!;

    // One full resync per replica of this run, with the engine's exact cause.
    await waitFor(async () => {
      const fullResyncs = (await replscope.listEvents()).filter((event) => event.kind === 'full-resync');
      return replicas.every((replica) => fullResyncs.some((event) => event.nodeId === replica.id));
    }, { timeoutMs: 20_000, what: `a full-resync event for every replica of the ${topology} run` });
    const events = await replscope.listEvents();
    for (const replica of replicas) {
      const resync = events.find((event) => event.kind === 'full-resync' && event.nodeId === replica.id)!;
      expect(resync).toMatchObject({ cause: 'requested-full', inferred: false, peerId: replica.upstreamId });
      expect(resync.message).toContain('the replica asked for a full sync: no cached master');
      // The engine agrees: the replica is linked and streaming after that sync.
      expect(String(await command({ port: replica.port }, 'INFO', 'replication'))).toMatch(/master_link_status:up/);
    }
    // Nothing from an earlier run: every node an event names is one of this run's.
    for (const event of events) {
      expect(ids.has(event.nodeId) || event.nodeId === 'demo', `${event.kind} names ${event.nodeId}`).toBe(true);
      if (event.peerId !== null) expect(ids.has(event.peerId), `${event.kind} names peer ${event.peerId}`).toBe(true);
    }

    // The load generator kept running across the restart, on the new master.
    expect(status.load.running).toBe(true);
    const before = await masterOffset(master.port);
    await waitFor(async () => (await masterOffset(master.port)) > before + 10_000, { what: `the load writing to the ${topology} run's master` });
    await waitFor(async () => (await replscope.call('demo.status', {})).loadOpsPerSec > 0, { what: 'the load generator reporting its rate' });
  }
  // Each run was its own session: the Events view of one never lists another's.
  expect(sessionIds.size).toBe(topologies.length + 1);
}

it('stop, pick a topology, start — twice: each run shows its own full resyncs with their cause, and the load keeps writing', () => restartThrough(['two-replicas', 'chain']), 120_000);

soakOnly('stop and start the demo through every topology, three rounds', () => restartThrough(['pair', 'two-replicas', 'chain', 'pair', 'chain', 'two-replicas', 'two-replicas', 'pair', 'chain']));
