/**
 * A replica whose link is down while its master lists it as state=wait_bgsave
 * reads "syncing" (a full sync accepted, not started) only on a list the
 * master gave since the last snapshot (snapshot-builder.ts, awaitingSnapshot).
 * Seen with kill -9 of a master right after a full sync: its last list,
 * state=wait_bgsave while the replica already said "up", was still shown
 * (its next answer not in, not yet stale) when the replica said its link was
 * down, and the link-down read as a pending full sync of a dead master.
 * A wait the last snapshot already showed goes on through a poll whose
 * master answer is not in yet (not stale): under load one such poll read
 * "down" and the console recorded "link ... was down" for a pending sync.
 * That old list holds the wait for one snapshot only, and only if it is the
 * answer the wait was last shown on; the wait is the link's, not the
 * replica's, so a replica moved to another master keeps its new wait.
 */
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../main/console/monitor/snapshot-builder';
import { parseInfo } from '../../main/console/monitor/info-fields';
import type { NodeSample } from '../../main/console/monitor/node-sampler';

const LINK = '127.0.0.1:7001->127.0.0.1:7002';

const masterInfo = [
  'role:master', 'connected_slaves:1', 'slave0:ip=127.0.0.1,port=7002,state=wait_bgsave,offset=0,lag=0',
  'master_replid:' + 'a'.repeat(40), 'master_replid2:' + '0'.repeat(40), 'master_repl_offset:1000', 'second_repl_offset:-1', 'run_id:' + 'm'.repeat(40),
].join('\r\n');

const replicaInfo = (link: 'up' | 'down'): string => [
  'role:slave', 'master_host:127.0.0.1', 'master_port:7001', `master_link_status:${link}`, 'master_sync_in_progress:0',
  'slave_repl_offset:1000', 'master_replid:' + 'a'.repeat(40), 'master_replid2:' + '0'.repeat(40), 'master_repl_offset:1000', 'second_repl_offset:-1', 'run_id:' + 'r'.repeat(40),
].join('\r\n');

function sample(port: number, time: number, info: string): NodeSample {
  return {
    id: `127.0.0.1:${port}`, host: '127.0.0.1', port, time, health: 'up', healthDetail: null, healthProblem: null, info: parseInfo(info), config: null,
    stale: false, staleReason: null, reconnecting: false, embedded: false, deniedCommands: [], deniedReplies: [],
  };
}

const stateOf = (builder: SnapshotBuilder, samples: NodeSample[], time: number): string | undefined =>
  builder.build(samples, { pollIntervalMs: 200, outageSeconds: 60, time }).links.find((link) => link.id === LINK)?.state;

describe('a down link its master lists as wait_bgsave', () => {
  it('is syncing on a list given since the last snapshot', () => {
    const builder = new SnapshotBuilder('s', 'standalone');
    expect(stateOf(builder, [sample(7001, 900, masterInfo), sample(7002, 905, replicaInfo('up'))], 1_000)).toBe('online');
    expect(stateOf(builder, [sample(7001, 1_150, masterInfo), sample(7002, 1_155, replicaInfo('down'))], 1_160)).toBe('syncing');
  });

  it('is down when the list shown is the one of an earlier snapshot (the master\'s answer of this poll not in)', () => {
    const builder = new SnapshotBuilder('s', 'standalone');
    expect(stateOf(builder, [sample(7001, 900, masterInfo), sample(7002, 905, replicaInfo('up'))], 1_000)).toBe('online');
    expect(stateOf(builder, [sample(7001, 900, masterInfo), sample(7002, 1_155, replicaInfo('down'))], 1_160)).toBe('down');
  });

  it('stays syncing, waiting for the snapshot since the wait began, while the master\'s answer of a later poll is not in', () => {
    // A full sync pending (down, wait_bgsave on a fresh list), then a poll whose master answer missed the
    // gathering (not stale): its last list still says wait_bgsave and the replica still says down.
    const builder = new SnapshotBuilder('s', 'standalone');
    const first = builder.build([sample(7001, 990, masterInfo), sample(7002, 995, replicaInfo('down'))], { pollIntervalMs: 200, outageSeconds: 60, time: 1_000 });
    expect(first.links.find((link) => link.id === LINK)?.state).toBe('syncing');
    const second = builder.build([sample(7001, 990, masterInfo), sample(7002, 1_195, replicaInfo('down'))], { pollIntervalMs: 200, outageSeconds: 60, time: 1_200 });
    expect(second.links.find((link) => link.id === LINK)).toMatchObject({ state: 'syncing', masterSideState: 'wait_bgsave' });
    expect(second.nodes.find((node) => node.id === '127.0.0.1:7002')?.sync).toMatchObject({ phase: 'waiting-for-snapshot', startedAt: 995 });
    // Once that master's answer is overdue (stale), its list is no one's word: the link is down.
    const staleMaster = { ...sample(7001, 990, masterInfo), stale: true, staleReason: 'no answer for 0.4 s' };
    expect(stateOf(builder, [staleMaster, sample(7002, 1_395, replicaInfo('down'))], 1_400)).toBe('down');
  });

  it('holds the wait by that old list for one snapshot only, however long the master\'s answer stays unstale', () => {
    // The sampler marks an overdue answer stale; the builder bounds the hold itself: the answer the wait was
    // last shown on, and one snapshot after it.
    const builder = new SnapshotBuilder('s', 'standalone');
    expect(stateOf(builder, [sample(7001, 990, masterInfo), sample(7002, 995, replicaInfo('down'))], 1_000)).toBe('syncing');
    expect(stateOf(builder, [sample(7001, 990, masterInfo), sample(7002, 1_195, replicaInfo('down'))], 1_200)).toBe('syncing');
    expect(stateOf(builder, [sample(7001, 990, masterInfo), sample(7002, 1_395, replicaInfo('down'))], 1_400)).toBe('down');
    expect(stateOf(builder, [sample(7001, 990, masterInfo), sample(7002, 4_995, replicaInfo('down'))], 5_000)).toBe('down');
    // A fresh answer shows the wait again, and lends its own list one hold.
    expect(stateOf(builder, [sample(7001, 5_190, masterInfo), sample(7002, 5_195, replicaInfo('down'))], 5_200)).toBe('syncing');
    expect(stateOf(builder, [sample(7001, 5_190, masterInfo), sample(7002, 5_395, replicaInfo('down'))], 5_400)).toBe('syncing');
    expect(stateOf(builder, [sample(7001, 5_190, masterInfo), sample(7002, 59_995, replicaInfo('down'))], 60_000)).toBe('down');
  });

  it('keeps a moved replica\'s wait on its new master while the old master\'s list still shows it waiting', () => {
    // 7002 now follows 7003, which lists it wait_bgsave; 7001, its old master, still lists it wait_bgsave too
    // (it has not read the close yet). Forgetting the 7001 link's wait must not end the 7003 link's.
    const newLink = '127.0.0.1:7003->127.0.0.1:7002';
    const newMasterInfo = masterInfo.replace('a'.repeat(40), 'b'.repeat(40)).replace('m'.repeat(40), 'n'.repeat(40));
    const movedReplicaInfo = replicaInfo('down').replace('master_port:7001', 'master_port:7003');
    const linkState = (samples: NodeSample[], time: number): string | undefined =>
      builder.build(samples, { pollIntervalMs: 200, outageSeconds: 60, time }).links.find((link) => link.id === newLink)?.state;
    const builder = new SnapshotBuilder('s', 'standalone');
    expect(linkState([sample(7001, 990, masterInfo), sample(7003, 991, newMasterInfo), sample(7002, 995, movedReplicaInfo)], 1_000)).toBe('syncing');
    // Both masters' answers of the next poll not in yet (not stale): the new link's wait goes on by 7003's list.
    expect(linkState([sample(7001, 990, masterInfo), sample(7003, 991, newMasterInfo), sample(7002, 1_195, movedReplicaInfo)], 1_200)).toBe('syncing');
  });
});
