import { describe, expect, it } from 'vitest';
import type { BacklogSnapshot } from '../api/contract';
import { syntheticLink } from '../../test-support/synthetic-topology';
import { recommendBacklogBytes } from '../../../shared/contract/backlog-recommendation';
import { backlogGeometry, survivableOutageSeconds } from './backlog-geometry';

const KiB = 1024;
const MiB = 1024 * 1024;

/** A full 1 MiB backlog ending at offset 10 MiB. */
function fullBacklog(markers: { replicaId: string; offset: number }[]): BacklogSnapshot {
  const masterOffset = 10 * MiB;
  const firstByteOffset = masterOffset - MiB + 1;
  return {
    active: true,
    sizeBytes: MiB,
    histlenBytes: MiB,
    firstByteOffset,
    masterOffset,
    replicas: markers.map((marker) => ({ ...marker, ackOffset: marker.offset, offsetSource: 'replica' as const, headroomBytes: marker.offset - firstByteOffset + 1, insideWindow: marker.offset + 1 >= firstByteOffset })),
  };
}

describe('backlog window geometry', () => {
  it('places a caught-up replica at the right edge and one a full backlog behind at the left edge', () => {
    const backlog = fullBacklog([
      { replicaId: 'current', offset: 10 * MiB },
      { replicaId: 'oldest', offset: 9 * MiB },
      { replicaId: 'middle', offset: 10 * MiB - 256 * KiB },
    ]);
    const geometry = backlogGeometry({ backlog, writeRateBytesPerSec: 64 * KiB, links: [], sampledAt: 0, now: 0 });
    const [current, oldest, middle] = geometry.markers;
    expect(current?.position).toBe(1);
    expect(oldest?.position).toBe(0);
    expect(oldest?.insideWindow).toBe(true); // offset + 1 === first byte: a PSYNC from here is still accepted
    expect(middle?.position).toBeCloseTo(0.75, 10);
    expect(geometry.filledFraction).toBe(1);
    expect(geometry.barStartOffset).toBe(9 * MiB);
  });

  it('headroom is size minus lag, in bytes and in seconds at the write rate', () => {
    const backlog = fullBacklog([{ replicaId: 'r', offset: 10 * MiB - 256 * KiB }]);
    const geometry = backlogGeometry({ backlog, writeRateBytesPerSec: 64 * KiB, links: [], sampledAt: 0, now: 0 });
    const marker = geometry.markers[0];
    expect(marker?.lagBytes).toBe(256 * KiB);
    expect(marker?.headroomBytes).toBe(768 * KiB);
    expect(marker?.headroomSeconds).toBe(12);
    expect(geometry.windowSeconds).toBe(16);
  });

  it('counts the unfilled part of a backlog that is still growing', () => {
    // 1 MiB backlog holding only 100 KiB: the first byte will not move until it is full.
    const backlog: BacklogSnapshot = { active: true, sizeBytes: MiB, histlenBytes: 100 * KiB, firstByteOffset: 1, masterOffset: 100 * KiB, replicas: [{ replicaId: 'r', offset: 50 * KiB, ackOffset: 50 * KiB, offsetSource: 'replica', headroomBytes: 50 * KiB, insideWindow: true }] };
    const geometry = backlogGeometry({ backlog, writeRateBytesPerSec: null, links: [], sampledAt: 0, now: 0 });
    expect(geometry.filledFraction).toBeCloseTo(100 / 1024, 10);
    expect(geometry.markers[0]?.headroomBytes).toBe(MiB - 50 * KiB);
    expect(geometry.markers[0]?.headroomSeconds).toBeNull();
    expect(geometry.windowSeconds).toBeNull();
  });

  it('a replica behind the first byte is outside: clamped to the left, no headroom, countdown zero', () => {
    const backlog = fullBacklog([{ replicaId: 'lost', offset: 9 * MiB - 1 }]);
    const link = syntheticLink('m', 'lost', { state: 'down', partialResyncCountdownSeconds: 30 });
    const geometry = backlogGeometry({ backlog, writeRateBytesPerSec: 64 * KiB, links: [link], sampledAt: 0, now: 0 });
    const marker = geometry.markers[0];
    expect(marker?.insideWindow).toBe(false);
    expect(marker?.outside).toBe('before-window');
    expect(marker?.position).toBe(0);
    expect(marker?.headroomBytes).toBe(0);
    expect(marker?.countdownSeconds).toBe(0);
  });

  it('counts a disconnected replica down between polls, from the console figure when given', () => {
    const backlog = fullBacklog([{ replicaId: 'r', offset: 10 * MiB - 512 * KiB }]);
    const fromConsole = syntheticLink('m', 'r', { state: 'down', partialResyncCountdownSeconds: 20 });
    const sampledAt = 1_000_000;
    const at = (now: number, link = fromConsole): number | null =>
      backlogGeometry({ backlog, writeRateBytesPerSec: 64 * KiB, links: [link], sampledAt, now }).markers[0]?.countdownSeconds ?? null;
    expect(at(sampledAt)).toBe(20);
    expect(at(sampledAt + 5_000)).toBe(15);
    expect(at(sampledAt + 60_000)).toBe(0);
    // Without a console figure: headroom / write rate = 512 KiB / 64 KiB/s = 8 s.
    const computed = syntheticLink('m', 'r', { state: 'down', partialResyncCountdownSeconds: null });
    expect(at(sampledAt + 2_000, computed)).toBe(6);
  });

  it('no countdown for connected replicas', () => {
    const backlog = fullBacklog([{ replicaId: 'r', offset: 10 * MiB }]);
    const geometry = backlogGeometry({ backlog, writeRateBytesPerSec: 1, links: [syntheticLink('m', 'r')], sampledAt: 0, now: 0 });
    expect(geometry.markers[0]?.countdownSeconds).toBeNull();
    expect(geometry.markers[0]?.linkState).toBe('online');
  });

  it('flags a replica ahead of the master (another history)', () => {
    const geometry = backlogGeometry({ backlog: fullBacklog([{ replicaId: 'r', offset: 11 * MiB }]), writeRateBytesPerSec: 1, links: [], sampledAt: 0, now: 0 });
    expect(geometry.markers[0]?.outside).toBe('ahead-of-master');
    expect(geometry.markers[0]?.position).toBe(1);
    expect(geometry.markers[0]?.insideWindow).toBe(false);
  });
});

describe('backlog size recommendation', () => {
  it('is peak rate x outage x 2, rounded up to whole MiB above 1 MiB', () => {
    // 100 KiB/s x 60 s x 2 = 11.72 MiB -> 12 MiB
    expect(recommendBacklogBytes(100 * KiB, 60)).toBe(12 * MiB);
  });
  it('rounds to 64 KiB below 1 MiB and never goes under 16 KiB', () => {
    expect(recommendBacklogBytes(1000, 10)).toBe(64 * KiB);
    expect(recommendBacklogBytes(0, 60)).toBe(16 * KiB);
  });
  it('says how long an outage a backlog survives', () => {
    expect(survivableOutageSeconds(MiB, 64 * KiB)).toBe(16);
    expect(survivableOutageSeconds(MiB, 0)).toBeNull();
  });
});
