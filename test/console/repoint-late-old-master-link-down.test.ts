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
 * action's, nor is a link-down from any other master once a cut's link is
 * back: one of a REPLICAOF someone typed after a Disconnect link, the new
 * link of a later Re-point replica (an older cut of the replica never claims
 * it), or the old master's link again after Re-point A -> B -> A.
 */
import { describe, expect, it } from 'vitest';
import { EventDetector } from '../../main/console/monitor/event-detector';
import { OLD_LINK_CLOSE_LATE_MS } from '../../main/console/monitor/own-cuts';
import type { EngineEvent } from '../../shared/contract/engine-events';
import type { ReplicationEvent } from '../../shared/contract/events';
import type { TopologySnapshot } from '../../shared/contract/snapshots';
import { syntheticLink, syntheticNode } from '../../renderer/test-support/synthetic-topology';

const A = '127.0.0.1:7301';
const B = '127.0.0.1:7302';
const R = '127.0.0.1:7303';
const C = '127.0.0.1:7304';
const T0 = 1_000_000;
const REPLID = 'a'.repeat(40);

/** The topology the console saw when the action was noted: B follows A, R follows `master`, C is a master of its own. */
const topology = (time: number, master: string): TopologySnapshot => ({
  sessionId: 's', kind: 'standalone', time, pollIntervalMs: 250, outageSeconds: 60, groups: [], splitBrains: [],
  nodes: [
    syntheticNode(A, { embedded: true }), syntheticNode(B, { role: 'replica', masterHost: '127.0.0.1', masterPort: 7301, embedded: true }),
    syntheticNode(R, { role: 'replica', masterHost: '127.0.0.1', masterPort: Number(master.split(':')[1]), embedded: true }), syntheticNode(C, { embedded: true }),
  ],
  links: [syntheticLink(A, B), syntheticLink(master, R)],
});

const replicaSideDown: EngineEvent = { type: 'link-down', time: T0 + 5, nodeId: R, side: 'replica', peerId: A, reason: 'replicaof-changed', detail: 'REPLICAOF 127.0.0.1 7302', offset: 0 };
const oldMasterSideDown = (time: number): EngineEvent => ({ type: 'link-down', time, nodeId: A, side: 'master', peerId: R, reason: 'connection-closed', detail: 'replica connection closed', offset: 0, acknowledged: true });
const continued: EngineEvent = {
  type: 'psync-decision', time: T0 + 20, nodeId: B, replicaId: R, requestedReplid: REPLID, requestedOffset: 1, decision: 'continue', reason: 'accepted',
  replid: REPLID, replid2: '0'.repeat(40), secondReplOffset: -1, backlogFirstByte: 1, masterReplOffset: 0, backlogBytesSent: 0,
};
const linkUp: EngineEvent = { type: 'link-up', time: T0 + 25, nodeId: R, side: 'replica', peerId: B, offset: 0, partial: true };

/** Feeds the detector the engines' events, and this console's actions where they come. */
function detected(steps: ReadonlyArray<EngineEvent | ((detector: EventDetector) => void)>): ReplicationEvent[] {
  const shown: ReplicationEvent[] = [];
  const detector = new EventDetector({ sessionId: 's', embedded: true, client: () => undefined, sentinel: () => null, cluster: () => false, record: (event) => shown.push(event) });
  for (const step of steps) {
    if (typeof step === 'function') step(detector);
    else detector.onEngineEvent(step);
  }
  return shown;
}

const repoint = (time: number, from: string, to: string) => (detector: EventDetector) =>
  detector.noteAction({ sessionId: 's', kind: 'repoint', replicaId: R, masterId: to }, topology(time - 100, from), 'the ACL user "default"', time);
const disconnect = (time: number) => (detector: EventDetector) =>
  detector.noteAction({ sessionId: 's', kind: 'disconnect-link', replicaId: R, side: 'replica' }, topology(time - 100, A), 'the ACL user "default"', time);

function repointed(events: readonly EngineEvent[]): ReplicationEvent[] {
  return detected([repoint(T0, A, B), ...events]);
}

/** The engines' events of R's link from `master`: its side of a close, the master's, the master continuing R, R's link-up. */
const replicaDown = (time: number, master: string, reason: 'replicaof-changed' | 'killed', detail: string): EngineEvent => ({ type: 'link-down', time, nodeId: R, side: 'replica', peerId: master, reason, detail, offset: 0 });
const masterDown = (time: number, master: string): EngineEvent => ({ type: 'link-down', time, nodeId: master, side: 'master', peerId: R, reason: 'connection-closed', detail: 'replica connection closed', offset: 0, acknowledged: true });
const continuedBy = (time: number, master: string): EngineEvent => ({ ...continued, time, nodeId: master } as EngineEvent);
const upWith = (time: number, master: string): EngineEvent => ({ type: 'link-up', time, nodeId: R, side: 'replica', peerId: master, offset: 0, partial: true });

/** The link-down is filed as the engine reported it: closed by the other end, put down to nobody. */
function expectNotAnAction(down: ReplicationEvent | undefined): void {
  expect(down).toBeDefined();
  expect(down!.cause, down!.message).toBe('peer-closed');
  expect(down!.numbers.attribution, down!.message).toBeUndefined();
  expect(down!.message).not.toContain('this console\'s');
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

  it('a link-down from another master after a Disconnect link came back is not the action\'s (REPLICAOF typed meanwhile)', () => {
    const shown = detected([
      disconnect(T0),
      replicaDown(T0 + 5, A, 'killed', 'CLIENT KILL'), masterDown(T0 + 6, A), continuedBy(T0 + 20, A), upWith(T0 + 25, A),
      // Someone types REPLICAOF C on R; later its link with C drops.
      replicaDown(T0 + 5_000, A, 'replicaof-changed', 'REPLICAOF 127.0.0.1 7304'), continuedBy(T0 + 5_020, C), upWith(T0 + 5_025, C),
      masterDown(T0 + 10_000, C),
    ]);
    const [down, ...more] = linkDowns(shown, C);
    expect(more).toHaveLength(0);
    expectNotAnAction(down);
  });

  it('an older Disconnect link does not claim the link-down of a later Re-point replica\'s new link', () => {
    const shown = detected([
      disconnect(T0),
      replicaDown(T0 + 5, A, 'killed', 'CLIENT KILL'), masterDown(T0 + 6, A), continuedBy(T0 + 20, A), upWith(T0 + 25, A),
      repoint(T0 + 3_000, A, B),
      replicaDown(T0 + 3_005, A, 'replicaof-changed', 'REPLICAOF 127.0.0.1 7302'), continuedBy(T0 + 3_020, B), upWith(T0 + 3_025, B), masterDown(T0 + 3_030, A),
      masterDown(T0 + 10_000, B),
    ]);
    // The second action's close of the link with A: R's side (T0 + 3005) and A's (T0 + 3030), both the re-point's.
    const secondCut = linkDowns(shown, A).filter((event) => event.time >= T0 + 3_000);
    expect(secondCut.map((event) => event.time)).toEqual([T0 + 3_005, T0 + 3_030]);
    for (const down of secondCut) expect(down.message).toContain(`this console's Re-point replica of ${R} to ${B}`);
    const [down, ...more] = linkDowns(shown, B);
    expect(more).toHaveLength(0);
    expectNotAnAction(down);
  });

  it('after Re-point A -> B then B -> A, the late close of B is the second action\'s and the A link dropping later is nobody\'s', () => {
    const shown = detected([
      repoint(T0, A, B),
      replicaDown(T0 + 5, A, 'replicaof-changed', 'REPLICAOF 127.0.0.1 7302'), continuedBy(T0 + 20, B), upWith(T0 + 25, B), masterDown(T0 + 30, A),
      repoint(T0 + 3_000, B, A),
      replicaDown(T0 + 3_005, B, 'replicaof-changed', 'REPLICAOF 127.0.0.1 7301'), continuedBy(T0 + 3_020, A), upWith(T0 + 3_025, A), masterDown(T0 + 3_030, B),
      masterDown(T0 + 10_000, A),
    ]);
    const fromB = linkDowns(shown, B);
    expect(fromB).toHaveLength(2);
    for (const down of fromB) {
      expect(down.cause, down.message).toBe('manual');
      expect(down.message).toContain(`this console's Re-point replica of ${R} to ${A}`);
    }
    const fromA = linkDowns(shown, A);
    expect(fromA).toHaveLength(3);
    for (const down of fromA.slice(0, 2)) expect(down.message).toContain(`this console's Re-point replica of ${R} to ${B}`);
    expectNotAnAction(fromA[2]);
  });

  // The edge, by the engines' clocks: the old master's close reported after the link came back is the
  // action's up to OLD_LINK_CLOSE_LATE_MS after the cut's first link-down (R's side, at T0 + 5), not a millisecond later.
  it('the old master\'s close filed after the link came back is the action\'s at OLD_LINK_CLOSE_LATE_MS after the cut, and not 1 ms later', () => {
    const atEdge = linkDowns(repointed([replicaSideDown, continued, linkUp, oldMasterSideDown(replicaSideDown.time + OLD_LINK_CLOSE_LATE_MS)]), A);
    expect(atEdge.map((event) => event.time)).toEqual([replicaSideDown.time, replicaSideDown.time + OLD_LINK_CLOSE_LATE_MS]);
    for (const down of atEdge) {
      expect(down.cause, down.message).toBe('manual');
      expect(down.message).toContain(`this console's Re-point replica of ${R} to ${B}`);
    }
    const pastEdge = linkDowns(repointed([replicaSideDown, continued, linkUp, oldMasterSideDown(replicaSideDown.time + OLD_LINK_CLOSE_LATE_MS + 1)]), A);
    expect(pastEdge.map((event) => event.time)).toEqual([replicaSideDown.time, replicaSideDown.time + OLD_LINK_CLOSE_LATE_MS + 1]);
    expect(pastEdge[0]!.cause, pastEdge[0]!.message).toBe('manual');
    expectNotAnAction(pastEdge[1]);
  });

  it('the old master\'s link dropping long after the re-point is not the action\'s', () => {
    // Someone re-points R back to A by hand 10 s later (A continues it), and that link drops.
    const shown = repointed([
      replicaSideDown, continued, linkUp, oldMasterSideDown(T0 + 30),
      replicaDown(T0 + 10_000, B, 'replicaof-changed', 'REPLICAOF 127.0.0.1 7301'), continuedBy(T0 + 10_020, A), upWith(T0 + 10_025, A),
      masterDown(T0 + 12_000, A),
    ]);
    const fromA = linkDowns(shown, A);
    expect(fromA).toHaveLength(3);
    for (const down of fromA.slice(0, 2)) expect(down.cause, down.message).toBe('manual');
    expectNotAnAction(fromA[2]);
  });
});
