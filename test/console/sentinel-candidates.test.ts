/**
 * The rules by which Sentinel (sentinelSelectSlave, sentinel.c 7.0) skips a
 * replica, applied to its own view (SENTINEL REPLICAS): each rule at its
 * boundary, and a missing field giving an unknown reason, never a known one.
 */
import { describe, expect, it } from 'vitest';
import type { NodeSnapshot, SentinelGroup, SentinelReplicaView } from '../../shared/contract/snapshots';
import { sentinelCandidates, sentinelSkips } from '../../main/console/service/sentinel-candidates';

const DOWN_AFTER_MS = 1000;

function group(flags = 'master', replicas: SentinelReplicaView[] = [], sDownMs: number | null = null): SentinelGroup {
  return { kind: 'sentinel', name: 'g', masterId: 'm', quorum: 2, sentinels: [], quorumOk: true, quorumDetail: null, downAfterMs: DOWN_AFTER_MS, sDownMs, failoverTimeoutMs: 180_000, flags, replicas };
}

function replica(fields: Partial<SentinelReplicaView> = {}): SentinelReplicaView {
  return { id: '127.0.0.1:7001', flags: ['slave'], priority: 100, masterLinkDownMs: 0, infoRefreshMs: 500, lastOkPingMs: 200, ...fields };
}

describe('sentinelSkips', () => {
  it('may pick a replica whose fields are all within the rules', () => {
    expect(sentinelSkips(group(), replica())).toBeNull();
  });

  it.each(['s_down', 'o_down', 'disconnected'])('skips a replica Sentinel flags %s (known)', (flag) => {
    expect(sentinelSkips(group(), replica({ flags: ['slave', flag] }))).toEqual({ reason: `Sentinel flags it ${flag}`, known: true });
  });

  it('skips a replica that has not answered PING for over 5 ping periods, not one at exactly 5 s', () => {
    expect(sentinelSkips(group(), replica({ lastOkPingMs: 5000 }))).toBeNull();
    expect(sentinelSkips(group(), replica({ lastOkPingMs: 5001 }))).toMatchObject({ known: true });
    expect(sentinelSkips(group(), replica({ lastOkPingMs: null }))).toMatchObject({ known: false });
  });

  it('a field missing for one rule does not hide a skip another rule knows', () => {
    expect(sentinelSkips(group(), replica({ lastOkPingMs: null, priority: 0 }))).toEqual({ reason: 'Sentinel reads its replica-priority as 0', known: true });
    expect(sentinelSkips(group(), replica({ priority: null, flags: ['slave'], infoRefreshMs: 31_000 }))).toMatchObject({ known: true });
    expect(sentinelSkips(group(), replica({ infoRefreshMs: null, masterLinkDownMs: DOWN_AFTER_MS * 10 + 1 }))).toMatchObject({ reason: expect.stringContaining('its master link has been down'), known: true });
    // Nothing known against it: the first unknown reason, in the rules' order.
    expect(sentinelSkips(group(), replica({ lastOkPingMs: null, priority: null }))).toEqual({ reason: 'when it last answered Sentinel\'s PING is not known', known: false });
  });

  it('skips a replica at replica-priority 0 (known), not at 1; an unlisted priority is unknown', () => {
    expect(sentinelSkips(group(), replica({ priority: 1 }))).toBeNull();
    expect(sentinelSkips(group(), replica({ priority: 0 }))).toEqual({ reason: 'Sentinel reads its replica-priority as 0', known: true });
    expect(sentinelSkips(group(), replica({ priority: null }))).toMatchObject({ known: false });
  });

  it('skips a replica whose INFO is older than 3 info periods (30 s), 5 s once the master is s_down', () => {
    expect(sentinelSkips(group(), replica({ infoRefreshMs: 30_000 }))).toBeNull();
    expect(sentinelSkips(group(), replica({ infoRefreshMs: 30_001 }))).toMatchObject({ known: true });
    expect(sentinelSkips(group('master,s_down', [], 0), replica({ infoRefreshMs: 5000 }))).toBeNull();
    expect(sentinelSkips(group('master,s_down', [], 0), replica({ infoRefreshMs: 5001 }))).toMatchObject({ known: true });
  });

  it('takes info-refresh 0 (Sentinel never read its INFO) or none as unknown', () => {
    expect(sentinelSkips(group(), replica({ infoRefreshMs: 0 }))).toMatchObject({ known: false });
    expect(sentinelSkips(group(), replica({ infoRefreshMs: null }))).toMatchObject({ known: false });
  });

  it('skips a replica whose master link has been down over 10 x down-after-milliseconds, not at exactly that', () => {
    expect(sentinelSkips(group(), replica({ masterLinkDownMs: DOWN_AFTER_MS * 10 }))).toBeNull();
    expect(sentinelSkips(group(), replica({ masterLinkDownMs: DOWN_AFTER_MS * 10 + 1 }))).toEqual({ reason: 'its master link has been down 10 s, over 10 x down-after-milliseconds', known: true });
    expect(sentinelSkips(group(), replica({ masterLinkDownMs: null }))).toMatchObject({ known: false });
    expect(sentinelSkips({ ...group(), downAfterMs: null }, replica())).toMatchObject({ known: false });
  });

  it('with the master s_down, allows the time since it went down (s-down-time) on top of 10 x down-after', () => {
    const down = (sDownMs: number | null) => group('master,s_down', [], sDownMs);
    expect(sentinelSkips(down(7000), replica({ masterLinkDownMs: DOWN_AFTER_MS * 10 + 7000 }))).toBeNull();
    expect(sentinelSkips(down(7000), replica({ masterLinkDownMs: DOWN_AFTER_MS * 10 + 7001 }))).toMatchObject({ known: true });
    expect(sentinelSkips(down(null), replica({ masterLinkDownMs: DOWN_AFTER_MS * 10 + 1 }))).toMatchObject({ known: false });
    // s-down-time counts only while the master is flagged s_down.
    expect(sentinelSkips(group('master', [], 7000), replica({ masterLinkDownMs: DOWN_AFTER_MS * 10 + 1 }))).toMatchObject({ known: true });
  });
});

describe('sentinelCandidates', () => {
  it('lists the other replicas Sentinel may pick, with their priorities, leaving out the target and every skipped one', () => {
    const views = [
      replica({ id: '127.0.0.1:7001', priority: 100 }),
      replica({ id: '127.0.0.1:7002', priority: 50 }),
      replica({ id: '127.0.0.1:7003', priority: 10, masterLinkDownMs: 20_000 }),
      replica({ id: '127.0.0.1:7004', priority: 10, infoRefreshMs: 0 }),
    ];
    const target = { id: 'r1', host: '127.0.0.1', port: 7001 } as NodeSnapshot;
    expect(sentinelCandidates(group('master', views), target)).toEqual([{ id: '127.0.0.1:7002', priority: 50 }]);
  });
});
