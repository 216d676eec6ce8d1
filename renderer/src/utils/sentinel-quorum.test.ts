import { describe, expect, it } from 'vitest';
import type { SentinelGroup } from '../api/contract';
import { frameHealthLabel, quorumLabel } from './sentinel-quorum';

const sentinel = (id: string, quorum: number | null) => ({ id, health: 'up' as const, subscribed: true, masterView: '127.0.0.1:6379', masterFlags: 'master', configEpoch: 0, quorum, lastSdown: null });
const group = (quorums: Array<number | null>): SentinelGroup => ({
  kind: 'sentinel', name: 'mymaster', masterId: '127.0.0.1:6379', quorum: quorums[0] ?? 2, quorumOk: true, quorumDetail: 'OK', downAfterMs: 3000, failoverTimeoutMs: 5000, flags: 'master',
  sentinels: quorums.map((quorum, index) => sentinel(`127.0.0.1:2637${index}`, quorum)),
}) as SentinelGroup;

describe('a Sentinel group\'s quorum label', () => {
  it('one number when the Sentinels agree (or did not answer), the range when they do not', () => {
    expect(quorumLabel(group([2, 2, 2]))).toBe('quorum 2');
    expect(quorumLabel(group([2, null, 2]))).toBe('quorum 2');
    expect(quorumLabel(group([3, 2, 2]))).toBe('quorum 2–3 (Sentinels disagree)');
    expect(frameHealthLabel(group([2, 2, 2]), 3)).toEqual({ text: '3/3 sentinels up · quorum 2', title: null });
    expect(frameHealthLabel(group([3, 2, 2]), 2).text).toBe('2/3 up · quorum 2–3 (differ)');
  });
});
