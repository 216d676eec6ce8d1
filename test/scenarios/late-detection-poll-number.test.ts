/**
 * Events are worked out beside the polls, in order (deployment-monitor.ts
 * chains them), and attribution may wait on a node: a promotion's settle
 * asks its former master's INFO commandstats, which waits while that
 * master is asleep (DEBUG SLEEP). The snapshots polled meanwhile were then
 * processed late, each stamped with the number of the poll running when
 * it was processed, not the poll that took it: a node's last poll with
 * its old role was numbered a later poll, whose command-counter baseline
 * already counted the REPLICAOF that changed it. Seen on redis-server 7.0
 * with two pairs under one console: the second pair's replica, promoted by
 * REPLICAOF NO ONE while the first pair's promotion waited on its sleeping
 * master, was "promoted to master (who did it is unknown): ... no
 * REPLICAOF/FAILOVER in its command counters", its INFO commandstats
 * saying cmdstat_replicaof calls=1.
 *
 * Held against the node's own INFO commandstats (cmdstat_replicaof) and
 * its log ("MASTER MODE enabled").
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, startGroup, useScenarioCleanup, waitForLog } from './harness';
import { sleep } from '../support/wait';

useScenarioCleanup();

function replicaofCalls(commandstats: Map<string, string>): number {
  return Number(/calls=(\d+)/.exec(commandstats.get('cmdstat_replicaof') ?? '')?.[1] ?? 0);
}

it('a REPLICAOF NO ONE run while the console\'s event work waits on a sleeping node is still found in the node\'s command counters', async () => {
  // Two groups under one console: one whose master sleeps, one whose replica is promoted meanwhile.
  const sleepy = await startGroup('redis', { shape: 'pair' });
  const other = await startGroup('redis', { shape: 'pair' });
  const [first, second] = [sleepy.node('replica-1'), other.node('replica-1')];
  const seeds = [sleepy.master, other.master].map((node) => ({ host: '127.0.0.1', port: node.port }));
  const replscope = await ConsoleUnderTest.attach(sleepy.master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only', seeds } });
  const ids = [...sleepy.nodes, ...other.nodes].map((node) => node.id);
  await replscope.waitForSnapshot((snapshot) => ids.every((id) => snapshot.nodes.some((node) => node.id === id && node.health === 'up' && !node.stale))
    && snapshot.links.length === 2 && snapshot.links.every((link) => link.state === 'online'), 'both pairs up with their links online');
  await sleep(1000); // command-counter baselines of a few polls
  const secondMark = second.mark();

  // The first master sleeps; its replica's promotion, settled meanwhile, asks the master's commandstats and waits.
  const asleep = sleepy.master.call('DEBUG', 'SLEEP', '3');
  expect(await first.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === first.id && node.role === 'master'), `${first.id} seen as master`);
  await sleep(800); // several polls while the settle waits on the master
  expect(await second.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  await waitForLog(second, /MASTER MODE enabled/, secondMark);
  expect(await asleep).toBe('OK');
  // The node's truth: one REPLICAOF, run on it by someone other than this console.
  expect(replicaofCalls(await second.info('commandstats'))).toBe(1);

  const promotion = await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === second.id, `the promotion of ${second.id}`, 20_000);
  expect(promotion.cause, promotion.message).toBe('operator-command');
  expect(promotion.message).toContain(`REPLICAOF ×1 ran on ${second.id} (INFO commandstats)`);
}, 60_000);
