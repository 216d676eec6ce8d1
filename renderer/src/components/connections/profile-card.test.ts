import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeBridge, flush } from '../../../test-support/fake-bridge';
import { syntheticSession } from '../../../test-support/synthetic-topology';
import type { ConnectionProfile } from '../../api/contract';
import { useBridgeStore } from '../../stores/bridge';
import { useNotificationsStore } from '../../stores/notifications';
import ProfileCard from './ProfileCard.vue';

let bridge: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  bridge = new FakeBridge();
  useBridgeStore().install(bridge);
});

function profile(id: string, name: string): ConnectionProfile {
  return {
    id, name, kind: 'standalone', seeds: [{ host: '10.0.0.1', port: 6379 }], environment: 'staging', safetyMode: 'monitor-only',
    secrets: { password: false, sentinelPassword: false, sshPassword: false, sshKeyPassphrase: false }, createdAt: 0, updatedAt: 0,
  };
}

describe('ProfileCard', () => {
  it('a profile that is connecting leaves the other profiles\' Connect buttons usable', async () => {
    const slow = mount(ProfileCard, { props: { profile: profile('p1', 'slow') } });
    const other = mount(ProfileCard, { props: { profile: profile('p2', 'other') } });
    await slow.get('[data-testid="profile-connect"]').trigger('click');
    await flush();
    expect(slow.get('[data-testid="profile-connect"]').text()).toBe('Connecting…');
    expect(slow.get('[data-testid="profile-connect"]').attributes('disabled')).toBeDefined();
    expect(other.get('[data-testid="profile-connect"]').text()).toBe('Connect');
    expect(other.get('[data-testid="profile-connect"]').attributes('disabled')).toBeUndefined();
    await other.get('[data-testid="profile-connect"]').trigger('click');
    await flush();
    expect(bridge.callsTo('sessions.connect').map((call) => call.payload)).toEqual([{ profileId: 'p1' }, { profileId: 'p2' }]);
    // The second answer arriving first does not end the first one's "Connecting…".
    bridge.callsTo('sessions.connect')[1]?.resolve({ ok: true, data: syntheticSession({ sessionId: 's2', profileId: 'p2', name: 'other' }) });
    await flush();
    expect(slow.get('[data-testid="profile-connect"]').text()).toBe('Connecting…');
  });

  it('a failed connect is explained on the card itself, not in a notification', async () => {
    bridge.fail('sessions.connect', 'auth-failed', 'could not connect to slow: the password was refused (WRONGPASS). Check the password in Edit.');
    const card = mount(ProfileCard, { props: { profile: profile('p1', 'slow') } });
    await card.get('[data-testid="profile-connect"]').trigger('click');
    await flush();
    expect(card.get('[data-testid="connect-failure"]').text()).toContain('the password was refused');
    expect(useNotificationsStore().notices).toEqual([]);
    // Trying again clears the old explanation while it runs.
    bridge.handlers.delete('sessions.connect');
    await card.get('[data-testid="profile-connect"]').trigger('click');
    await flush();
    expect(card.find('[data-testid="connect-failure"]').exists()).toBe(false);
  });
});
