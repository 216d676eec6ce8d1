/**
 * Only a CLIENT KILL in the window of a link-down is blamed for it.
 *
 * A link-down the polls see with no cause of its own is put down to CLIENT
 * KILL when the master's INFO commandstats count one (cmdstat_client|kill)
 * since a baseline taken before the poll preceding the drop. Baselines were
 * taken every 10 polls: a CLIENT KILL of some unrelated client a few polls
 * before the drop was counted too, and the link-down said it was killed.
 *
 * redis-server 7.0 pair, the replica stopped (SIGSTOP) and its connection
 * cut by the master itself for overcoming client-output-buffer-limit replica
 * (no CLIENT KILL anywhere: the master's log says "scheduled to be closed
 * ASAP for overcoming of output buffer limits"). Some polls before, CLIENT
 * KILL ID of an idle client of no concern to replication, run right after
 * the console took a commandstats baseline (seen on MONITOR), so that under
 * the old every-10-polls schedule that baseline is the one the link-down is
 * measured from. Then, with the replica stopped again, a real CLIENT KILL
 * TYPE replica: that link-down is still put down to it.
 *
 * Held against the master: its log lines for both drops, and its
 * cmdstat_client|kill (+1 for the unrelated kill, +1 for the real one).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseInfo } from '../../main/console/monitor/info-fields';
import { RespConnection } from '../support/resp-connection';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, replicationTruth, scenarioNodeKinds, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

const POLL_MS = 500;
const OUTPUT_BUFFER_CUT = /scheduled to be closed ASAP for overcoming of output buffer limits/;

async function clientKills(node: ScenarioNode): Promise<number> {
  return Number(/calls=(\d+)/.exec(parseInfo(String(await node.call('INFO', 'commandstats'))).get('cmdstat_client|kill') ?? '')?.[1] ?? 0);
}

/** Resolves when MONITOR on `node` shows an INFO commandstats (the console's baseline) run by another client. */
async function nextCommandstatsBaseline(node: ScenarioNode): Promise<void> {
  const socket = net.connect(node.port, '127.0.0.1');
  try {
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      socket.once('error', reject);
      socket.on('data', (chunk) => {
        seen += chunk.toString('latin1');
        if (/"info" "commandstats"/i.test(seen)) resolve();
        seen = seen.slice(-200);
      });
      socket.write('MONITOR\r\n');
      setTimeout(() => reject(new Error('no INFO commandstats on MONITOR in 10 s')), 10_000).unref();
    });
  } finally {
    socket.destroy();
  }
}

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0', () => {
  it('a CLIENT KILL of an unrelated client some polls before an output-buffer cut is not blamed for it; a CLIENT KILL TYPE replica still is', async () => {
    const group = await startGroup('redis', { shape: 'pair', masterArgs: ['--client-output-buffer-limit', 'replica 1mb 0 0'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: POLL_MS, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

    // An idle client of no concern to replication, killed right after a baseline.
    const bystander = new RespConnection('127.0.0.1', master.port);
    await bystander.connect();
    const bystanderId = Number(await bystander.call('CLIENT', 'ID'));
    const killsBefore = await clientKills(master);
    await nextCommandstatsBaseline(master);
    expect(await master.call('CLIENT', 'KILL', 'ID', String(bystanderId))).toBe(1);
    bystander.close();
    expect(await clientKills(master)).toBe(killsBefore + 1);
    await sleep(3 * POLL_MS); // some polls pass with the link up
    expect((await replicationTruth(master)).replicas.map((line) => line.id)).toContain(replica.id);

    // The replica stops reading; 24 MB of writes overflow its output buffer (1 MB hard limit) past the kernel's buffers.
    const mark = master.mark();
    replica.signal('SIGSTOP');
    try {
      const value = 'x'.repeat(512 * 1024);
      for (let index = 0; index < 48; index++) {
        await master.call('SET', `big:${index}`, value);
        if (OUTPUT_BUFFER_CUT.test(master.logSince(mark))) break;
      }
      await waitForLog(master, OUTPUT_BUFFER_CUT, mark);
      expect(await clientKills(master), 'no CLIENT KILL behind the cut').toBe(killsBefore + 1);
      const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.peerId === master.id, `the link-down of ${replica.id}`, 10_000);
      expect(down.cause, down.message).not.toBe('client-kill');
      expect(down.message).not.toContain('CLIENT KILL');
    } finally {
      replica.signal('SIGCONT');
    }

    // Back in sync, then a real CLIENT KILL TYPE replica of the stopped replica: put down to it.
    expect(await master.call('CONFIG', 'SET', 'client-output-buffer-limit', 'replica 256mb 64mb 60')).toBe('OK');
    await waitForGroupInSync(master, [replica]);
    await waitFor(async () => replscope.snapshot().links.some((link) => link.replicaId === replica.id && link.state === 'online'), { what: 'the console to see the link online again' });
    await sleep(3 * POLL_MS);
    const killedAt = Date.now();
    const killMark = master.mark();
    replica.signal('SIGSTOP');
    try {
      expect(await master.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
      await waitForLog(master, /Connection with replica .* lost/, killMark);
      expect(await clientKills(master)).toBe(killsBefore + 2);
      const killed = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.peerId === master.id && event.time >= killedAt, `the link-down of ${replica.id} after the kill`, 10_000);
      expect(killed.cause, killed.message).toBe('client-kill');
      expect(killed.message).toContain(`CLIENT KILL on ${master.id} (not by this console): cmdstat_client|kill rose by 1`);
    } finally {
      replica.signal('SIGCONT');
    }
  }, 90_000);
});
