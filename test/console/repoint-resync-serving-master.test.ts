/**
 * Which resync is a re-point's (replica-repoints.ts), told by the master
 * that served it. Nodes answer a poll in any order: within one poll the
 * re-pointed replica R can answer still following A, then REPLICAOF B runs
 * on R, B continues R within milliseconds, and B's answer in the same poll
 * counts that partial resync (sync_partial_ok +1). That resync is recorded
 * with the time of a poll that showed R on A, and the re-point is seen the
 * poll after. A later resync of R from B (its link blipping 5 s on) was
 * then filed "it continued after" the REPLICAOF: the re-point's resync is
 * the first one from the new master since R's last answer on the old one.
 * A resync from the old master (a Disconnect link just before the
 * REPLICAOF, counted by the last poll that showed it) never takes its place.
 * The detector's wiring is used as it is: resyncs noted as they go to the
 * timeline (RecordedResyncs), re-point events explained against them.
 */
import { describe, expect, it } from 'vitest';
import { RecordedResyncs } from '../../main/console/monitor/recorded-resyncs';
import { ReplicaRepoints, type Repoint } from '../../main/console/monitor/replica-repoints';
import type { ReplicationEvent } from '../../shared/contract/events';

const A = '127.0.0.1:7651';
const B = '127.0.0.1:7652';
const R = '127.0.0.1:7653';
/** R's answer in poll P (still on A); P's snapshot time; the poll after P, which shows R on B. */
const LAST_OLD_AT = 1_000_000;
const POLL_P = LAST_OLD_AT + 40;
const DETECTED = POLL_P + 500;

const repoint = (to: string, fromAddress = A): Repoint => ({
  replicaId: R, fromId: A, toId: to, fromAddress, toAddress: to, sameNode: to === A,
  lastOldAt: LAST_OLD_AT, lastOldPoll: 7, lastOldPollAt: POLL_P, detectedAt: DETECTED,
});

const resync = (time: number, master: string): ReplicationEvent => ({
  id: `${time}`, time, sessionId: 's', kind: 'partial-resync', nodeId: R, peerId: master, cause: 'unknown', inferred: true,
  message: `${master} accepted a partial resync from ${R}`, numbers: {},
});

/** The events as the detector files them: each explained by the re-point when it is its, then noted. */
function filed(seen: Repoint, before: readonly ReplicationEvent[], after: readonly ReplicationEvent[]): ReplicationEvent[] {
  const recorded = new RecordedResyncs();
  const repoints = new ReplicaRepoints();
  const shown: ReplicationEvent[] = [];
  const pass = (event: ReplicationEvent): void => {
    const explained = repoints.explain(event, (replicaId, masterId, time) => recorded.resyncedFromSince(replicaId, masterId, time));
    recorded.note(explained);
    shown.push(explained);
  };
  for (const event of before) pass(event);
  repoints.note(seen, { by: 'command', counted: ['REPLICAOF ×1'] });
  for (const event of after) pass(event);
  return shown;
}

describe('a re-point\'s resync, told by the master that served it', () => {
  it('the re-point\'s own resync counted in the poll that still showed the old master: a later resync from the new master is not the re-point\'s', () => {
    const [own, blip] = filed(repoint(B), [resync(POLL_P, B)], [resync(DETECTED + 5_000, B)]);
    expect(own!.cause).toBe('unknown');
    expect(blip!.cause, blip!.message).toBe('unknown');
    expect(blip!.numbers.attribution).toBeUndefined();
    expect(blip!.message).not.toContain('continued after');
  });

  it('an earlier resync from the old master counted by that poll: the first resync from the new master is the re-point\'s', () => {
    const [earlier, own, blip] = filed(repoint(B), [resync(POLL_P, A)], [resync(DETECTED, B), resync(DETECTED + 5_000, B)]);
    expect(earlier!.cause).toBe('unknown');
    expect(own!.cause, own!.message).toBe('operator-command');
    expect(own!.message).toContain(`it continued after ${R} was re-pointed from ${A} to ${B}`);
    expect(own!.numbers).toMatchObject({ attribution: 'operator', repointedFrom: A, repointedTo: B });
    expect(blip!.cause, blip!.message).toBe('unknown');
  });

  it('the same master under another address: a resync counted by the last poll on the old address is before the re-point', () => {
    const sameNode = repoint(A, `localhost:${A.split(':')[1]}`);
    const [earlier, own] = filed(sameNode, [resync(POLL_P, A)], [resync(DETECTED, A)]);
    expect(earlier!.cause).toBe('unknown');
    expect(own!.cause, own!.message).toBe('operator-command');
    expect(own!.message).toContain('re-pointed to its own master');
  });
});
