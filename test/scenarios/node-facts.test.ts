/**
 * Issue 18 part 4: the node facts people open redis-cli for, read by the
 * console (nodes.facts) and held against the node's own answers: SLOWLOG
 * LEN/GET, LATENCY LATEST after a real spike (DEBUG SLEEP), CLIENT LIST
 * TYPE replica on the master (the replica's connection) and on the replica
 * (none); for the README's monitor-only ACL user each denied part says it
 * is not permitted, in words, and the request still succeeds; the embedded
 * demo's nodes come with their own log, external nodes with none.
 */
import { describe, expect, it } from 'vitest';
import { RespConnection } from '../support/resp-connection';
import { RespError } from '../support/resp-reply-parser';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

/** The error line a node answers `args` with, on a connection authenticated as `user`. */
async function refusalAs(port: number, user: string, password: string, ...args: string[]): Promise<string> {
  const connection = new RespConnection('127.0.0.1', port);
  try {
    expect(await connection.call('AUTH', user, password)).toBe('OK');
    const reply = await connection.call(...args);
    expect(reply).toBeInstanceOf(RespError);
    return (reply as RespError).message;
  } finally {
    connection.close();
  }
}

const MONITOR_RULES = ['+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun'];

forEachNodeKind((kind) => {
  it('slow log, latency spikes and replica connections as the node reports them', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--slowlog-log-slower-than', '20000', '--latency-monitor-threshold', '10', '--enable-debug-command', 'yes'] });
    const [master, replica] = [group.master, group.replicas[0]!];
    const console = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500 });
    await console.waitForSteadyGroup([master.id, replica.id]);
    expect(await master.call('DEBUG', 'SLEEP', '0.05')).toBe('OK');

    const facts = await console.call('nodes.facts', { sessionId: console.sessionId, nodeId: master.id });
    expect(facts.slowlog.problem).toBeNull();
    expect(facts.slowlog.length).toBe(await master.call('SLOWLOG', 'LEN'));
    const sleep = facts.slowlog.entries.find((entry) => /^DEBUG SLEEP 0\.05$/i.test(entry.command));
    expect(sleep, JSON.stringify(facts.slowlog.entries)).toBeDefined();
    expect(sleep!.durationMicros).toBeGreaterThanOrEqual(40_000);
    expect(Math.abs(sleep!.time - Date.now())).toBeLessThan(30_000);

    expect(facts.latency.problem).toBeNull();
    const spike = facts.latency.events.find((event) => event.event === 'command');
    expect(spike, JSON.stringify(facts.latency.events)).toBeDefined();
    expect(spike!.latestMs).toBeGreaterThanOrEqual(40);
    expect(spike!.maxMs).toBeGreaterThanOrEqual(spike!.latestMs);

    // The master's only replica connection is the replica's link (flags S); the replica has none.
    expect(facts.replicaClients.problem).toBeNull();
    expect(facts.replicaClients.clients).toHaveLength(1);
    expect(facts.replicaClients.clients[0]!.flags).toContain('S');
    expect(facts.replicaClients.clients[0]!.addr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(facts.replicaClients.clients[0]!.outputBufferBytes).not.toBeNull();
    const replicaFacts = await console.call('nodes.facts', { sessionId: console.sessionId, nodeId: replica.id });
    expect(replicaFacts.replicaClients.clients).toEqual([]);
    // Not started by the console: its log is on its host.
    expect(facts.log).toBeNull();
  }, 60_000);

  it('a monitor-only ACL user: each part it may not read says so, and the facts still answer', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    for (const node of group.nodes) expect(await node.call('ACL', 'SETUSER', 'monitor', 'on', '>monitor-secret', '~*', '&*', ...MONITOR_RULES)).toBe('OK');
    const console = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500, profile: { username: 'monitor' }, secrets: { password: 'monitor-secret' } });
    await console.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const facts = await console.call('nodes.facts', { sessionId: console.sessionId, nodeId: group.master.id });
    expect(facts.slowlog.problem?.kind).toBe('denied');
    // The node's own reply to the monitor user first, verbatim, then what it means.
    const slowlogGet = await refusalAs(group.master.port, 'monitor', 'monitor-secret', 'SLOWLOG', 'GET', '10');
    const latency = await refusalAs(group.master.port, 'monitor', 'monitor-secret', 'LATENCY', 'LATEST');
    expect(slowlogGet).toBe("NOPERM this user has no permissions to run the 'slowlog|get' command");
    expect(facts.slowlog.problem?.message).toBe(`SLOWLOG GET answered "${slowlogGet}": the ACL user may not run it (grant +slowlog to see it here).`);
    expect(facts.latency.problem?.kind).toBe('denied');
    expect(facts.latency.problem?.message).toBe(`LATENCY LATEST answered "${latency}": the ACL user may not run it (grant +latency to see it here).`);
    expect(facts.replicaClients.problem?.kind).toBe('denied');
    expect(facts.slowlog.entries).toEqual([]);
  }, 60_000);
});

describe('embedded nodes', () => {
  it("the demo's nodes come with their own log lines", async () => {
    const console = await ConsoleUnderTest.start({ pollIntervalMs: 500 });
    await console.startDemo({});
    const snapshot = await console.waitForSnapshot((candidate) => candidate.nodes.length >= 2 && candidate.links.every((link) => link.state === 'online'), 'the demo up');
    const master = snapshot.nodes.find((node) => node.role === 'master')!;
    expect(master.embedded).toBe(true);
    const facts = await console.call('nodes.facts', { sessionId: console.sessionId, nodeId: master.id });
    expect(facts.log).not.toBeNull();
    expect(facts.log!.length).toBeGreaterThan(0);
    expect(facts.log!.join('\n')).toMatch(/Synchronization with replica .* succeeded|Starting BGSAVE for SYNC|Ready to accept connections/);
    const missing = await console.service.call('nodes.facts', { sessionId: console.sessionId, nodeId: '127.0.0.1:1' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.code).toBe('not-found');
  }, 60_000);
});
