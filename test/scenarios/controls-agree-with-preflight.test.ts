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
  // Each lacking one of the two commands the master-side disconnect needs (CLIENT LIST on the replica, CLIENT KILL on the master).
  { name: 'nolist', rules: ['+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun', '+client|kill'] },
  { name: 'nokill', rules: ['+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun', '+client|list'] },
  { name: 'admin', rules: ['+@all'] },
];

it('for a monitor-only, an operator, a careful, an admin user and users lacking CLIENT LIST or CLIENT KILL, each control of a replica (Disconnect from either side) is enabled exactly when its preflight allows it', async () => {
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
      // Same words too; not for Promote, whose tab checks REPLICAOF while the preflight's auto method may pick FAILOVER.
      if (!preflight.allowed && state.kind !== 'promote') expect(state.reason?.toLowerCase(), seen[seen.length - 1]).toContain(preflight.deniedReason!.toLowerCase());
    }
    const fromReplica = controlStates(replscope.node(replica.id, snapshot), { safetyMode: 'ops', capabilities, snapshot, disconnectSide: 'replica' }).find((state) => state.kind === 'disconnect-link')!;
    const replicaSide = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'replica' });
    seen.push(`${name} disconnect-link from the replica: control ${fromReplica.enabled ? 'on' : `off (${fromReplica.reason})`}, preflight ${replicaSide.allowed ? 'allows' : `refuses (${replicaSide.deniedReason})`}`);
    expect(fromReplica.enabled, seen[seen.length - 1]).toBe(replicaSide.allowed);
    await replscope.close();
  }
  // Both answers occur: the admin may do everything, the monitor-only user nothing.
  expect(seen.filter((line) => line.startsWith('admin') && line.includes('preflight allows'))).toHaveLength(6);
  expect(seen.filter((line) => line.startsWith('monitor') && line.includes('preflight refuses'))).toHaveLength(6);
  // The node's own ACL DRYRUN verdicts decide the two one-command-short users: from the master side both are refused; from the replica side (CLIENT KILL only) the one with CLIENT KILL may.
  expect(seen.filter((line) => line.startsWith('nolist disconnect-link'))).toEqual([
    expect.stringContaining('preflight refuses (the connected ACL user may not run CLIENT LIST'),
    expect.stringContaining('control on, preflight allows'),
  ]);
  expect(seen.filter((line) => line.startsWith('nokill disconnect-link'))).toEqual([
    expect.stringContaining('preflight refuses (the connected ACL user may not run CLIENT KILL'),
    expect.stringContaining('preflight refuses (the connected ACL user may not run CLIENT KILL'),
  ]);
}, 90_000);
