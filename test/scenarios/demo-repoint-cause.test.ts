/**
 * Controls → Re-point replica on the demo's three nodes. Found in a new
 * user's walk in web mode: re-pointing replica-2 under replica-1, the
 * action's result said "Observed: partial resync" (replica-1's
 * sync_partial_ok +1), but *Events* gave that partial resync no cause at
 * all and filed the old master's side of the link-down as "closed by the
 * other end", while Disconnect link, Force full resync and Promote put
 * both down to the action ("operator action": who ran it, and when). The
 * action's own line read "repoint: partial-resync — ...", the contract's
 * ids where the controls say "Re-point replica" and "partial resync".
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('the link-downs and the partial resync of a Re-point replica are put down to the action', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'two-replicas' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const [first, second] = status.nodes.filter((node) => node.role === 'replica');
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const partialBefore = Number((await info({ port: first!.port }, 'stats')).get('sync_partial_ok'));
  const since = Date.now();

  const result = await replscope.run(await replscope.preflight({ kind: 'repoint', replicaId: second!.id, masterId: first!.id }));
  expect(result.resync, result.message).toBe('partial');
  // The nodes' truth: the second replica follows the first, which continued it from its backlog.
  await waitFor(async () => {
    const replication = await info({ port: second!.port }, 'replication');
    return replication.get('master_port') === String(first!.port) && replication.get('master_link_status') === 'up';
  }, { timeoutMs: 15_000, what: `${second!.id} to follow ${first!.id}` });
  expect(Number((await info({ port: first!.port }, 'stats')).get('sync_partial_ok'))).toBe(partialBefore + 1);

  const resync = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === second!.id && event.peerId === first!.id && event.time >= since, `${second!.id}'s partial resync from ${first!.id}`);
  expect(resync.cause, resync.message).toBe('manual');
  expect(resync.message).toContain(`this console's Re-point replica of ${second!.id} to ${first!.id}`);
  const downs = () => replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === second!.id && event.peerId === master.id && event.time >= since);
  await waitFor(() => downs().length >= 2, { timeoutMs: 10_000, what: `both sides of the link-down of ${second!.id} from ${master.id}` });
  for (const down of downs()) expect(down.cause, down.message).toBe('manual');
  // The timeline's line for the action says it as the controls do, not in the contract's ids ("repoint: partial-resync").
  const action = await replscope.waitForEvent((event) => event.kind === 'action' && event.nodeId === second!.id && event.time >= since, 'the action on the timeline');
  expect(action.message).toMatch(/^Re-point replica: partial resync — /);
}, 90_000);
