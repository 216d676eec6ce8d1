/**
 * A real redis-server made a replica of the demo's master (README: "A real
 * replica of ours ... works"). The demo's session discovers it through the
 * master's replica list. Found in a new-user trial: the demo showed it as
 * "embedded", and its safety mode (demo: "everything, embedded nodes
 * only", no confirmation) let Force full resync run on it.
 *
 * The stream tap, which the demo allows on its own nodes unasked, is refused
 * there too (found in the next trial: it attached to such a node once it
 * had been made a master).
 *
 * Held against the truth: the node the test started is a redis-server
 * process (its INFO says so: no engine of the demo listens on its port,
 * and demo.status lists the demo's own nodes); the demo's own replica
 * stays embedded and actionable.
 */
import { expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { startRedisServer } from '../support/redis-server';
import { freePort } from '../support/ports';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a redis-server replica of the demo master: shown as not embedded, and the demo refuses to act on it', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const demoReplica = status.nodes.find((node) => node.role === 'replica')!;
  const port = await freePort();
  const real = await startRedisServer({ port, args: ['--replicaof', '127.0.0.1', String(master.port), '--repl-diskless-sync-delay', '0'] });
  try {
    const realId = `127.0.0.1:${port}`;
    // The node's own truth: a redis-server replica of the demo master, streaming; not one of the demo's nodes.
    await expect.poll(async () => (await info({ port }, 'replication')).get('master_link_status'), { timeout: 20_000 }).toBe('up');
    expect((await info({ port }, 'server')).get('executable')).toMatch(/redis-server$/);
    expect(status.nodes.map((node) => node.id)).not.toContain(realId);

    const snapshot = await replscope.waitForSnapshot((current) => current.nodes.some((node) => node.id === realId && node.health === 'up' && node.role === 'replica'), `the demo session to show ${realId}`);
    expect(replscope.node(realId, snapshot).embedded).toBe(false);
    for (const own of status.nodes) expect(replscope.node(own.id, snapshot).embedded, own.id).toBe(true);

    const refused = await replscope.preflight({ kind: 'force-full-resync', replicaId: realId });
    expect(refused.allowed).toBe(false);
    expect(refused.deniedReason).toMatch(new RegExp(`the demo acts only on its embedded nodes: ${realId.replace(/\./g, '\\.')} is not one of them`));
    const backlog = await replscope.preflight({ kind: 'set-backlog-size', nodeId: realId, bytes: 2 * 1024 * 1024 });
    expect(backlog.allowed).toBe(false);
    // Nothing ran on it: it still follows the demo master and its backlog is redis-server's default.
    expect((await info({ port }, 'replication')).get('master_port')).toBe(String(master.port));
    expect(await command({ port }, 'CONFIG', 'GET', 'repl-backlog-size')).toEqual(['repl-backlog-size', '1048576']);

    // The demo's own replica is still the demo's to act on.
    expect((await replscope.preflight({ kind: 'force-full-resync', replicaId: demoReplica.id })).allowed).toBe(true);

    // The stream tap is refused on it as every action is: made a master by hand (REPLICAOF NO ONE, its backlog
    // active), it stays in the demo session, and without this refusal the tap attached to it unasked.
    expect(await command({ port }, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    await replscope.waitForSnapshot((current) => current.nodes.some((node) => node.id === realId && node.health === 'up' && node.role === 'master'), `the demo session to show ${realId} as a master`);
    expect((await info({ port }, 'replication')).get('repl_backlog_active')).toBe('1');
    const tapPreflight = await replscope.call('tap.preflight', { sessionId: replscope.sessionId, nodeId: realId });
    expect(tapPreflight.allowed).toBe(false);
    expect(tapPreflight.checks.find((check) => check.name === 'profile')).toEqual({
      name: 'profile', status: 'refuse', detail: `The demo acts only on its embedded nodes: ${realId} is not one of them (attach it with a profile of its own, with the stream tap allowed, to tap it).`,
    });
    await expect(replscope.call('tap.start', { sessionId: replscope.sessionId, nodeId: realId })).rejects.toThrow(/The demo acts only on its embedded nodes/);
    expect((await info({ port }, 'replication')).get('connected_slaves')).toBe('0');
    // The demo's own master may still be tapped.
    expect((await replscope.call('tap.preflight', { sessionId: replscope.sessionId, nodeId: master.id })).allowed).toBe(true);
  } finally {
    await real.stop();
  }
}, 60_000);
