import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeBridge, flush } from '../../../test-support/fake-bridge';
import { syntheticSession, syntheticSnapshot } from '../../../test-support/synthetic-topology';
import type { ActionRequest, ActionResult, Preflight, SessionInfo } from '../../api/contract';
import { useActionsStore } from '../../stores/actions';
import { useBridgeStore } from '../../stores/bridge';
import { useSessionsStore } from '../../stores/sessions';
import { useTopologyStore } from '../../stores/topology';
import ActionDialog from './ActionDialog.vue';
import ControlsPanel from './ControlsPanel.vue';

let bridge: FakeBridge;
const snapshot = syntheticSnapshot({ sessionId: 's1', masters: 1, replicasPerMaster: 2 }, 0);
const replica = snapshot.nodes.find((node) => node.role === 'replica');
if (replica === undefined) throw new Error('fixture');
const action: ActionRequest = { kind: 'disconnect-link', sessionId: 's1', replicaId: replica.id, side: 'master' };

function preflight(overrides: Partial<Preflight> = {}): Preflight {
  return {
    token: 'tok-1',
    action,
    allowed: true,
    deniedReason: null,
    steps: ['CLIENT KILL TYPE replica on the master', 'The replica reconnects and sends PSYNC'],
    prediction: 'partial',
    predictionReason: 'The replica is 12 KiB behind and the backlog holds 1 MiB: it stays inside the window.',
    commands: ['CLIENT KILL'],
    confirmationText: null,
    expiresAt: Date.now() + 60_000,
    ...overrides,
  };
}

const result: ActionResult = { action, title: 'Disconnect link', startedAt: 1, finishedAt: 2, outcome: 'partial-resync', resync: 'partial', predictionHeld: true, message: 'Reconnected with +CONTINUE', observed: { syncPartialOk: 3 } };

function setup(session: SessionInfo): void {
  setActivePinia(createPinia());
  bridge = new FakeBridge();
  useBridgeStore().install(bridge);
  useSessionsStore().receive([session]);
  useTopologyStore().ingest(snapshot);
}

beforeEach(() => setup(syntheticSession({ sessionId: 's1', environment: 'staging', safetyMode: 'ops' })));

describe('preflight and confirmation', () => {
  it('shows what will happen and the predicted outcome, then runs with the token', async () => {
    bridge.answer('actions.preflight', preflight()).answer('actions.run', result);
    const wrapper = mount(ActionDialog, { attachTo: document.body });
    await useActionsStore().open(action);
    await flush();
    expect(wrapper.text()).toContain('CLIENT KILL TYPE replica on the master');
    expect(wrapper.get('[data-testid="preflight-prediction"]').text()).toContain('Predicted: Partial resync');
    expect(wrapper.find('[data-testid="confirmation-input"]').exists()).toBe(false);
    const run = wrapper.get('[data-testid="run-action"]');
    expect(run.attributes('disabled')).toBeUndefined();
    await wrapper.get('form.confirm').trigger('submit');
    await flush();
    expect(bridge.callsTo('actions.run').map((call) => call.payload)).toEqual([{ token: 'tok-1' }]);
    // Words, not the contract's ids: the outcome and each figure's label.
    expect(wrapper.get('[data-testid="action-result"] h3').text()).toBe('Observed: partial resync');
    expect(wrapper.findAll('[data-testid="action-result"] th').map((cell) => cell.text())).toEqual(['Partial resyncs accepted (sync_partial_ok)']);
    expect(wrapper.text()).toContain('The prediction held');
    wrapper.unmount();
  });

  it('titles the card and the notice with the control the user chose: a re-point of a master is "Make replica of"', async () => {
    // After a promotion by REPLICAOF NO ONE two nodes answer master; the old one's control says "Make replica of".
    const master = snapshot.nodes.find((node) => node.role === 'master');
    if (master === undefined) throw new Error('fixture');
    useTopologyStore().ingest({ ...snapshot, nodes: snapshot.nodes.map((node) => (node.id === replica.id ? { ...node, role: 'master' as const } : node)) });
    const demote: ActionRequest = { kind: 'repoint', sessionId: 's1', replicaId: master.id, masterId: replica.id };
    const demoted: ActionResult = { ...result, action: demote, title: 'Make replica of', outcome: 'partial-resync' };
    bridge.answer('actions.preflight', preflight({ action: demote })).answer('actions.run', demoted);
    const wrapper = mount(ActionDialog, { attachTo: document.body });
    await useActionsStore().open(demote);
    await flush();
    expect(wrapper.get('dialog h2').text()).toBe(`Make replica of: ${master.id}`);
    // The node is a replica once the command ran: the title stays what the user chose (the result's own).
    useTopologyStore().ingest(snapshot);
    await wrapper.get('form.confirm').trigger('submit');
    await flush();
    expect(wrapper.get('dialog h2').text()).toBe(`Make replica of: ${master.id}`);
    // A replica's re-point keeps its own words.
    await useActionsStore().open({ kind: 'repoint', sessionId: 's1', replicaId: replica.id, masterId: master.id });
    await flush();
    expect(wrapper.get('dialog h2').text()).toBe(`Re-point replica: ${replica.id}`);
    wrapper.unmount();
  });

  it('on a prod profile, Run stays disabled until the node name is typed exactly', async () => {
    setup(syntheticSession({ sessionId: 's1', environment: 'prod', safetyMode: 'ops' }));
    // Even if the console sent no confirmation text, prod asks for the node name.
    bridge.answer('actions.preflight', preflight({ confirmationText: null })).answer('actions.run', result);
    const wrapper = mount(ActionDialog, { attachTo: document.body });
    const actions = useActionsStore();
    await actions.open(action);
    await flush();
    expect(wrapper.text()).toContain(`Type ${replica.id} to confirm`);
    const run = wrapper.get('[data-testid="run-action"]');
    expect(run.attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="confirmation-input"]').setValue(replica.id.slice(0, -1));
    expect(run.attributes('disabled')).toBeDefined();
    await actions.run();
    expect(bridge.callsTo('actions.run')).toHaveLength(0);
    await wrapper.get('[data-testid="confirmation-input"]').setValue(` ${replica.id} `);
    expect(run.attributes('disabled')).toBeUndefined();
    await wrapper.get('form.confirm').trigger('submit');
    await flush();
    expect(bridge.callsTo('actions.run').map((call) => call.payload)).toEqual([{ token: 'tok-1', confirmation: replica.id }]);
    wrapper.unmount();
  });

  it('uses the confirmation text the console asks for', async () => {
    bridge.answer('actions.preflight', preflight({ confirmationText: 'replica-2' }));
    const actions = useActionsStore();
    await actions.open(action);
    expect(actions.confirmationText).toBe('replica-2');
    expect(actions.canRun).toBe(false);
    actions.typed = 'replica-2';
    expect(actions.canRun).toBe(true);
  });

  it('a denied preflight says why and cannot run', async () => {
    bridge.answer('actions.preflight', preflight({ allowed: false, deniedReason: 'The ACL user may not run CLIENT KILL.' }));
    const wrapper = mount(ActionDialog, { attachTo: document.body });
    await useActionsStore().open(action);
    await flush();
    expect(wrapper.get('[data-testid="preflight-denied"]').text()).toContain('may not run CLIENT KILL');
    expect(wrapper.get('[data-testid="run-action"]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('an expired token comes back as an error with a way to preflight again', async () => {
    bridge.answer('actions.preflight', preflight()).fail('actions.run', 'stale-preflight', 'The topology changed since the preflight.');
    const wrapper = mount(ActionDialog, { attachTo: document.body });
    const actions = useActionsStore();
    await actions.open(action);
    await actions.run();
    await flush();
    // The code's title, not the code itself ("stale-preflight").
    expect(wrapper.get('[data-testid="action-error"]').text()).toBe('The preflight expired: The topology changed since the preflight.');
    await wrapper.findAll('button').find((button) => button.text() === 'Preflight again')?.trigger('click');
    await flush();
    expect(bridge.callsTo('actions.preflight')).toHaveLength(2);
    expect(actions.state).toBe('ready');
    wrapper.unmount();
  });

  it('drops a preflight answer that arrives after the card was closed', async () => {
    const actions = useActionsStore();
    const opening = actions.open(action);
    actions.close();
    bridge.callsTo('actions.preflight')[0]?.resolve({ ok: true, data: preflight() });
    await opening;
    expect(actions.state).toBe('idle');
    expect(actions.preflight).toBeNull();
  });
});

describe('controls panel', () => {
  it('monitor-only: every control is visibly disabled with the reason', async () => {
    setup(syntheticSession({ sessionId: 's1', environment: 'prod', safetyMode: 'monitor-only' }));
    const wrapper = mount(ControlsPanel, { props: { node: replica } });
    await flush();
    const reasons = wrapper.findAll('[data-testid="disabled-reason"]');
    expect(reasons).toHaveLength(5);
    for (const reason of reasons) expect(reason.text()).toContain('monitor-only');
    for (const button of wrapper.findAll('button')) {
      expect(button.attributes('disabled')).toBeDefined();
      expect(button.attributes('aria-describedby')).toMatch(/^reason-/);
    }
    await wrapper.findAll('button')[0]?.trigger('click');
    expect(bridge.callsTo('actions.preflight')).toHaveLength(0);
  });

  it('ops: an enabled control opens the preflight with the chosen parameters', async () => {
    const wrapper = mount(ControlsPanel, { props: { node: replica } });
    await flush();
    const disconnect = wrapper.get('[data-testid="control-disconnect-link"]');
    await disconnect.get('select').setValue('replica');
    await disconnect.get('button').trigger('click');
    await flush();
    expect(bridge.callsTo('actions.preflight').map((call) => call.payload)).toEqual([{ kind: 'disconnect-link', sessionId: 's1', replicaId: replica.id, side: 'replica' }]);
    const promote = wrapper.get('[data-testid="control-promote"]');
    expect(promote.find('[data-testid="disabled-reason"]').exists()).toBe(false);
  });

  it('set backlog size validates the size before it can be preflighted', async () => {
    const wrapper = mount(ControlsPanel, { props: { node: replica } });
    await flush();
    const control = wrapper.get('[data-testid="control-set-backlog-size"]');
    await control.get('input').setValue('8kb');
    expect(control.get('button').attributes('disabled')).toBeDefined();
    await control.get('input').setValue('4mb');
    await control.get('button').trigger('click');
    await flush();
    expect(bridge.callsTo('actions.preflight').at(-1)?.payload).toEqual({ kind: 'set-backlog-size', sessionId: 's1', nodeId: replica.id, bytes: 4 * 1024 * 1024 });
  });
});
