/**
 * This console's Re-point replica of R from its master A to B, on the
 * demo's embedded engines: R reports its link-down (replica side,
 * "replicaof-changed") and its link-up with B, B its decision to continue
 * R (a partial resync), and A its side of the old link's close ("connection-
 * closed"). Each engine runs in a thread of its own, so the order in which
 * the console hears them is the threads' order: on a loaded machine A's
 * report came after B's partial resync and R's link-up (CI on
 * test/scenarios/demo-repoint-cause.test.ts: "link A -> R down (master
 * side: connection-closed; replica connection closed)" filed "peer-closed").
 * The engines' events are fed here in both orders, as they report them.
 * The link that came back (R from B) dropping again afterwards is not the
 * action's.
 */
import { describe, expect, it } from 'vitest';
import { EventDetector } from '../../main/console/monitor/event-detector';
import type { EngineEvent } from '../../shared/contract/engine-events';
import type { ReplicationEvent } from '../../shared/contract/events';
import type { TopologySnapshot } from '../../shared/contract/snapshots';
import { syntheticLink, syntheticNode } from '../../renderer/test-support/synthetic-topology';

const A = '127.0.0.1:7301';
const B = '127.0.0.1:7302';
const R = '127.0.0.1:7303';
const T0 = 1_000_000;
const REPLID = 'a'.repeat(40);

const before: TopologySnapshot = {
  sessionId: 's', kind: 'standalone', time: T0 - 100, pollIntervalMs: 250, outageSeconds: 60, groups: [], splitBrains: [],
  nodes: [syntheticNode(A, { embedded: true }), syntheticNode(B, { role: 'replica', masterHost: '127.0.0.1', masterPort: 7301, embedded: true }), syntheticNode(R, { role: 'replica', masterHost: '127.0.0.1', masterPort: 7301, embedded: true })],
  links: [syntheticLink(A, B), syntheticLink(A, R)],
};

const replicaSideDown: EngineEvent = { type: 'link-down', time: T0 + 5, nodeId: R, side: 'replica', peerId: A, reason: 'replicaof-changed', detail: 'REPLICAOF 127.0.0.1 7302', offset: 0 };
const oldMasterSideDown = (time: number): EngineEvent => ({ type: 'link-down', time, nodeId: A, side: 'master', peerId: R, reason: 'connection-closed', detail: 'replica connection closed', offset: 0, acknowledged: true });
const continued: EngineEvent = {
  type: 'psync-decision', time: T0 + 20, nodeId: B, replicaId: R, requestedReplid: REPLID, requestedOffset: 1, decision: 'continue', reason: 'accepted',
  replid: REPLID, replid2: '0'.repeat(40), secondReplOffset: -1, backlogFirstByte: 1, masterReplOffset: 0, backlogBytesSent: 0,
};
const linkUp: EngineEvent = { type: 'link-up', time: T0 + 25, nodeId: R, side: 'replica', peerId: B, offset: 0, partial: true };

function repointed(events: readonly EngineEvent[]): ReplicationEvent[] {
  const shown: ReplicationEvent[] = [];
  const detector = new EventDetector({ sessionId: 's', embedded: true, client: () => undefined, sentinel: () => null, cluster: () => false, record: (event) => shown.push(event) });
  detector.noteAction({ sessionId: 's', kind: 'repoint', replicaId: R, masterId: B }, before, 'the ACL user "default"', T0);
  for (const event of events) detector.onEngineEvent(event);
  return shown;
}

const linkDowns = (shown: readonly ReplicationEvent[], masterId: string) => shown.filter((event) => event.kind === 'link-down' && event.nodeId === R && event.peerId === masterId);

describe('the old master\'s side of a Re-point replica\'s link-down', () => {
  for (const [order, events] of [
    ['before the new master continued the replica', [replicaSideDown, oldMasterSideDown(T0 + 8), continued, linkUp]],
    ['after the new master continued the replica and its link came up', [replicaSideDown, continued, linkUp, oldMasterSideDown(T0 + 30)]],
  ] as const) {
    it(`is the action's when reported ${order}`, () => {
      const shown = repointed(events);
      const downs = linkDowns(shown, A);
      expect(downs).toHaveLength(2);
      for (const down of downs) {
        expect(down.cause, down.message).toBe('manual');
        expect(down.message).toContain(`this console's Re-point replica of ${R} to ${B}`);
      }
      const resync = shown.find((event) => event.kind === 'partial-resync' && event.nodeId === R)!;
      expect(resync.cause, resync.message).toBe('manual');
    });
  }

  it('the link that came back dropping again is not the action\'s', () => {
    const again: EngineEvent = { type: 'link-down', time: T0 + 2_000, nodeId: B, side: 'master', peerId: R, reason: 'connection-closed', detail: 'replica connection closed', offset: 0, acknowledged: true };
    const shown = repointed([replicaSideDown, continued, linkUp, oldMasterSideDown(T0 + 30), again]);
    const [down, ...more] = linkDowns(shown, B);
    expect(more).toHaveLength(0);
    expect(down!.cause, down!.message).toBe('peer-closed');
    expect(down!.numbers.attribution).toBeUndefined();
  });
});
