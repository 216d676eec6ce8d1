/**
 * A node Sentinel knows only under its announced address (replica-announce-port
 * pointing at a TCP forward to it), watched by the console at its own
 * address, made a master by hand twice and converted back by Sentinel each
 * time. The notices name the announced address, which the console keeps as an
 * alias of the node (DeploymentMonitor.announcedAliases / oneSamplePerNode),
 * not as a node: its state was "not watched" at both notices, so the second
 * real conversion was folded into the first line's repeat count, and the line
 * stood under an address no node of the console has.
 *
 * Setup: a master with replica-announce-port set to a forward to it; SENTINEL
 * FAILOVER makes it a replica (Sentinel converts the old master), then
 * SENTINEL RESET makes the Sentinel forget it under its monitored address and
 * find it again from the new master's INFO, under the announced one.
 * Held against the Sentinel's log ("+convert-to-slave slave <announced>") and
 * the node's log (REPLICAOF from a Sentinel's command link).
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { startTcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, escapeRegExp, replicationTruth, startSentinelScenario, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

function field(fields: string[], name: string): string | undefined {
  const index = fields.indexOf(name);
  return index < 0 ? undefined : fields[index + 1];
}

it('a node Sentinel names by its announced address, converted back twice: a +convert-to-slave line for each, under the watched node', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 1, sentinels: 1, quorum: 1 });
  const [sentinel] = group.sentinels;
  expect(await sentinel!.call('SENTINEL', 'DEBUG', 'info-period', '1000', 'publish-period', '500')).toBe('OK');
  const moved = group.master;
  const [replica] = group.replicas;
  const forward = await startTcpProxy({ port: moved.port });
  try {
    const announcedId = `127.0.0.1:${forward.port}`;
    expect(await moved.call('CONFIG', 'SET', 'replica-announce-port', String(forward.port))).toBe('OK');
    const replscope = await ConsoleUnderTest.attach(moved, { pollIntervalMs: 500, profile: group.profile() });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id), 30_000);

    // The old master becomes a replica of the promoted one; its new master lists it under the announced port.
    expect(await sentinel!.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK');
    expect(await group.waitForNewMaster(moved.id)).toBe(replica!.id);
    await waitFor(async () => {
      const truth = await replicationTruth(moved);
      return truth.role === 'slave' && truth.masterLinkStatus === 'up';
    }, { timeoutMs: 40_000, what: `${moved.id} converted and following ${replica!.id}` });
    // Sentinel forgets it under its monitored address, and finds it from the new master's INFO under the announced one only.
    expect(await sentinel!.call('SENTINEL', 'RESET', group.name)).toBe(1);
    await waitFor(async () => {
      const names = ((await sentinel!.call('SENTINEL', 'REPLICAS', group.name)) as string[][]).map((fields) => field(fields, 'name'));
      return names.includes(announcedId) && !names.includes(moved.id);
    }, { timeoutMs: 30_000, what: `Sentinel to list ${moved.id} as ${announcedId} only` });
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === moved.id && node.role === 'replica' && node.masterLinkStatus === 'up')
      && !snapshot.nodes.some((node) => node.id === announcedId), `${moved.id} watched as a replica, ${announcedId} not a node of its own`, 30_000);

    const since = Date.now();
    const mark = sentinel!.log().length;
    for (let round = 1; round <= 2; round += 1) {
      const logMark = moved.mark();
      expect(await moved.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
      await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === moved.id && node.role === 'master'), `${moved.id} seen a master (round ${round})`);
      await waitForLog(moved, new RegExp(`REPLICAOF ${escapeRegExp(replica!.id)} enabled \\(user request from '.*name=sentinel-[0-9a-f]{8}-cmd `), logMark, 30_000);
      await waitFor(async () => (await replicationTruth(moved)).masterLinkStatus === 'up', { what: `${moved.id} following ${replica!.id} again (round ${round})` });
      await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === moved.id && node.role === 'replica'), `${moved.id} seen a replica again (round ${round})`);
    }

    const converted = new RegExp(`\\+convert-to-slave slave ${escapeRegExp(announcedId)} `, 'g');
    const logged = sentinel!.log().slice(mark).match(converted)?.length ?? 0;
    expect(logged).toBeGreaterThanOrEqual(2);
    expect(sentinel!.log().slice(mark)).not.toContain(`+convert-to-slave slave ${moved.id} `);

    const lines = (): ReplicationEvent[] => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+convert-to-slave' && event.time >= since);
    await waitFor(() => lines().reduce((sum, line) => sum + Number(line.numbers.notices ?? 1), 0) >= logged, { timeoutMs: 10_000, what: `lines counting ${logged} notices` }).catch(() => undefined);
    // Under the watched node, a line per conversion (a poll saw it a master and a replica again between them).
    expect(lines().map((line) => line.nodeId), replscope.describeEvents()).toEqual(lines().map(() => moved.id));
    expect(lines().length).toBeGreaterThanOrEqual(2);
    expect(lines().reduce((sum, line) => sum + Number(line.numbers.notices ?? 1), 0)).toBe(logged);
  } finally {
    await forward.close();
  }
}, 180_000);
