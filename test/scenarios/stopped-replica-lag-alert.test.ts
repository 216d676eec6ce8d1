/**
 * A frozen replica raises the lag alerts its master's INFO calls for.
 *
 * A replica stopped (SIGSTOP) while its master takes writes: the master keeps
 * listing it `state=online` until repl-timeout, with the offset it last
 * acknowledged (`slaveN:...,offset=`) falling further behind
 * master_repl_offset and `lag=` (seconds since its last REPLCONF ACK)
 * growing by one every second. Those are the master's current figures, read
 * this poll; only the replica's own INFO is missing. Found in a new-user
 * walk: no Byte lag nor ACK age alert ever opened for it, because the link
 * was marked stale (its replica did not answer) and a stale link's lag only
 * kept an open alert open. The stopped replica's Node down alert is not the
 * same news: it says the console cannot reach the node, not that the master
 * is writing past it.
 *
 * Held against the master's INFO replication: when each alert is first
 * pushed, the master's slaveN line says the replica is more bytes behind
 * than the rule, and acknowledged longer ago than the rule. After SIGCONT
 * the replica catches up (its slave_repl_offset meets the master's offset)
 * and both alerts clear.
 */
import { expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, type Alert } from '../../shared/contract/alerts';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup, WriteLoad } from './harness';

useScenarioCleanup();

const LAG_RULE_BYTES = 16 * 1024;
const ACK_RULE_SECONDS = 2;

forEachNodeKind((kind) => {
  it('a stopped replica its master lists online and falling behind: Byte lag and ACK age alerts open from the master\'s figures, and clear once it catches up', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const stopped = group.node('replica-1');
    const load = WriteLoad.start(master, { opsPerSec: 1000 });
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    try {
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      await replscope.call('alerts.rules.set', {
        profileId: null,
        rules: {
          ...DEFAULT_ALERT_RULES,
          lagBytes: { enabled: true, bytes: LAG_RULE_BYTES, forSeconds: 1 },
          ackAge: { enabled: true, seconds: ACK_RULE_SECONDS, forSeconds: 1 },
        },
      });
      const about = (rule: Alert['rule']) => (alert: Alert): boolean => alert.rule === rule && alert.subject === stopped.id;
      expect(replscope.alertPushesWhere((alert) => alert.subject === stopped.id)).toEqual([]);

      stopped.signal('SIGSTOP');
      try {
        const lagAlert = await replscope.waitForAlert(about('lag-bytes'), 'the Byte lag alert for the stopped replica', 15_000);
        const ackAlert = await replscope.waitForAlert(about('ack-age'), 'the ACK age alert for the stopped replica', 15_000);
        // The master's own word, read after both fired: still online, behind by more than the rule, ACK older than the rule.
        const truth = await replicationTruth(master);
        const line = truth.replicas.find((candidate) => candidate.id === stopped.id);
        const shown = `${lagAlert.message} | ${ackAlert.message} | master said ${JSON.stringify(line)} at offset ${truth.masterReplOffset}`;
        expect(line?.state, shown).toBe('online');
        expect(truth.masterReplOffset - line!.ackOffset, shown).toBeGreaterThan(LAG_RULE_BYTES);
        expect(line!.lagSeconds, shown).toBeGreaterThan(ACK_RULE_SECONDS);
        expect(lagAlert.clearedAt, shown).toBeNull();
        expect(ackAlert.clearedAt, shown).toBeNull();
        expect(lagAlert.message, shown).toContain('acknowledged');
        expect(ackAlert.message, shown).toContain(`INFO lag on ${master.id}`);
        // What the link shows now is the master's line (its ACK and lag), not a guess.
        const link = replscope.link(stopped.id);
        expect(link.state, shown).toBe('online');
        expect(link.offsetSource, shown).toBe('ack');
      } finally {
        stopped.signal('SIGCONT');
      }

      // Caught up by its own offset: both alerts clear, each having fired once.
      await waitFor(async () => {
        const [top, below] = await Promise.all([replicationTruth(master), replicationTruth(stopped)]);
        return top.masterReplOffset - below.slaveReplOffset! < LAG_RULE_BYTES;
      }, { timeoutMs: 15_000, what: `${stopped.id} caught up` });
      await replscope.waitForAlert((alert) => about('lag-bytes')(alert) && alert.clearedAt !== null, 'the Byte lag alert cleared', 15_000);
      await replscope.waitForAlert((alert) => about('ack-age')(alert) && alert.clearedAt !== null, 'the ACK age alert cleared', 15_000);
      for (const rule of ['lag-bytes', 'ack-age'] as const) {
        const pushes = replscope.alertPushesWhere(about(rule));
        expect(new Set(pushes.map((push) => push.alert.id)).size, rule).toBe(1);
        expect(pushes.filter((push) => push.notify).length, rule).toBe(1);
      }
    } finally {
      await load.stop();
    }
  }, 60_000);
});
