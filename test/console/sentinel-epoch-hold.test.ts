/**
 * A +new-epoch's failover (sentinel-epoch-hold.ts), with notices as
 * redis-sentinel 7.0 publishes them: the leader's '+new-epoch 1' just before
 * its '+try-failover'; another Sentinel's '+new-epoch 1' then
 * '+vote-for-leader <run id> 1'; and a Sentinel that joined late learning an
 * old epoch from a hello, with no failover step around it: at most the
 * '+switch-master' the same hello brings, and the routine corrections
 * ('+fix-slave-config', '+convert-to-slave') or an old abort near it.
 */
import { describe, expect, it } from 'vitest';
import { EpochHold, HOLD_MS } from '../../main/console/monitor/sentinel-epoch-hold';
import { explainNotice, isFailoverStep, parseSentinelNotice } from '../../main/console/monitor/sentinel-notice';

const at = (time: number, channel: string, text: string) => parseSentinelNotice('127.0.0.1:26379', channel, text, time);

describe('a +new-epoch and its failover', () => {
  it('held, then explained by the +try-failover that follows it', () => {
    const hold = new EpochHold<string>();
    const epoch = at(1000, '+new-epoch', '1');
    expect(hold.verdict(epoch, [epoch])).toBeNull();
    hold.hold(epoch, 'e1');
    expect(hold.explainedBy(at(1000, '+sdown', 'master mymaster 127.0.0.1 6379'))).toEqual([]);
    expect(hold.explainedBy(at(1001, '+try-failover', 'master mymaster 127.0.0.1 6379')).map((held) => held.payload)).toEqual(['e1']);
    expect(hold.expired(1000 + HOLD_MS)).toEqual([]);
  });

  it('explained by a +vote-for-leader, or by a step shortly before it', () => {
    const hold = new EpochHold<string>();
    hold.hold(at(1000, '+new-epoch', '2'), 'e2');
    expect(hold.explainedBy(at(1002, '+vote-for-leader', '56d0e7454a39762a202b23185afc543bcfcefc04 2'))).toHaveLength(1);
    const late = at(5000, '+new-epoch', '2');
    expect(hold.verdict(late, [at(1001, '+try-failover', 'master mymaster 127.0.0.1 6379'), late])).toBe('failover');
  });

  it('no step around it: unknown after the hold; a finished failover explains no new epoch', () => {
    const hold = new EpochHold<string>();
    const late = at(50_000, '+new-epoch', '5');
    expect(hold.verdict(late, [at(45_000, '+failover-end', 'master mymaster 127.0.0.1 6379'), late])).toBeNull();
    hold.hold(late, 'e5');
    expect(hold.expired(50_000 + HOLD_MS - 1)).toEqual([]);
    expect(hold.expired(50_000 + HOLD_MS).map((held) => held.payload)).toEqual(['e5']);
    expect(hold.explainedBy(at(60_000, '+try-failover', 'master mymaster 127.0.0.1 6379'))).toEqual([]);
  });

  it('a late Sentinel\'s epoch next to routine or closing notices stays unknown', () => {
    const hold = new EpochHold<string>();
    const late = at(80_000, '+new-epoch', '5');
    // Within STEP_BEFORE_MS before it: corrections and an abort, which start or carry no failover.
    const before = [
      at(71_000, '-failover-abort-not-elected', 'master mymaster 127.0.0.1 6379'),
      at(72_000, '+convert-to-slave', 'slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6381'),
      at(79_000, '+fix-slave-config', 'slave 127.0.0.1:6382 127.0.0.1 6382 @ mymaster 127.0.0.1 6381'),
      at(79_500, '+slave-reconf-done', 'slave 127.0.0.1:6382 127.0.0.1 6382 @ mymaster 127.0.0.1 6381'),
    ];
    expect(hold.verdict(late, [...before, late])).toBeNull();
    hold.hold(late, 'e5');
    // Within HOLD_MS after it: the +switch-master its hello carried, then the same corrections.
    for (const after of [
      at(80_000, '+switch-master', 'mymaster 127.0.0.1 6379 127.0.0.1 6381'),
      at(80_500, '+fix-slave-config', 'slave 127.0.0.1:6382 127.0.0.1 6382 @ mymaster 127.0.0.1 6381'),
      at(81_000, '+convert-to-slave', 'slave 127.0.0.1:6379 127.0.0.1 6379 @ mymaster 127.0.0.1 6381'),
      at(81_500, '-failover-abort-no-good-slave', 'master mymaster 127.0.0.1 6381'),
      at(81_600, '+failover-end', 'master mymaster 127.0.0.1 6381'),
    ]) expect(hold.explainedBy(after), after.channel).toEqual([]);
    expect(hold.expired(80_000 + HOLD_MS).map((held) => held.payload)).toEqual(['e5']);
  });

  it('each notice that starts or carries a failover explains a held epoch', () => {
    for (const step of [
      at(1001, '+try-failover', 'master mymaster 127.0.0.1 6379'),
      at(1001, '+vote-for-leader', '56d0e7454a39762a202b23185afc543bcfcefc04 3'),
      at(1001, '+elected-leader', 'master mymaster 127.0.0.1 6379'),
      at(1001, '+failover-state-select-slave', 'master mymaster 127.0.0.1 6379'),
      at(1001, '+selected-slave', 'slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379'),
      at(1001, '+failover-state-send-slaveof-noone', 'slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379'),
      at(1001, '+failover-state-wait-promotion', 'slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379'),
      at(1001, '+promoted-slave', 'slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379'),
      at(1001, '+failover-state-reconf-slaves', 'master mymaster 127.0.0.1 6379'),
    ]) {
      const hold = new EpochHold<string>();
      hold.hold(at(1000, '+new-epoch', '3'), 'e3');
      expect(hold.explainedBy(step).map((held) => held.payload), step.channel).toEqual(['e3']);
    }
  });

  it('the +vote-for-leader that explains an epoch is itself a failover step, naming the leader and the epoch', () => {
    const vote = at(1002, '+vote-for-leader', '56d0e7454a39762a202b23185afc543bcfcefc04 2');
    expect(isFailoverStep(vote.channel)).toBe(true);
    expect(explainNotice(vote)).toBe('voted for the Sentinel with run id 56d0e745 to lead the failover of epoch 2');
  });
});
