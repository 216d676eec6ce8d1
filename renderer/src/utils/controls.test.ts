import { describe, expect, it } from 'vitest';
import { syntheticSnapshot } from '../../test-support/synthetic-topology';
import { allowedDisconnectSides, chaosDisabledReason, controlStates, MONITOR_ONLY_REASON, repointCandidates } from './controls';

const snapshot = syntheticSnapshot({ sessionId: 's', masters: 1, replicasPerMaster: 2 }, 0);
const master = snapshot.nodes.find((node) => node.role === 'master');
const replica = snapshot.nodes.find((node) => node.role === 'replica');
if (master === undefined || replica === undefined) throw new Error('fixture');

const byKind = (states: ReturnType<typeof controlStates>) => Object.fromEntries(states.map((state) => [state.kind, state]));

describe('control availability', () => {
  it('monitor-only disables every control with the same explanation', () => {
    const states = controlStates(replica, { safetyMode: 'monitor-only', capabilities: null, snapshot });
    expect(states).toHaveLength(5);
    for (const state of states) expect(state).toMatchObject({ enabled: false, reason: MONITOR_ONLY_REASON });
  });
  it('ops on a replica: everything a replica can do is enabled', () => {
    const states = byKind(controlStates(replica, { safetyMode: 'ops', capabilities: null, snapshot }));
    expect(states['disconnect-link']?.enabled).toBe(true);
    expect(states['force-full-resync']?.enabled).toBe(true);
    expect(states['promote']?.enabled).toBe(true);
    expect(states['repoint']?.enabled).toBe(true);
    expect(states['set-backlog-size']?.enabled).toBe(true);
  });
  it('a master cannot be promoted, disconnected or re-pointed, and says why', () => {
    const states = byKind(controlStates(master, { safetyMode: 'ops', capabilities: null, snapshot }));
    expect(states['promote']).toMatchObject({ enabled: false, reason: 'Already a master.' });
    expect(states['disconnect-link']?.reason).toContain('Only a replica');
    expect(states['repoint']?.reason).toContain('Only a replica');
    expect(states['set-backlog-size']?.enabled).toBe(true);
  });
  it('a master while another node answers master (after REPLICAOF NO ONE) can be made a replica of that one only', () => {
    const promoted = { ...replica, role: 'master' as const };
    const twoMasters = { ...snapshot, nodes: snapshot.nodes.map((node) => (node.id === promoted.id ? promoted : node)) };
    const states = byKind(controlStates(master, { safetyMode: 'ops', capabilities: null, snapshot: twoMasters }));
    expect(states['repoint']).toMatchObject({ enabled: true, reason: null, label: 'Make replica of' });
    expect(repointCandidates(master, twoMasters).map((node) => node.id)).toEqual([promoted.id]);
    // The replicas still list every other reachable node.
    expect(repointCandidates(replica, snapshot).length).toBe(snapshot.nodes.length - 1);
  });
  it('an unreachable node disables its controls with the health detail', () => {
    const down = { ...replica, health: 'unreachable' as const, healthDetail: 'connect ECONNREFUSED' };
    const states = controlStates(down, { safetyMode: 'ops', capabilities: null, snapshot });
    for (const state of states) expect(state.reason).toBe('The node is unreachable (connect ECONNREFUSED).');
  });
  it('ACL denials disable the control with their reason, for the commands the chosen side needs', () => {
    const capabilities = { commands: { 'client|list': false, 'client|kill': true, replicaof: false, 'config|set': true }, features: [], dryrunAnswers: {}, uncheckedBecause: null };
    const states = byKind(controlStates(replica, { safetyMode: 'ops', capabilities, snapshot }));
    expect(states['disconnect-link']).toMatchObject({ enabled: false, reason: 'The connected ACL user may not run CLIENT LIST.' });
    expect(states['promote']).toMatchObject({ enabled: false, reason: 'The connected ACL user may not run REPLICAOF.' });
    expect(states['set-backlog-size']?.enabled).toBe(true);
    expect(byKind(controlStates(replica, { safetyMode: 'ops', capabilities, snapshot, disconnectSide: 'replica' }))['disconnect-link']?.enabled).toBe(true);
    expect(allowedDisconnectSides(replica, { safetyMode: 'ops', capabilities, snapshot })).toEqual(['replica']);
  });
  it('chaos needs a running demo session', () => {
    expect(chaosDisabledReason('demo', false)).toBe('Start the demo first.');
    expect(chaosDisabledReason('ops', true)).toContain('only on the embedded demo');
    expect(chaosDisabledReason('demo', true)).toBeNull();
  });
});
