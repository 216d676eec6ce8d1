import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeBridge, flush } from '../../../test-support/fake-bridge';
import type { ConnectionProblem, TestConnectionResult } from '../../api/contract';
import { answeredByServer } from '../../api/contract';
import { useBridgeStore } from '../../stores/bridge';
import { useNotificationsStore } from '../../stores/notifications';
import ProfileForm from './ProfileForm.vue';

let bridge: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  bridge = new FakeBridge();
  useBridgeStore().install(bridge);
});

function failedTest(problem: ConnectionProblem): TestConnectionResult {
  return { reachable: answeredByServer(problem), message: `${problem.summary} ${problem.fix ?? ''}`.trim(), problem, role: null, version: null, latencyMs: null, capabilities: null };
}

const WRONG_PASSWORD: ConnectionProblem = {
  kind: 'wrong-password',
  summary: '10.0.0.1:6379 refused the ACL user "default" with this password (WRONGPASS): the password is wrong, or that user does not exist or is off.',
  fix: 'Check the user and password; ACL LIST on the server shows the users that exist and are on.',
  field: 'password',
  detail: 'WRONGPASS invalid username-password pair or user is disabled.',
};

async function fillValid(wrapper: ReturnType<typeof mount>): Promise<void> {
  await wrapper.get('[data-testid="profile-name"]').setValue('staging');
  await wrapper.get('[data-testid="profile-seeds"]').setValue('10.0.0.1:6379');
}

describe('ProfileForm', () => {
  it('a failed test is explained next to the field it concerns, and in the result line', async () => {
    bridge.answer('profiles.test', failedTest(WRONG_PASSWORD));
    const form = mount(ProfileForm, { props: { profile: null } });
    await fillValid(form);
    await form.get('[data-testid="profile-test"]').trigger('click');
    await flush();
    const note = form.get('[data-testid="profile-password-note"]');
    expect(note.text()).toBe(`${WRONG_PASSWORD.summary} ${WRONG_PASSWORD.fix}`);
    expect(form.get('[data-testid="profile-password"]').attributes('aria-describedby')).toBe('profile-password-note');
    const result = form.get('[data-testid="test-result"]').text();
    // The server answered: the headline says the credentials were refused, never "Not reachable.", and Redis's reply is shown.
    expect(form.get('[data-testid="test-headline"]').text()).toBe('Reachable, but the credentials were refused.');
    expect(result).not.toContain('Not reachable');
    expect(result).toContain('See Password above.');
    expect(form.get('[data-testid="test-server-reply"]').text()).toBe(`The server answered: ${WRONG_PASSWORD.detail}`);
    expect(useNotificationsStore().notices).toEqual([]);
    // Editing the draft clears the result: it no longer describes what is in the form.
    await form.get('[data-testid="profile-password"]').setValue('another');
    expect(form.find('[data-testid="test-result"]').exists()).toBe(false);
    expect(form.find('[data-testid="profile-password-note"]').exists()).toBe(false);
  });

  it('a missing CA file is said next to the CA file field, not as a notification behind the dialog', async () => {
    bridge.answer('profiles.test', failedTest({ kind: 'tls-file', summary: 'The CA file /etc/redis/ca.pem does not exist (on the machine the console runs on).', fix: 'Give the path of the CA file on the machine the console runs on (a PEM file).', field: 'tlsCaFile', detail: 'ENOENT' }));
    const form = mount(ProfileForm, { props: { profile: null } });
    await fillValid(form);
    await form.get('[data-testid="profile-tls"]').setValue(true);
    await form.get('[data-testid="profile-tls-ca"]').setValue('/etc/redis/ca.pem');
    await form.get('[data-testid="profile-test"]').trigger('click');
    await flush();
    expect(form.get('[data-testid="profile-tlsCaFile-note"]').text()).toContain('does not exist');
    expect(useNotificationsStore().notices).toEqual([]);
  });

  it('a test the console could not run at all is shown in the form too', async () => {
    bridge.fail('profiles.test', 'internal', 'the console stopped');
    const form = mount(ProfileForm, { props: { profile: null } });
    await fillValid(form);
    await form.get('[data-testid="profile-test"]').trigger('click');
    await flush();
    expect(form.get('[data-testid="test-result"]').text()).toContain('Internal error: the console stopped');
    expect(useNotificationsStore().notices).toEqual([]);
  });

  it('an old test result does not carry over into a new dialog', async () => {
    bridge.answer('profiles.test', failedTest(WRONG_PASSWORD));
    const first = mount(ProfileForm, { props: { profile: null } });
    await fillValid(first);
    await first.get('[data-testid="profile-test"]').trigger('click');
    await flush();
    expect(first.find('[data-testid="test-result"]').exists()).toBe(true);
    first.unmount();
    const second = mount(ProfileForm, { props: { profile: null } });
    await flush();
    expect(second.find('[data-testid="test-result"]').exists()).toBe(false);
    expect(second.find('[data-testid="profile-password-note"]').exists()).toBe(false);
  });

  it('a test answered after the form was edited is dropped', async () => {
    const form = mount(ProfileForm, { props: { profile: null } });
    await fillValid(form);
    await form.get('[data-testid="profile-test"]').trigger('click');
    await form.get('[data-testid="profile-password"]').setValue('typed meanwhile');
    bridge.callsTo('profiles.test')[0]?.resolve({ ok: true, data: failedTest(WRONG_PASSWORD) });
    await flush();
    expect(form.find('[data-testid="test-result"]').exists()).toBe(false);
    expect(form.get('[data-testid="profile-test"]').text()).toBe('Test connection');
  });

  it('limits are checked in the form: nothing is sent, the field says why', async () => {
    const form = mount(ProfileForm, { props: { profile: null } });
    await fillValid(form);
    await form.get('[data-testid="profile-name"]').setValue('n'.repeat(121));
    await form.get('form').trigger('submit');
    await flush();
    expect(bridge.callsTo('profiles.save')).toHaveLength(0);
    expect(form.get('[data-testid="profile-name-note"]').text()).toBe('The name is at most 120 characters (this one has 121).');
    expect(form.get('[data-testid="profile-name"]').attributes('aria-invalid')).toBe('true');
  });

  it('a refused save is shown above the buttons', async () => {
    bridge.fail('profiles.save', 'invalid-request', 'invalid payload for profiles.save: fields.name: too long');
    const form = mount(ProfileForm, { props: { profile: null } });
    await fillValid(form);
    await form.get('form').trigger('submit');
    await flush();
    expect(form.get('[data-testid="save-error"]').text()).toBe('Request refused: invalid payload for profiles.save: fields.name: too long');
    expect(useNotificationsStore().notices).toEqual([]);
  });

  it('choosing the Sentinel kind switches the untouched seed to 26379; an edited seed stays', async () => {
    const form = mount(ProfileForm, { props: { profile: null } });
    const seeds = form.get<HTMLTextAreaElement>('[data-testid="profile-seeds"]');
    expect(seeds.element.value).toBe('127.0.0.1:6379');
    await form.get('[data-testid="profile-kind"]').setValue('sentinel');
    await flush();
    expect(seeds.element.value).toBe('127.0.0.1:26379');
    await form.get('[data-testid="profile-kind"]').setValue('standalone');
    await flush();
    expect(seeds.element.value).toBe('127.0.0.1:6379');
    await seeds.setValue('10.1.2.3:6380');
    await form.get('[data-testid="profile-kind"]').setValue('sentinel');
    await flush();
    expect(seeds.element.value).toBe('10.1.2.3:6380');
  });
});
