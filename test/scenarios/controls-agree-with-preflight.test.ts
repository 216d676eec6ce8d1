/**
 * A control the Controls tab shows enabled must be one the preflight lets
 * run, and a disabled one one it refuses: the tab is the first answer, the
 * preflight the gate (renderer/src/utils/controls.ts,
 * main/console/service/actions.ts). Found in a new-user trial: attached
 * as the README's monitor-only ACL user, every control of a replica was
 * off except Force full resync, whose preflight then said "the connected
 * user may not run REPLICAOF".
 *
 * Against redis-server 7.0 with ACL users of the README and of
 * acl-preflight.test.ts: the capabilities are the ones the console probed
 * on the real server (ACL DRYRUN), the preflight is the service's.
 */
import { expect, it } from 'vitest';
import { controlStates } from '../../renderer/src/utils/controls';
import { ConsoleUnderTest, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

type PreflightRequest = Parameters<ConsoleUnderTest['preflight']>[0];

const USERS: ReadonlyArray<{ name: string; rules: string[] }> = [
  { name: 'monitor', rules: ['+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun'] },
  { name: 'operator', rules: ['+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun', '+client|kill', '+client|list'] },
  { name: 'careful', rules: ['+@all', '-@dangerous', '+info'] },
  { name: 'admin', rules: ['+@all'] },
];

it('for a monitor-only, an operator, a careful and an admin user, each control of a replica is enabled exactly when its preflight allows it', async () => {
  const group = await startGroup('redis', { shape: 'pair' });
  const replica = group.node('replica-1');
  for (const { name, rules } of USERS) expect(await group.master.call('ACL', 'SETUSER', name, 'on', `>${name}-secret`, '~*', '&*', ...rules)).toBe('OK');
  for (const { name, rules } of USERS) expect(await replica.call('ACL', 'SETUSER', name, 'on', `>${name}-secret`, '~*', '&*', ...rules)).toBe('OK');
  const requests: Record<string, PreflightRequest> = {
    'disconnect-link': { kind: 'disconnect-link', replicaId: replica.id, side: 'master' },
    'force-full-resync': { kind: 'force-full-resync', replicaId: replica.id },
    promote: { kind: 'promote', nodeId: replica.id, method: 'auto' },
    repoint: { kind: 'repoint', replicaId: replica.id, masterId: group.master.id },
    'set-backlog-size': { kind: 'set-backlog-size', nodeId: replica.id, bytes: 2 * 1024 * 1024 },
  };
  const seen: string[] = [];
  for (const { name } of USERS) {
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500, profile: { username: name }, secrets: { password: `${name}-secret` } });
    const snapshot = await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const capabilities = await replscope.call('sessions.capabilities', { sessionId: replscope.sessionId });
    const states = controlStates(replscope.node(replica.id, snapshot), { safetyMode: 'ops', capabilities, snapshot });
    for (const state of states) {
      const preflight = await replscope.preflight(requests[state.kind]!);
      seen.push(`${name} ${state.kind}: control ${state.enabled ? 'on' : `off (${state.reason})`}, preflight ${preflight.allowed ? 'allows' : `refuses (${preflight.deniedReason})`}`);
      expect(state.enabled, seen[seen.length - 1]).toBe(preflight.allowed);
    }
    await replscope.close();
  }
  // Both answers occur: the admin may do everything, the monitor-only user nothing.
  expect(seen.filter((line) => line.startsWith('admin') && line.includes('preflight allows'))).toHaveLength(5);
  expect(seen.filter((line) => line.startsWith('monitor') && line.includes('preflight refuses'))).toHaveLength(5);
}, 90_000);
