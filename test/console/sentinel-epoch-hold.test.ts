/**
 * A +new-epoch's failover (sentinel-epoch-hold.ts), with notices as
 * redis-sentinel 7.0 publishes them: the leader's '+new-epoch 1' just before
 * its '+try-failover'; another Sentinel's '+new-epoch 1' then
 * '+vote-for-leader <run id> 1'; and a Sentinel that joined late learning an
 * old epoch from a hello, with no failover step around it.
 */
import { describe, expect, it } from 'vitest';
import { EpochHold, HOLD_MS } from '../../main/console/monitor/sentinel-epoch-hold';
import { parseSentinelNotice } from '../../main/console/monitor/sentinel-notice';

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
});
