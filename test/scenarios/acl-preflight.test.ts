/**
 * The console's connect-time ACL preflight (main/console/monitor/
 * capabilities.ts: ACL DRYRUN for each control, plain probes for INFO, ROLE
 * and CONFIG GET) must judge a user the same on our engine as on
 * redis-server 7.0. The console attaches, as the app does, to one node of
 * each kind that has the same ACL user, and the capabilities it reports
 * (commands, features, and the reasons it gives) must be equal.
 */
import { describe, expect, it } from 'vitest';
import { ConsoleUnderTest, startNode, useScenarioCleanup, type ScenarioNode } from './harness';
import type { Capabilities } from '../../shared/contract/sessions';

useScenarioCleanup();

const USERS: ReadonlyArray<{ name: string; rules: string[] }> = [
  // The monitor-only user the README recommends.
  { name: 'monitor', rules: ['+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun'] },
  // May kill clients but not list them: "disconnect a link" must be refused, naming CLIENT LIST.
  { name: 'operator', rules: ['+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun', '+client|kill'] },
  // Everything but the dangerous commands (REPLICAOF, FAILOVER, DEBUG, CONFIG SET, CLIENT KILL...), INFO given back.
  { name: 'careful', rules: ['+@all', '-@dangerous', '+info'] },
  // Without INFO (it is @dangerous): the console cannot monitor and refuses to connect, saying why.
  { name: 'no-info', rules: ['+@all', '-@dangerous'] },
  // Cannot ask ACL DRYRUN at all: the admin commands are reported as unknown, with the reason.
  { name: 'blind', rules: ['+ping', '+info', '+client|setname'] },
  // Everything, as the default user.
  { name: 'admin', rules: ['+@all'] },
];

/** What the console reports for this user: its capabilities, or why it would not connect (the address left out). */
async function capabilitiesOf(node: ScenarioNode, user: string): Promise<Capabilities | string> {
  try {
    const replscope = await ConsoleUnderTest.attach(node, { pollIntervalMs: 500, profile: { username: user }, secrets: { password: `${user}-secret` } });
    return await replscope.call('sessions.capabilities', { sessionId: replscope.sessionId });
  } catch (failure) {
    return (failure as Error).message.replaceAll(node.id, '<node>');
  }
}

describe('the ACL preflight judges a user the same on our engine as on redis-server', () => {
  it('for a monitor-only, an operator, a careful, a no-INFO, a blind and an admin user', async () => {
    const [redis, engine] = await Promise.all([startNode('redis', { name: 'acl-redis' }), startNode('engine', { name: 'acl-engine' })]);
    for (const node of [redis, engine]) {
      for (const { name, rules } of USERS) expect(await node.call('ACL', 'SETUSER', name, 'on', `>${name}-secret`, '~*', '&*', ...rules)).toBe('OK');
    }
    // The engine is standalone only and has no CLUSTER command: ACL DRYRUN answers "Command 'CLUSTER'
    // not found" there, so CLUSTER FAILOVER is compared once the engine has the command.
    const engineHasCluster = ((await engine.call('COMMAND', 'INFO', 'cluster')) as unknown[])[0] !== null;
    const comparable = (capabilities: Capabilities | string): Capabilities | string => {
      if (typeof capabilities === 'string' || engineHasCluster) return capabilities;
      const { 'cluster|failover': _cluster, ...commands } = capabilities.commands;
      return { ...capabilities, commands };
    };
    for (const { name } of USERS) {
      const [theirs, ours] = await Promise.all([capabilitiesOf(redis, name), capabilitiesOf(engine, name)]);
      expect({ user: name, ours: comparable(ours) }).toEqual({ user: name, ours: comparable(theirs) });
    }
    // The judgement is not trivially "everything": the operator cannot disconnect a link, the admin can.
    const operator = await capabilitiesOf(engine, 'operator');
    const admin = await capabilitiesOf(engine, 'admin');
    if (typeof operator === 'string' || typeof admin === 'string') throw new Error(`the console did not connect: ${String(operator)} ${String(admin)}`);
    expect(operator.commands['client|list']).toBe(false);
    expect(operator.features.find((feature) => feature.feature === 'disconnect a link')?.reason).toMatch(/CLIENT LIST/);
    expect(Object.values((comparable(admin) as Capabilities).commands).every((allowed) => allowed)).toBe(true);
    expect(await capabilitiesOf(engine, 'no-info')).toMatch(/may not run INFO/);
  });
});
