/**
 * REPLICAOF typed in a redis-cli on one of the demo's embedded nodes. The
 * engine reports the replica's link-down as "replicaof-changed"; it was
 * filed cause `manual` ("operator action"), as if this console had run it,
 * while the same command on redis-server reads `operator-command` (a
 * REPLICAOF counted on the node, not from this console). The console's own
 * Re-point replica keeps `manual` (demo-repoint-cause.test.ts).
 */
import { expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a REPLICAOF someone typed on an embedded replica is an operator command, not this console\'s action', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'two-replicas' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const [first, second] = status.nodes.filter((node) => node.role === 'replica');
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const since = Date.now();

  await command({ port: second!.port }, 'REPLICAOF', '127.0.0.1', first!.port);
  await waitFor(async () => {
    const replication = await info({ port: second!.port }, 'replication');
    return replication.get('master_port') === String(first!.port) && replication.get('master_link_status') === 'up';
  }, { timeoutMs: 15_000, what: `${second!.id} to follow ${first!.id}` });

  const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === second!.id && event.peerId === master.id && event.time >= since && /replicaof-changed/.test(event.message), `${second!.id}'s link-down from ${master.id} (replica side)`);
  expect(down.cause, down.message).toBe('operator-command');
  expect(down.numbers.attribution, down.message).toBe('operator');
  expect(down.numbers.byThisConsole, down.message).toBeUndefined();
  expect(down.message).not.toContain('this console\'s');
}, 90_000);
