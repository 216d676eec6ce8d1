/**
 * SettledRoleChanges.promotionAt / promotionWithReplid: a promoted node's
 * drop of its replicas comes after the poll before the one that found the
 * promotion (it was still a replica then), so an event from before that poll
 * is not the promotion's; and a replid change is "its master X was
 * promoted" only when X is the node's link master (the detector passes it).
 */
import { describe, expect, it } from 'vitest';
import { SettledRoleChanges } from '../../main/console/monitor/role-verdict-hold';
import type { AttributedRoleChange } from '../../main/console/monitor/role-attribution';
import { syntheticNode } from '../../renderer/test-support/synthetic-topology';

const A = '127.0.0.1:7501';
const B = '127.0.0.1:7502';
const C = '127.0.0.1:7503';
const T = 2_000_000;
const REPLID = 'b'.repeat(40);

function settled(): SettledRoleChanges {
  const roles = new SettledRoleChanges();
  const promoted: AttributedRoleChange = {
    change: {
      kind: 'promotion', node: syntheticNode(B, { role: 'master', replid: REPLID }), before: syntheticNode(B, { role: 'replica', masterHost: '127.0.0.1', masterPort: 7501 }),
      detectedAt: T, lastOldRolePoll: 1, previousPollAt: T - 500, restarted: false,
    },
    cause: 'sentinel-failover', attribution: 'sentinel', evidence: '+promoted-slave', trigger: 'SENTINEL FAILOVER',
  };
  roles.note(promoted);
  return roles;
}

describe('a promotion explains its replicas\' link-downs and new replid only in its own window', () => {
  it('takes events after the previous poll up to 5 s after detection, not earlier ones', () => {
    const roles = settled();
    expect(roles.promotionAt(B, T - 3_000)).toBeNull();
    expect(roles.promotionAt(B, T - 501)).toBeNull();
    expect(roles.promotionAt(B, T - 200)).not.toBeNull();
    expect(roles.promotionAt(B, T + 4_000)).not.toBeNull();
    expect(roles.promotionAt(B, T + 6_000)).toBeNull();
  });

  it('puts a new replid down to the promotion only for a replica whose link master is the promoted node', () => {
    const roles = settled();
    expect(roles.promotionWithReplid(REPLID, B, T + 100)?.change.node.id).toBe(B);
    // A sub-sub-replica whose link master is C (itself a replica of B): not "its master B was promoted".
    expect(roles.promotionWithReplid(REPLID, C, T + 100)).toBeNull();
    expect(roles.promotionWithReplid('c'.repeat(40), B, T + 100)).toBeNull();
    expect(roles.promotionWithReplid(REPLID, A, T - 3_000)).toBeNull();
  });
});
