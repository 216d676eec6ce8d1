/**
 * Sentinel notices about a replica Sentinel knows only by its announced
 * address (replica-announce-port pointing at a TCP forward to it) stand
 * under the node the console watches, as the SLAVEOF lines do
 * (sentinel-convert-announced-address.test.ts), not under the raw address
 * Sentinel names, which is no node of the console's.
 *
 * Setup: the console watching the group, then a replica given replica-announce-port (a forward to it), its link
 * cut so it tells its master the announced port, SENTINEL RESET so the
 * Sentinel finds it again under that address only. SIGSTOP: "+sdown slave
 * <announced> ..."; SIGCONT: "-sdown slave <announced> ...". Held against the
 * Sentinel's log.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { startTcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, escapeRegExp, replicationTruth, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

function field(fields: string[], name: string): string | undefined {
  const index = fields.indexOf(name);
  return index < 0 ? undefined : fields[index + 1];
}

it('+sdown and -sdown of a replica Sentinel names by its announced address: under the watched node', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 1, sentinels: 1, quorum: 1 });
  const [sentinel] = group.sentinels;
  const [replica] = group.replicas;
  const forward = await startTcpProxy({ port: replica!.port });
  try {
    const announcedId = `127.0.0.1:${forward.port}`;
    // Watched at its own address first; Sentinel and its master learn the announced one after.
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500, profile: group.profile() });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id), 30_000);
    expect(await replica!.call('CONFIG', 'SET', 'replica-announce-port', String(forward.port))).toBe('OK');
    // A new handshake tells the master the announced port (REPLCONF listening-port).
    await replica!.call('CLIENT', 'KILL', 'TYPE', 'master');
    await waitFor(async () => String((await group.master.info('replication')).get('slave0') ?? '').includes(`port=${forward.port},`), { timeoutMs: 20_000, what: `${group.master.id} to list its replica at ${announcedId}` });
    expect(await sentinel!.call('SENTINEL', 'RESET', group.name)).toBe(1);
    await waitFor(async () => {
      const names = ((await sentinel!.call('SENTINEL', 'REPLICAS', group.name)) as string[][]).map((fields) => field(fields, 'name'));
      return names.includes(announcedId) && !names.includes(replica!.id);
    }, { timeoutMs: 30_000, what: `Sentinel to list ${replica!.id} as ${announcedId} only` });

    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === replica!.id && node.role === 'replica' && node.masterLinkStatus === 'up')
      && !snapshot.nodes.some((node) => node.id === announcedId), `${replica!.id} watched as a replica, ${announcedId} not a node of its own`, 30_000);

    const mark = sentinel!.log().length;
    const since = Date.now();
    replica!.signal('SIGSTOP');
    try {
      await waitFor(() => new RegExp(`\\+sdown slave ${escapeRegExp(announcedId)} `).test(sentinel!.log().slice(mark)), { timeoutMs: 30_000, what: `the Sentinel's +sdown of ${announcedId}` });
    } finally {
      replica!.signal('SIGCONT');
    }
    await waitFor(() => new RegExp(`-sdown slave ${escapeRegExp(announcedId)} `).test(sentinel!.log().slice(mark)), { timeoutMs: 30_000, what: `the Sentinel's -sdown of ${announcedId}` });
    await waitFor(async () => (await replicationTruth(replica!)).masterLinkStatus === 'up', { what: `${replica!.id} following its master again` });

    const lines = (channel: string): ReplicationEvent[] => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === channel && event.time >= since);
    await waitFor(() => lines('+sdown').length > 0 && lines('-sdown').length > 0, { timeoutMs: 10_000, what: 'the console\'s +sdown and -sdown lines' });
    for (const channel of ['+sdown', '-sdown']) {
      expect(lines(channel).map((line) => line.nodeId), replscope.describeEvents()).toEqual(lines(channel).map(() => replica!.id));
    }
  } finally {
    await forward.close();
  }
}, 120_000);
