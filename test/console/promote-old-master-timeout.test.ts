/**
 * Promote's result when the watch ends before the old master's resync was
 * seen in the new master's counters: "its resync not finished" only while
 * the old master's link to the new one is not online; an online link did
 * finish its sync, only its count was not seen.
 */
import { describe, expect, it } from 'vitest';
import { oldMasterAtTimeout } from '../../main/console/service/action-observer';
import type { LinkSnapshot, TopologySnapshot } from '../../shared/contract/snapshots';
import { syntheticLink, syntheticNode } from '../../renderer/test-support/synthetic-topology';

const OLD = '127.0.0.1:7701';
const NEW = '127.0.0.1:7702';

const now = (state: LinkSnapshot['state']): TopologySnapshot => ({
  sessionId: 's', kind: 'standalone', time: 1_000, pollIntervalMs: 250, outageSeconds: 60, groups: [], splitBrains: [],
  nodes: [syntheticNode(NEW, { role: 'master' }), syntheticNode(OLD, { role: 'replica', masterHost: '127.0.0.1', masterPort: 7702 })],
  links: [syntheticLink(NEW, OLD, { state })],
});

describe('the old master at the end of a promotion\'s watch', () => {
  it('is "not finished" while its link is syncing', () => {
    expect(oldMasterAtTimeout(now('syncing'), OLD, NEW)).toContain(`${OLD} follows it (its replica, link syncing), its resync not finished`);
  });

  it('with its link online: its resync was not seen in the new master\'s counters, not "not finished"', () => {
    const message = oldMasterAtTimeout(now('online'), OLD, NEW);
    expect(message).toContain(`${OLD} follows it (its replica, link online)`);
    expect(message).not.toContain('not finished');
    expect(message).toContain(`its resync was not seen in ${NEW}'s counters`);
  });
});
