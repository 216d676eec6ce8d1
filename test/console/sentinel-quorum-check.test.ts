/**
 * The group's quorum verdict from each Sentinel's own SENTINEL CKQUORUM
 * (answers as redis-sentinel 7.0.15 gave them with one Sentinel of three
 * stopped and quorum 3 SET on another).
 */
import { describe, expect, it } from 'vitest';
import { groupQuorum } from '../../main/console/monitor/sentinel-quorum-check';
import type { SentinelView } from '../../shared/contract/snapshots';

const OK_TWO = 'OK 2 usable Sentinels. Quorum and failover authorization can be reached';
const NOQUORUM_TWO = 'NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master';

const view = (id: string, quorumCheck: string | null): SentinelView => ({
  id, health: quorumCheck === null ? 'unreachable' : 'up', subscribed: quorumCheck !== null, masterView: null, masterFlags: null, configEpoch: 0, quorum: 2,
  quorumCheck, quorumOk: quorumCheck === null ? null : quorumCheck.startsWith('OK'), lastSdown: null,
});

describe('a Sentinel group\'s quorum from every Sentinel', () => {
  it('OK when each Sentinel that answered says OK, saying how many did not answer', () => {
    expect(groupQuorum([view('a:1', OK_TWO), view('b:2', OK_TWO), view('c:3', null)])).toEqual({ quorumOk: true, quorumDetail: `a:1: ${OK_TWO}; b:2: ${OK_TWO} (1 of 3 Sentinels did not answer CKQUORUM)` });
  });
  it('not OK when one says NOQUORUM, naming it with its words', () => {
    expect(groupQuorum([view('a:1', OK_TWO), view('b:2', NOQUORUM_TWO), view('c:3', null)])).toEqual({ quorumOk: false, quorumDetail: `1 of 2 Sentinels answering disagree that a failover can be authorized — b:2: ${NOQUORUM_TWO}` });
    expect(groupQuorum([view('a:1', NOQUORUM_TWO)])).toEqual({ quorumOk: false, quorumDetail: `a:1: ${NOQUORUM_TWO}` });
  });
  it('unknown when no Sentinel answered', () => {
    expect(groupQuorum([view('c:3', null)])).toEqual({ quorumOk: null, quorumDetail: null });
  });
});
