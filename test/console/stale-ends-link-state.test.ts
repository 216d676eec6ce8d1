/**
 * A link whose two ends both did not answer this poll takes its state from
 * the later of their last answers (snapshot-builder.ts, link()). Seen in
 * hung-replica-dropped.test.ts on our engine under load: a SIGSTOPped
 * replica's master dropped it after repl-timeout and no longer listed it,
 * yet a poll in which the master's answer was overdue showed the link
 * "online" again, from the stopped replica's last, older INFO — and the
 * timeline filed a second link-down when the master's next answer came.
 */
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../main/console/monitor/snapshot-builder';
import { parseInfo } from '../../main/console/monitor/info-fields';
import type { NodeSample } from '../../main/console/monitor/node-sampler';

const M = { host: '127.0.0.1', port: 7001 };
const R = { host: '127.0.0.1', port: 7002 };
const LINK = '127.0.0.1:7001->127.0.0.1:7002';

function masterInfo(listsReplica: boolean): string {
  return [
    'role:master', `connected_slaves:${listsReplica ? 1 : 0}`,
    ...(listsReplica ? ['slave0:ip=127.0.0.1,port=7002,state=online,offset=1000,lag=0'] : []),
    'master_replid:' + 'a'.repeat(40), 'master_replid2:' + '0'.repeat(40), 'master_repl_offset:1000', 'second_repl_offset:-1',
    'repl_backlog_active:1', 'repl_backlog_size:1048576', 'repl_backlog_first_byte_offset:1', 'repl_backlog_histlen:1000', 'run_id:' + 'm'.repeat(40),
  ].join('\r\n');
}

const replicaInfo = [
  'role:slave', 'master_host:127.0.0.1', 'master_port:7001', 'master_link_status:up', 'master_last_io_seconds_ago:0', 'master_sync_in_progress:0',
  'slave_repl_offset:1000', 'slave_read_repl_offset:1000', 'master_replid:' + 'a'.repeat(40), 'master_replid2:' + '0'.repeat(40),
  'master_repl_offset:1000', 'second_repl_offset:-1', 'run_id:' + 'r'.repeat(40),
].join('\r\n');

function sample(at: { host: string; port: number }, time: number, info: string, stale: boolean): NodeSample {
  return {
    id: `${at.host}:${at.port}`, host: at.host, port: at.port, time, health: 'up', healthDetail: null, healthProblem: null, info: parseInfo(info), config: null,
    stale, staleReason: stale ? 'no answer for 0.3 s' : null, reconnecting: false, embedded: false, deniedCommands: [], deniedReplies: [],
  };
}

const stateOf = (builder: SnapshotBuilder, samples: NodeSample[], time: number): string | undefined =>
  builder.build(samples, { pollIntervalMs: 250, outageSeconds: 60, time }).links.find((link) => link.id === LINK)?.state;

describe('a link neither of whose ends answered this poll', () => {
  it('is down when the master\'s last answer, later than the stopped replica\'s, no longer lists it', () => {
    const builder = new SnapshotBuilder('s', 'standalone');
    expect(stateOf(builder, [sample(M, 990, masterInfo(true), false), sample(R, 995, replicaInfo, false)], 1_000)).toBe('online');
    // The replica is stopped (its last answer, at 995, said "up"); the master dropped it and said so at 4_240.
    expect(stateOf(builder, [sample(M, 4_240, masterInfo(false), false), sample(R, 995, replicaInfo, true)], 4_250)).toBe('down');
    // Next poll the master's answer is overdue: its last word (4_240) is still the freshest.
    expect(stateOf(builder, [sample(M, 4_240, masterInfo(false), true), sample(R, 995, replicaInfo, true)], 4_500)).toBe('down');
  });

  it('keeps the replica\'s word when its last answer is the later one', () => {
    const builder = new SnapshotBuilder('s', 'standalone');
    // The replica connected after the master's answer of 990, which did not list it yet; it says "up" at 995.
    expect(stateOf(builder, [sample(M, 990, masterInfo(false), false), sample(R, 995, replicaInfo, false)], 1_000)).toBe('online');
    // The master has not answered since 990; the replica said "up" again at 1_240 and is overdue now.
    expect(stateOf(builder, [sample(M, 990, masterInfo(false), true), sample(R, 1_240, replicaInfo, true)], 1_500)).toBe('online');
  });
});

describe('a replica its master dropped whose process may be gone', () => {
  const verdictOf = (builder: SnapshotBuilder, samples: NodeSample[], time: number) => builder.build(samples, { pollIntervalMs: 250, outageSeconds: 60, time }).links.find((link) => link.id === LINK);
  const reconnecting = (time: number): NodeSample => ({ ...sample(R, time, replicaInfo, true), staleReason: 'its connection broke under the request (reset), asked again on a new one', reconnecting: true });
  const refused = (time: number): NodeSample => ({ ...sample(R, time, replicaInfo, false), health: 'unreachable', healthProblem: 'refused', healthDetail: 'ECONNREFUSED', info: null });

  it('is not "possible" while the console asks again after its connection broke, nor after its address refused, until it answers', () => {
    const builder = new SnapshotBuilder('s', 'standalone');
    expect(verdictOf(builder, [sample(M, 990, masterInfo(true), false), sample(R, 995, replicaInfo, false)], 1_000)?.partialResyncPossible).toBe(true);
    // Killed (kill -9): the master dropped it at once; the console's request broke and is asked again.
    const broke = verdictOf(builder, [sample(M, 1_240, masterInfo(false), false), reconnecting(995)], 1_250);
    expect(broke?.state).toBe('down');
    expect(broke?.partialResyncPossible, broke?.partialResyncWhy).toBeNull();
    expect(broke?.partialResyncWhy).toMatch(/connection to the console broke .* not from its last ACK \(offset 1000\)/);
    // Refused, then hung on a new connection (a new process at its address): still not known.
    builder.build([sample(M, 1_490, masterInfo(false), false), refused(1_495)], { pollIntervalMs: 250, outageSeconds: 60, time: 1_500 });
    const hung = verdictOf(builder, [sample(M, 1_740, masterInfo(false), false), { ...sample(R, 995, replicaInfo, true), health: 'hung' }], 1_750);
    expect(hung?.partialResyncPossible ?? null).toBeNull();
  });

  it('a stopped one (its request timed out on an open connection, no reset) keeps the verdict from its last ACK', () => {
    const builder = new SnapshotBuilder('s', 'standalone');
    verdictOf(builder, [sample(M, 990, masterInfo(true), false), sample(R, 995, replicaInfo, false)], 1_000);
    const stopped = verdictOf(builder, [sample(M, 4_240, masterInfo(false), false), { ...sample(R, 995, replicaInfo, true), health: 'hung' }], 4_250);
    expect(stopped?.partialResyncPossible).toBe(true);
    expect(stopped?.partialResyncWhy).toMatch(/last ACK .* still inside/);
  });
});
