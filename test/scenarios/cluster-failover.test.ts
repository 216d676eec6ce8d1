/**
 * Role changes in a real Redis Cluster (3 masters, 1 replica each, attached
 * by one seed) say who made them, against the nodes' own logs:
 *
 *  1. CLUSTER FAILOVER run on a replica (not from the console): the
 *     promotion is the operator's, and so is its old master's demotion (it
 *     logs "Manual failover requested by replica <id>", then reconfigures
 *     itself as that replica's replica), not "who did it is unknown"; so
 *     is the replica's link-down with its old master (cause
 *     operator-command, not unknown), and the old master's partial resync
 *     from its new master ("Successful partial resynchronization with
 *     master" in its log, sync_partial_ok +1 on the new master).
 *  2. A master killed (SIGKILL): its replica logs "Failover election won"
 *     and "configEpoch set to N after successful failover"; the promotion is
 *     the Cluster's failover, naming the failed master (flagged fail in
 *     CLUSTER NODES) and that config epoch.
 *  3. The killed master restarted on its nodes.conf: it logs "Configuration
 *     change detected. Reconfiguring myself as a replica of <id>"; its
 *     demotion is the Cluster's, and its full resync is the one the new
 *     master's sync_full counts: a demoted master's (cause demoted-master)
 *     that restarted with a fresh replication id, as the new master's
 *     "Replication ID mismatch" for the id it asked with says (whether it
 *     came back with data only a poll between its restart and its resync
 *     can tell).
 *
 * redis-server only: the engine has no cluster support.
 */
import { expect, it } from 'vitest';
import { startRedisCluster } from '../support/redis-cluster';
import { startRedisServer, type RedisProcess } from '../support/redis-server';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';
import { waitFor } from '../support/wait';

useScenarioCleanup();

interface ClusterLine {
  readonly id: string;
  readonly address: string;
  readonly busPort: number;
  readonly flags: string[];
  readonly masterId: string;
}

async function clusterLines(node: RedisProcess): Promise<ClusterLine[]> {
  return String(await node.call('CLUSTER', 'NODES')).split('\n').filter((line) => line.trim() !== '').map((line) => {
    const [id, addressField, flags, masterId] = line.trim().split(' ') as [string, string, string, string];
    const [address, bus] = addressField.split(',')[0]!.split('@') as [string, string];
    return { id, address, busPort: Number(bus), flags: flags.split(','), masterId };
  });
}

async function statsOf(node: RedisProcess): Promise<{ full: number; partialOk: number; partialErr: number }> {
  const text = String(await node.call('INFO', 'stats'));
  return { full: Number(/sync_full:(\d+)/.exec(text)?.[1]), partialOk: Number(/sync_partial_ok:(\d+)/.exec(text)?.[1]), partialErr: Number(/sync_partial_err:(\d+)/.exec(text)?.[1]) };
}

async function waitForLogLine(node: RedisProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  let found: RegExpExecArray | null = null;
  await waitFor(() => (found = pattern.exec(node.log())) !== null, { timeoutMs: 20_000, what });
  return found!;
}

it('a manual CLUSTER FAILOVER, a killed master failed over by the Cluster, and its return as a replica say who did them', async () => {
  const cluster = await startRedisCluster(3, 1);
  const byAddress = new Map(cluster.nodes.map((node) => [`127.0.0.1:${node.port}`, node]));
  const lines = await clusterLines(cluster.nodes[0]!);
  const pairs = lines.filter((line) => line.flags.includes('slave')).map((replica) => ({
    replica: byAddress.get(replica.address)!,
    master: byAddress.get(lines.find((line) => line.id === replica.masterId)!.address)!,
    masterLine: lines.find((line) => line.id === replica.masterId)!,
    replicaLine: replica,
  }));
  const [manual, killed] = pairs as [typeof pairs[0], typeof pairs[0]];
  const id = (node: RedisProcess): string => `127.0.0.1:${node.port}`;

  const console = await ConsoleUnderTest.attach(cluster.nodes[0]!, { profile: { kind: 'cluster' }, pollIntervalMs: 500 });
  await console.waitForSnapshot((snapshot) => snapshot.nodes.filter((node) => node.health === 'up').length === 6 && snapshot.links.filter((link) => link.state === 'online').length === 3, 'six nodes up, three links online');
  // Command-counter baselines are taken at a node's first poll: let a few pass.
  await new Promise((resolve) => setTimeout(resolve, 1500));

  // 1. CLUSTER FAILOVER on a replica, from redis-cli's side (not the console).
  const partialBefore = await statsOf(manual.replica);
  expect(await manual.replica.call('CLUSTER', 'FAILOVER')).toBe('OK');
  await waitForLogLine(manual.master, /Manual failover requested by replica/, 'the master to log the manual failover request');
  await waitForLogLine(manual.master, /Reconfiguring myself as a replica of/, 'the old master to reconfigure itself as a replica');
  const promoted = await console.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === id(manual.replica), 'the manual promotion');
  expect(promoted.numbers.attribution).toBe('operator');
  expect(promoted.message).toContain('CLUSTER FAILOVER');
  // The promoted replica's link with its old master ends because it is a master now, as its log says.
  const left = await console.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === id(manual.replica), 'the promoted replica\'s link-down');
  expect(left.message).toContain(`${id(manual.replica)} is now a master`);
  // ...and it is the promotion's doing: the operator's CLUSTER FAILOVER, counted by the replica's own INFO commandstats.
  expect(String(await manual.replica.call('INFO', 'commandstats'))).toMatch(/cmdstat_cluster\|failover:calls=1,/);
  expect(left.cause, console.describeEvents()).toBe('operator-command');
  expect(left.numbers.attribution).toBe('operator');
  expect(left.message).toContain(`${id(manual.replica)} was promoted by an operator: CLUSTER FAILOVER ×1 ran on ${id(manual.replica)}`);
  const demoted = await console.waitForEvent((event) => event.kind === 'demotion' && event.nodeId === id(manual.master), 'the old master\'s demotion');
  expect(demoted.peerId).toBe(id(manual.replica));
  expect(demoted.numbers.attribution, console.describeEvents()).toBe('operator');
  expect(demoted.message).toContain(`CLUSTER FAILOVER ×1 ran on its new master ${id(manual.replica)}`);
  // The old master continues from its new master (its log, the new master's log and sync_partial_ok +1 say so):
  // that partial resync is the demotion's doing too, the operator's CLUSTER FAILOVER, not cause unknown.
  await waitForLogLine(manual.master, /Successful partial resynchronization with master/, 'the old master\'s partial resync');
  await waitForLogLine(manual.replica, /Partial resynchronization request from .* accepted/, 'the new master to accept the partial resync');
  expect((await statsOf(manual.replica)).partialOk - partialBefore.partialOk).toBe(1);
  const continued = await console.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === id(manual.master), 'the old master\'s partial resync');
  expect(continued.peerId).toBe(id(manual.replica));
  expect(continued.cause, console.describeEvents()).toBe('operator-command');
  expect(continued.numbers.attribution).toBe('operator');
  expect(continued.message).toContain(`CLUSTER FAILOVER ×1 ran on its new master ${id(manual.replica)}`);
  expect(console.eventsWhere((event) => event.kind === 'partial-resync' && event.nodeId === id(manual.master))).toHaveLength(1);

  // 2. SIGKILL a master: the Cluster fails it over to its replica.
  const fullBefore = await statsOf(killed.replica);
  killed.master.signal('SIGKILL');
  await waitForLogLine(killed.replica, /Failover election won: I'm the new master/, 'the replica to win the election');
  const epoch = (await waitForLogLine(killed.replica, /configEpoch set to (\d+) after successful failover/, 'the replica\'s new config epoch'))[1]!;
  const elected = await console.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === id(killed.replica), 'the Cluster\'s promotion');
  expect(elected.cause, console.describeEvents()).toBe('cluster-failover');
  expect(elected.numbers.attribution).toBe('cluster');
  expect(elected.message).toContain(`its master ${id(killed.master)} is flagged fail`);
  expect(elected.message).toContain(`config epoch ${epoch}`);

  // 3. The killed master comes back on its nodes.conf and the Cluster makes it a replica.
  const returned = await startRedisServer({ port: killed.master.port, dir: killed.master.dir, args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(killed.masterLine.busPort), '--cluster-node-timeout', '3000'] });
  await waitForLogLine(returned, /Configuration change detected\. Reconfiguring myself as a replica of/, 'the returned node to reconfigure itself as a replica');
  const back = await console.waitForEvent((event) => event.kind === 'demotion' && event.nodeId === id(returned), 'the returned node\'s demotion');
  expect(back.peerId).toBe(id(killed.replica));
  expect(back.cause, console.describeEvents()).toBe('cluster-failover');
  expect(back.message).toContain(`${id(killed.replica)} took over its slots`);
  await waitForLogLine(returned, /MASTER <-> REPLICA sync: Finished with success/, 'the returned node\'s sync');
  const full = await console.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === id(returned), 'the returned node\'s full resync');
  expect(full.peerId).toBe(id(killed.replica));
  // The returned node came back without its data (a fresh replication id): the new master logs the mismatch and
  // counts sync_partial_err, and the console says it is a demoted master with no history to continue.
  const mismatch = await waitForLogLine(killed.replica, /Partial resynchronization not accepted: Replication ID mismatch \(Replica asked for '(\w+)', my replication IDs are '(\w+)' and '(\w+)'\)/, 'the new master to refuse the partial resync');
  expect([mismatch[2], mismatch[3]]).not.toContain(mismatch[1]);
  expect((await statsOf(killed.replica)).partialErr - fullBefore.partialErr).toBe(1);
  expect(full.cause, console.describeEvents()).toBe('demoted-master');
  // What it loaded at start (INFO rdb_last_load_keys_loaded, 0 here: no persistence) is known only from a poll
  // between its restart and its resync, which may or may not fall in that moment; without one it is unknown.
  const returnedRunId = /run_id:(\w+)/.exec(String(await returned.call('INFO', 'server')))?.[1];
  expect(returnedRunId).toBeDefined();
  const readBeforeResync = console.snapshots.some((received) => received.snapshot.time < full.time && received.snapshot.nodes.some((node) => node.id === id(returned) && node.health === 'up' && !node.stale && node.runId === returnedRunId && node.lastLoadKeysLoaded === 0));
  expect(full.message).toContain(readBeforeResync
    ? `${id(returned)} is a demoted master resyncing: it restarted without its data (run_id changed)`
    : `${id(returned)} is a demoted master resyncing: it restarted (run_id changed) with a new replication id, which ${id(killed.replica)} does not know; whether it came back with data is not known`);
  expect((await statsOf(killed.replica)).full - fullBefore.full).toBe(1);
  expect(console.eventsWhere((event) => event.kind === 'full-resync' && event.nodeId === id(returned))).toHaveLength(1);
}, 90_000);
