/**
 * A full resync nobody asked the console for, as an operator typing in a
 * client would cause one: REPLICAOF NO ONE on the replica, then REPLICAOF
 * back to its master. The replica comes back with a replication id of its
 * own (made when it was promoted), which the master never issued, so the
 * master answers +FULLRESYNC. Resolves once the master's INFO sync_full has
 * counted it. (The console's own Force full resync is no incident and
 * raises no alert: own-action-not-alerted.test.ts.)
 */
import { expect } from 'vitest';
import { waitFor } from '../../support/wait';
import type { ScenarioNode } from './scenario-node';
import { counterDelta, replicationTruth } from './truth';

export async function fullResyncByHand(master: ScenarioNode, replica: ScenarioNode): Promise<void> {
  const truthBefore = await replicationTruth(master);
  expect(await replica.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  expect(await replica.call('REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK');
  await waitFor(async () => counterDelta(truthBefore, await replicationTruth(master)).full === 1, { timeoutMs: 20_000, what: `${master.id} to count the full sync of ${replica.id}` });
}
