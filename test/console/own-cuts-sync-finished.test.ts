/**
 * OwnCuts.syncFinished: the sync-finished that ends the full resync a Force
 * full resync asked for is the action's; not a second sync within the cut's
 * window, not one from a master other than the action's, not one before the
 * action's full resync was seen, and not one after a later chaos cut of the
 * same replica.
 */
import { describe, expect, it } from 'vitest';
import { OwnCuts } from '../../main/console/monitor/own-cuts';
import type { ReplicationEvent } from '../../shared/contract/events';

const M = '127.0.0.1:7401';
const OTHER = '127.0.0.1:7402';
const R = '127.0.0.1:7403';
const T0 = 1_000_000;

const event = (kind: 'full-resync' | 'sync-finished', time: number, peerId: string): ReplicationEvent => ({
  id: `${kind}-${time}`, time, sessionId: 's', kind, nodeId: R, peerId, cause: kind === 'full-resync' ? 'replid-mismatch' : 'unknown', inferred: false, message: kind, numbers: {},
});

function forced(): OwnCuts {
  const cuts = new OwnCuts();
  cuts.note({ replicaId: R, startedAt: T0, cause: 'manual', linkDownsUntil: T0 + 30_000, resyncUntil: T0 + 30_000, evidence: 'this console\'s Force full resync', action: 'force-full-resync', masterId: M });
  return cuts;
}

describe('OwnCuts.syncFinished', () => {
  it('puts down the first sync-finished from the action\'s master after its full resync, and only that one', () => {
    const cuts = forced();
    expect(cuts.fullResync(event('full-resync', T0 + 100, M)).numbers.attribution).toBe('operator');
    expect(cuts.syncFinished(event('sync-finished', T0 + 300, M)).cause).toBe('manual');
    expect(cuts.syncFinished(event('sync-finished', T0 + 9_000, M)).cause).toBe('unknown');
  });

  it('leaves a sync-finished from another master, or one before the action\'s full resync, unknown', () => {
    const cuts = forced();
    expect(cuts.syncFinished(event('sync-finished', T0 + 50, M)).cause).toBe('unknown');
    cuts.fullResync(event('full-resync', T0 + 100, M));
    expect(cuts.syncFinished(event('sync-finished', T0 + 300, OTHER)).cause).toBe('unknown');
    expect(cuts.syncFinished(event('sync-finished', T0 + 400, M)).cause).toBe('manual');
  });

  it('leaves the sync after a later chaos cut of the replica to the chaos', () => {
    const cuts = forced();
    cuts.fullResync(event('full-resync', T0 + 100, M));
    cuts.note({ replicaId: R, startedAt: T0 + 5_000, cause: 'chaos', linkDownsUntil: T0 + 8_000, resyncUntil: T0 + 20_000, evidence: 'the demo\'s chaos', action: null, masterId: M });
    expect(cuts.syncFinished(event('sync-finished', T0 + 10_000, M)).cause).toBe('unknown');
  });
});
