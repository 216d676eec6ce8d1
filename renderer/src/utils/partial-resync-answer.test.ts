import { describe, expect, it } from 'vitest';
import type { BacklogSnapshot } from '../api/contract';
import { syntheticLink } from '../../test-support/synthetic-topology';
import { backlogGeometry } from './backlog-geometry';
import { partialResyncAnswer } from './partial-resync-answer';

const MiB = 1024 * 1024;
const T = 1_700_000_000_000;

/** A master's backlog holding one replica its master dropped, marked at its last ACK with the most it can have. */
function droppedMarker(backlog: Omit<BacklogSnapshot, 'replicas'>, lastAck: number, mostOffset: number, countdownSeconds: number | null, elapsedMs = 0, processLost?: string) {
  const geometry = backlogGeometry({
    backlog: { ...backlog, replicas: [{ replicaId: 'r:1', offset: lastAck, ackOffset: lastAck, offsetSource: 'ack', headroomBytes: 0, insideWindow: false, dropped: { lastListedAt: T - 5_000, mostOffset, ...(processLost === undefined ? {} : { processLost }) } }] },
    writeRateBytesPerSec: 1024,
    links: [syntheticLink('m:1', 'r:1', { state: 'down', partialResyncPossible: null, partialResyncCountdownSeconds: countdownSeconds })],
    sampledAt: T,
    now: T + elapsedMs,
  });
  return geometry.markers[0]!;
}

describe('partial resync answer for a replica its master dropped, its last ACK not before the window', () => {
  it('the master holds no backlog (repl_backlog_active:0, first byte 0): not possible, and not for an ACK that left', () => {
    // As INFO reads once the backlog is freed: repl_backlog_active:0, repl_backlog_first_byte_offset:0, histlen 0.
    const marker = droppedMarker({ active: false, sizeBytes: MiB, histlenBytes: 0, firstByteOffset: 0, masterOffset: 5 * MiB }, 5 * MiB - 2048, 5 * MiB, null);
    expect(marker.outside).toBeNull();
    expect(marker.countdownSeconds).toBe(0);
    expect(marker.dropped?.mostInWindow).toBe(false);
    const answer = partialResyncAnswer(marker);
    expect(answer.possible).toBe(false);
    expect(answer.text).toBe('not possible: dropped by its master, whose backlog is not active; the next sync is a full resync');
  });

  it('the same without a countdown (no down link to count): still not possible, never "possible … still inside"', () => {
    const answer = partialResyncAnswer({ outside: null, insideWindow: false, linkState: null, countdownSeconds: null, reconnectPositionUnknown: false, dropped: { lastListedAt: T - 5_000, mostOffset: 5 * MiB, mostInWindow: false, processLost: null } });
    expect(answer.possible).toBe(false);
    expect(answer.text).toMatch(/whose backlog is not active; the next sync is a full resync$/);
  });

  it('inside when sampled, the countdown since run out: not known, by the estimate, not "left the backlog" as seen', () => {
    const backlog = { active: true, sizeBytes: MiB, histlenBytes: MiB, firstByteOffset: 9 * MiB + 1, masterOffset: 10 * MiB };
    const marker = droppedMarker(backlog, 9 * MiB + 100, 10 * MiB, 3, 4_000);
    expect(marker.outside).toBeNull();
    expect(marker.insideWindow).toBe(true);
    expect(marker.countdownSeconds).toBe(0);
    const answer = partialResyncAnswer(marker);
    expect(answer.possible).toBeNull();
    expect(answer.text).toBe(`not known: dropped by its master; by the master's write rate its last ACK has left the backlog by now (inside when last sampled), and woken it may have applied up to offset ${10 * MiB}`);
    // Before the countdown runs out: possible.
    expect(partialResyncAnswer(droppedMarker(backlog, 9 * MiB + 100, 10 * MiB, 3, 1_000))).toEqual({ possible: true, text: 'possible (dropped by its master; its last ACK is still inside the backlog, and it can only be further on)' });
  });

  it('its process may be gone (its address refuses connections): not known, though its last ACK is inside; a full resync stays certain where it was', () => {
    const backlog = { active: true, sizeBytes: MiB, histlenBytes: MiB, firstByteOffset: 9 * MiB + 1, masterOffset: 10 * MiB };
    const refused = 'its address refuses connections (ECONNREFUSED) since its last answer';
    const answer = partialResyncAnswer(droppedMarker(backlog, 9 * MiB + 100, 10 * MiB, 3, 1_000, refused));
    expect(answer.possible).toBeNull();
    expect(answer.text).toContain(refused);
    // Even the most it can have received left the backlog: an RDB holds no more, so still not possible.
    expect(partialResyncAnswer(droppedMarker(backlog, 8 * MiB, 9 * MiB - 10, 3, 1_000, refused)).possible).toBe(false);
  });
});
