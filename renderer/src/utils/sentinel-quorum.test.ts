import { describe, expect, it } from 'vitest';
import type { SentinelGroup } from '../api/contract';
import { frameHealthLabel, quorumBadge, quorumLabel } from './sentinel-quorum';

const sentinel = (id: string, quorum: number | null) => ({ id, health: 'up' as const, subscribed: true, masterView: '127.0.0.1:6379', masterFlags: 'master', configEpoch: 0, quorum, quorumCheck: null, quorumOk: null, lastSdown: null });
const group = (quorums: Array<number | null>): SentinelGroup => ({
  kind: 'sentinel', name: 'mymaster', masterId: '127.0.0.1:6379', quorum: quorums[0] ?? 2, quorumOk: true, quorumDetail: 'OK', downAfterMs: 3000, failoverTimeoutMs: 5000, flags: 'master', replicas: [],
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

const OK_TWO = 'OK 2 usable Sentinels. Quorum and failover authorization can be reached';
const NOQUORUM_TWO = 'NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master';

describe('a Sentinel group\'s quorum badge, from each Sentinel\'s CKQUORUM', () => {
  const checked = (answers: Array<string | null>): SentinelGroup => {
    const base = group(answers.map(() => 2));
    return { ...base, sentinels: base.sentinels.map((sentinel, index) => ({ ...sentinel, quorumCheck: answers[index] ?? null, quorumOk: answers[index] === null || answers[index] === undefined ? null : answers[index]!.startsWith('OK') })) };
  };
  it('OK only when every Sentinel that answered says OK; one that did not answer is not counted but said', () => {
    expect(quorumBadge(checked([OK_TWO, OK_TWO, null]))).toMatchObject({ level: 'ok', label: 'quorum OK', refusing: [], title: 'SENTINEL CKQUORUM OK on each of the 2 Sentinels that answered; 1 of 3 did not answer (not counted)' });
    expect(quorumBadge(checked([OK_TWO, NOQUORUM_TWO, null]))).toMatchObject({ level: 'warn', label: 'quorum split', refusing: [{ id: '127.0.0.1:26371', text: NOQUORUM_TWO }] });
    expect(quorumBadge(checked([NOQUORUM_TWO, NOQUORUM_TWO, null]))).toMatchObject({ level: 'critical', label: 'no quorum' });
  });
  it('a group recorded before per-Sentinel checks keeps its single verdict', () => {
    expect(quorumBadge({ ...group([2]), quorumOk: false, quorumDetail: NOQUORUM_TWO })).toMatchObject({ level: 'critical', label: 'no quorum', title: NOQUORUM_TWO });
    expect(quorumBadge({ ...group([2]), quorumOk: null })).toMatchObject({ level: 'unknown', label: 'quorum ?' });
  });
});
