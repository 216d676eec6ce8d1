/**
 * A replica the console may not read (its ACL user there lacks INFO) while
 * its master lists it: the console still shows the link, built from the
 * master's slaveN line. Force full resync runs REPLICAOF NO ONE and then
 * REPLICAOF <the address the replica dials>, which only the replica's own
 * INFO gives: with none, the second command would be "REPLICAOF null null"
 * and the first would have left the replica a master. The preflight refuses
 * it and says why, and nothing reaches the replica. Disconnect link from the
 * master side needs only the master's listing (and the replica's CLIENT
 * LIST): it runs, and the master logs the partial resync.
 *
 * And what it runs is what its preflight showed: a replica moved to another
 * master between the preflight and the run is refused before REPLICAOF NO ONE.
 */
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { ConsoleUnderTest, counterDelta, escapeRegExp, forEachNodeKind, LOG, replicationTruth, startGroup, startNode, useScenarioCleanup, waitForLog } from './harness';
import { waitFor } from '../support/wait';

useScenarioCleanup();

const USER = 'ops';
const PASSWORD = 'ops-pw';

/** What the node answers the console's user for INFO: its refusal, word for word. */
async function infoRefusal(port: number): Promise<string> {
  const client = new Redis({ port, host: '127.0.0.1', username: USER, password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
  try {
    await client.connect();
    await client.info();
    throw new Error('INFO was allowed');
  } catch (failure) {
    return (failure as Error).message;
  } finally {
    client.disconnect();
  }
}

forEachNodeKind((kind) => {
  it('Force full resync of a replica listed by its master but not readable: refused in plain words, nothing sent; master-side Disconnect link works from the listing', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    expect(await master.call('ACL', 'SETUSER', USER, 'on', `>${PASSWORD}`, '~*', '&*', '+@all')).toBe('OK');
    expect(await replica.call('ACL', 'SETUSER', USER, 'on', `>${PASSWORD}`, '~*', '&*', '+@all', '-info')).toBe('OK');
    const refusal = await infoRefusal(replica.port);
    expect(refusal).toMatch(/^NOPERM /);
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { username: USER }, secrets: { password: PASSWORD } });
    const linkId = `${master.id}->${replica.id}`;
    await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.id === linkId && link.state === 'online')
      && snapshot.nodes.some((node) => node.id === replica.id && node.health === 'denied'), `the link ${linkId} from ${master.id}'s listing, ${replica.id} denied`);
    // The nodes' truth: the replica follows the master, which lists it.
    const replicaBefore = await replicationTruth(replica);
    expect(replicaBefore).toMatchObject({ role: 'slave', masterId: master.id, masterLinkStatus: 'up' });
    expect((await replicationTruth(master)).replicas.map((line) => line.id)).toContain(replica.id);

    const resync = await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id });
    expect(resync.allowed).toBe(false);
    expect(resync.commands).toEqual([]);
    expect(resync.steps.join(' ')).not.toMatch(/null/);
    expect(resync.deniedReason).toContain(`${replica.id} has not said whom it replicates from: ${replica.id} answered "${refusal}"`);
    expect(resync.deniedReason).toContain(`${master.id} lists it as a replica, but that does not say which address ${replica.id} dials to reach it`);
    expect(resync.deniedReason).toContain(`without them the first command would leave ${replica.id} a master`);
    // Refused at preflight: its token runs nothing.
    await expect(replscope.call('actions.run', { token: resync.token })).rejects.toThrow(/already used or has expired/);

    // Replica side: the console cannot check its role first, and says so with the node's own reply.
    const replicaSide = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'replica' });
    expect(replicaSide.allowed).toBe(false);
    expect(replicaSide.deniedReason).toContain(`the console cannot check ${replica.id}'s role before acting: ${replica.id} answered "${refusal}"`);

    // Master side: the master's listing names the master; the replica answers CLIENT LIST for the connection.
    const masterSide = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'master' });
    expect(masterSide.allowed, masterSide.deniedReason ?? '').toBe(true);
    const before = await replicationTruth(master);
    const mark = master.mark();
    const result = await replscope.run(masterSide);
    await waitForLog(master, new RegExp(`Partial resynchronization request from ${escapeRegExp(replica.id)} accepted`), mark);
    expect(counterDelta(before, await replicationTruth(master))).toEqual({ full: 0, partialOk: 1, partialErr: 0 });
    expect(master.logSince(mark)).not.toMatch(LOG.fullResyncRequested);
    // Reported as the master saw it (its listing and its counters), not as "not observed".
    expect(result, result.message).toMatchObject({ outcome: 'partial-resync', resync: 'partial', observed: { syncFullDelta: 0, syncPartialOkDelta: 1 } });

    // Nothing ever made it a master: the same history, still following the same master.
    const replicaAfter = await replicationTruth(replica);
    expect(replicaAfter).toMatchObject({ role: 'slave', masterId: master.id, replid: replicaBefore.replid });
  }, 60_000);
});

forEachNodeKind((kind) => {
  it('Force full resync runs the REPLICAOF address its preflight showed, or nothing: a replica moved to another master in between is refused', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const other = await startNode(kind, { name: 'other-master' });
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const preflight = await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id });
    expect(preflight.allowed, preflight.deniedReason ?? '').toBe(true);
    expect(preflight.commands).toEqual([`REPLICAOF NO ONE (on ${replica.id})`, `REPLICAOF 127.0.0.1 ${master.port} (on ${replica.id})`]);
    // Moved by someone else (an operator, Sentinel) after the preflight: still a replica, of another master.
    expect(await replica.call('REPLICAOF', '127.0.0.1', String(other.port))).toBe('OK');
    await waitFor(async () => (await replicationTruth(replica)).masterLinkStatus === 'up', { timeoutMs: 20_000, what: `${replica.id} streaming from ${other.id}` });
    const moved = await replicationTruth(replica);
    expect(moved.masterId).toBe(other.id);
    const otherBefore = await replicationTruth(other);
    await expect(replscope.run(preflight)).rejects.toThrow(`${replica.id} now needs REPLICAOF NO ONE (on ${replica.id}), REPLICAOF 127.0.0.1 ${other.port} (on ${replica.id}), not REPLICAOF NO ONE (on ${replica.id}), REPLICAOF 127.0.0.1 ${master.port} (on ${replica.id}) as at preflight`);
    // Nothing was sent: the replica keeps its link and its history, and the other master synced nobody again.
    const after = await replicationTruth(replica);
    expect(after).toMatchObject({ role: 'slave', masterId: other.id, masterLinkStatus: 'up', replid: moved.replid });
    expect(counterDelta(otherBefore, await replicationTruth(other))).toEqual({ full: 0, partialOk: 0, partialErr: 0 });
  }, 60_000);
});
