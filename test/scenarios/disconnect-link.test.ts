/**
 * Issue 15, point 1: "Disconnect link" from the master side.
 *
 * On a master with two replicas and a chained sub-replica under 2,000
 * writes/s, the console disconnects one replica from the master side. What
 * the nodes say is the truth: the master logs one accepted partial
 * resynchronization, from that replica only, and its sync_partial_ok moves by
 * one while sync_full stays. The console must report exactly that outcome
 * (not "failed": CLIENT KILL ADDR in its filter form answers the number of
 * connections closed, not OK), its preflight must list the commands that
 * really run (never CLIENT KILL TYPE replica, which would drop every
 * replica), and an ACL user without CLIENT LIST is refused at preflight.
 *
 * The same through the embedded demo, whose replicas reach their master
 * through a chaos proxy, so the master sees the proxy's address, not the
 * replica's.
 */
import { describe, expect, it } from 'vitest';
import {
  ConsoleUnderTest, countLog, counterDelta, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog, WriteLoad,
} from './harness';
import { info } from '../support/replication';
import { sleep } from '../support/wait';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('disconnects exactly one replica from the master side and reports the partial resync the master logged', async () => {
    const group = await startGroup(kind, { shape: 'full' });
    const { master } = group;
    const target = group.node('replica-2');
    const bystander = group.node('replica-1');
    const load = WriteLoad.start(master, { opsPerSec: 2000 });
    try {
      const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500 });
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

      const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: target.id, side: 'master' });
      expect(preflight.allowed).toBe(true);
      expect(preflight.prediction).toBe('partial');
      // Exactly what runs: the replica's side of the link is looked up, then that one connection is killed.
      expect(preflight.commands).toEqual([
        `CLIENT LIST TYPE master (on ${target.id})`,
        `CLIENT KILL ADDR <the local address of that connection> TYPE replica (on ${master.id})`,
      ]);

      const before = await replicationTruth(master);
      const bystanderBefore = await replicationTruth(bystander);
      const masterMark = master.mark();
      const targetMark = target.mark();
      const result = await replscope.run(preflight);
      await waitForLog(target, LOG.replicaPartialOk, targetMark);
      const after = await replicationTruth(master);

      // The nodes' truth: one partial resync, of the target only.
      expect(counterDelta(before, after)).toEqual({ full: 0, partialOk: 1, partialErr: 0 });
      expect(countLog(master, LOG.partialAccepted, masterMark)).toBe(1);
      expect(master.logSince(masterMark)).toContain(`Partial resynchronization request from ${target.id}`);
      expect(bystanderBefore.masterLinkStatus).toBe('up');
      expect((await replicationTruth(bystander)).syncPartialOk).toBe(bystanderBefore.syncPartialOk);
      // What the console reported matches it.
      expect(result).toMatchObject({ outcome: 'partial-resync', predictionHeld: true, observed: { syncFullDelta: 0, syncPartialOkDelta: 1 } });
      expect(result.message).toContain(target.id);
      await waitForGroupInSync(master, [bystander, target]);
    } finally {
      await load.stop();
    }
  });

  it('disconnecting from the replica side runs CLIENT KILL TYPE master there and observes the partial resync', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const target = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: target.id, side: 'replica' });
    expect(preflight.commands).toEqual([`CLIENT KILL TYPE master (on ${target.id})`]);
    const before = await replicationTruth(group.master);
    const result = await replscope.run(preflight);
    expect(result).toMatchObject({ outcome: 'partial-resync', predictionHeld: true });
    expect(counterDelta(before, await replicationTruth(group.master))).toEqual({ full: 0, partialOk: 1, partialErr: 0 });
    // The partial resync the master logged is on the timeline as the operator's doing (its cause shown), not "cause unknown".
    const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === target.id && event.time >= result.startedAt, 'the partial resync', 10_000);
    expect(partial.cause).toBe('manual');
    expect(partial.message).toContain(`it reconnected after this console's Disconnect link (replica side: CLIENT KILL TYPE master on ${target.id}), run at ${new Date(result.startedAt).toISOString()}`);
    expect(partial.numbers).toMatchObject({ attribution: 'operator' });
  });
});

forEachNodeKind((kind) => {
  it('Disconnect link while another replica\'s link is still in the 5 s look-back: the partial resync the master counted is the cut replica\'s', async () => {
    // Resync attribution takes as candidates the serving node's links in trouble in the last 5 s. Here two are: the
    // link this console cuts, and the other replica's, which reconnected a moment ago (its own partial resync,
    // already on the timeline) and then missed a poll (DEBUG SLEEP: a link whose replica does not answer is in
    // trouble). Both replicas' connections to the master are young (CLIENT LIST age within the poll's window), so
    // the ages cannot tell them apart either: the link this console cut is the one that took the count.
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const target = group.node('replica-1');
    const other = group.node('replica-2');
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 200 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    // Past the attach's own first polls (a link is in trouble until both its ends have answered) and the
    // replicas' first connections (young for 2 s): the other replica's reconnect below is then its alone.
    await sleep(5_500);
    const before = await replicationTruth(group.master);
    const masterMark = group.master.mark();
    const since = Date.now();

    expect(await other.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
    const otherPartial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === other.id && event.time >= since, `the partial resync of ${other.id}`, 10_000);
    const asleep = other.call('DEBUG', 'SLEEP', '0.6');
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === other.id && node.stale), `${other.id} missing a poll`, 5_000);
    const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: target.id, side: 'replica' });
    const result = await replscope.run(preflight);
    await asleep;
    expect(result).toMatchObject({ outcome: 'partial-resync', predictionHeld: true });
    expect(Date.now() - since).toBeLessThan(5_000); // the other replica's trouble is still within the look-back

    // The master's truth: two partial resyncs, one for each replica, none refused, no full sync.
    await waitForGroupInSync(group.master, [target, other]);
    expect(counterDelta(before, await replicationTruth(group.master))).toEqual({ full: 0, partialOk: 2, partialErr: 0 });
    expect(countLog(group.master, LOG.partialAccepted, masterMark)).toBe(2);
    // The timeline: the same two, each named, the cut one put down to this console's action.
    const cut = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === target.id && event.time >= result.startedAt, `the partial resync of ${target.id}`, 10_000);
    expect(cut).toMatchObject({ cause: 'manual', numbers: { attribution: 'operator' } });
    expect(cut.message).toContain(`accepted a partial resync from ${target.id}`);
    const partials = replscope.eventsWhere((event) => event.kind === 'partial-resync' && event.time >= since);
    expect(partials.map((event) => event.nodeId)).toEqual([other.id, target.id]);
    expect(partials.map((event) => event.message).filter((message) => message.includes('could not be told'))).toEqual([]);
    expect(otherPartial.message).toContain(`accepted a partial resync from ${other.id}`);
  });
});

describe('ACL', () => {
  it('a user who may CLIENT KILL but not CLIENT LIST is refused at preflight, naming CLIENT LIST', async () => {
    const group = await startGroup('redis', { shape: 'two-replicas' });
    for (const node of group.nodes) {
      await node.call('ACL', 'SETUSER', 'operator', 'on', '>op-secret', '+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun', '+client|kill');
    }
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500, profile: { username: 'operator' }, secrets: { password: 'op-secret' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: group.node('replica-1').id, side: 'master' });
    expect(preflight.allowed).toBe(false);
    expect(preflight.deniedReason).toMatch(/CLIENT LIST/);
    const capabilities = await replscope.call('sessions.capabilities', { sessionId: replscope.sessionId });
    expect(capabilities.commands['client|list']).toBe(false);
    expect(capabilities.features.find((feature) => feature.feature === 'disconnect a link')?.available).toBe(false);
  });
});

describe('the timeline after Disconnect link (redis-server)', () => {
  it('a link-down a poll sees after this console\'s own Disconnect link is put down to it: the action, who, when', async () => {
    const group = await startGroup('redis', { shape: 'two-replicas' });
    const target = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 200 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    // redis-server reconnects within a poll; a masterauth the master refuses ("ERR AUTH <password> called without any
    // password configured") keeps the link down until it is cleared, so a poll sees it down.
    await target.call('CONFIG', 'SET', 'masterauth', 'not-the-password');
    const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: target.id, side: 'replica' });
    const running = replscope.run(preflight);
    const linkDown = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === target.id, 'the link-down', 10_000);
    await target.call('CONFIG', 'SET', 'masterauth', '');
    const result = await running;
    expect(linkDown.cause).toBe('manual');
    expect(linkDown.message).toContain(`— this console's Disconnect link (replica side: CLIENT KILL TYPE master on ${target.id}), run at ${new Date(result.startedAt).toISOString()} by the ACL user "default"`);
    expect(linkDown.numbers).toMatchObject({ attribution: 'operator' });
    await waitForGroupInSync(group.master, [target]);
  });
});

describe('the embedded demo (replicas behind the chaos proxy)', () => {
  it('disconnects one of two replicas from the master side: partial resync, the other replica untouched', async () => {
    const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 500 });
    const status = await replscope.startDemo({ topology: 'two-replicas' });
    await replscope.call('demo.load', { running: true, opsPerSec: 1000, valueBytes: 100, keySpace: 10_000, mix: { string: 100, list: 0, hash: 0, set: 0, zset: 0 } });
    const [target, bystander] = status.nodes.filter((node) => node.role === 'replica');
    await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
    const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: target!.id, side: 'master' });
    expect(preflight.allowed).toBe(true);
    expect(preflight.commands).toEqual([
      `CLIENT LIST TYPE master (on ${target!.id})`,
      `CLIENT KILL ADDR <the address the chaos proxy forwards that connection from> TYPE replica (on ${status.nodes.find((node) => node.role === 'master')!.id})`,
    ]);
    const since = Date.now();
    const result = await replscope.run(preflight);
    expect(result).toMatchObject({ outcome: 'partial-resync', predictionHeld: true });
    // The engine's own events: one partial resync, of the target.
    const partials = replscope.eventsWhere((event) => event.kind === 'partial-resync' && event.time >= since);
    expect(partials.map((event) => event.nodeId)).toEqual([target!.id]);
    // Its cause is the operator's action, shown on the timeline like the link-down's (not "cause unknown", which is hidden).
    expect(partials[0]).toMatchObject({ cause: 'manual', numbers: { attribution: 'operator' } });
    expect(partials[0]!.message).toContain(`it reconnected after this console's Disconnect link (master side`);
    expect(replscope.eventsWhere((event) => event.kind === 'link-down' && event.time >= since && event.nodeId === bystander!.id)).toEqual([]);
    // The engines report the link closed on both sides; the console ran the kill and says so: the action, who, when (not "network" or "cause unknown").
    const linkDowns = replscope.eventsWhere((event) => event.kind === 'link-down' && event.time >= since && event.nodeId === target!.id);
    expect(linkDowns.length).toBeGreaterThan(0);
    for (const event of linkDowns) {
      expect(event.cause).toBe('manual');
      expect(event.message).toContain(`this console's Disconnect link (master side: CLIENT KILL ADDR … TYPE replica on ${status.nodes.find((node) => node.role === 'master')!.id}), run at ${new Date(result.startedAt).toISOString()} by the ACL user "default"`);
      expect(event.numbers).toMatchObject({ attribution: 'operator' });
    }
  });

  it('a chaos cut of the link: its link-downs and the partial resync after it are put down to the chaos, not to "network"', async () => {
    const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 500 });
    const status = await replscope.startDemo({ topology: 'pair' });
    const master = status.nodes.find((node) => node.role === 'master')!;
    const replica = status.nodes.find((node) => node.role === 'replica')!;
    await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
    const statsBefore = await info({ port: master.port }, 'stats');
    const since = Date.now();
    await replscope.call('demo.chaos', { kind: 'cut-link', replicaId: replica.id, seconds: 2 });
    const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id && event.time >= since, 'the partial resync after the cut', 15_000);
    // The master's truth: one partial resync accepted, no full one.
    const statsAfter = await info({ port: master.port }, 'stats');
    expect(Number(statsAfter.get('sync_partial_ok')) - Number(statsBefore.get('sync_partial_ok'))).toBe(1);
    expect(Number(statsAfter.get('sync_full'))).toBe(Number(statsBefore.get('sync_full')));
    const chaos = `the demo's chaos (cut the link of ${replica.id} for 2 s)`;
    expect(partial).toMatchObject({ cause: 'chaos', numbers: { attribution: 'operator' } });
    expect(partial.message).toContain(`— it reconnected after ${chaos}`);
    const linkDowns = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since);
    expect(linkDowns.length).toBeGreaterThan(0);
    for (const event of linkDowns) {
      expect(event.cause).toBe('chaos');
      expect(event.message).toContain(`— ${chaos}`);
    }
  });
});
