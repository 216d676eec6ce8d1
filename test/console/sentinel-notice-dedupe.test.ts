/**
 * The timeline's Sentinel notices, deduplicated as event-detector.ts keys
 * them, fed the notices as redis-sentinel 7.0 publishes them on its own
 * pub/sub (channel = event name, payload = message; sentinel.c
 * sentinelEvent()). A notice about an instance is shown once however many
 * Sentinels publish it; one naming no instance is its publisher's own
 * (sentinelEvent(LL_WARNING,"+tilt",NULL,"#tilt mode entered"): the
 * Sentinel's own TILT), so each publishing Sentinel's is a line of its own.
 * TILT needs a jump of the Sentinel's clock, so this is fed the published
 * lines rather than real Sentinels.
 *
 * A failover attempt's notices (+try-failover, +elected-leader,
 * +failover-state-*, ..., -failover-abort-* or +failover-end) are published
 * by the one Sentinel running it, and several attempts at one master can
 * follow each other within seconds (two Sentinels in turn, or one retrying
 * after an abort): each attempt's notices are lines of their own. The real
 * Sentinels' version is test/scenarios/sentinel-failover-attempts-per-leader.
 */
import { describe, expect, it } from 'vitest';
import { EventDetector } from '../../main/console/monitor/event-detector';
import { parseSentinelNotice } from '../../main/console/monitor/sentinel-notice';
import type { ReplicationEvent } from '../../shared/contract/events';

const SENTINELS = ['127.0.0.1:26379', '127.0.0.1:26380', '127.0.0.1:26381'];

function makeDetector(): { detector: EventDetector; shown: ReplicationEvent[] } {
  const shown: ReplicationEvent[] = [];
  const detector = new EventDetector({ sessionId: 's', embedded: false, client: () => undefined, sentinel: () => null, cluster: () => false, record: (event) => shown.push(event) });
  return { detector, shown };
}

/** The same notice published by each Sentinel, 50 ms apart. */
function fromEach(detector: EventDetector, channel: string, payload: string, at: number): void {
  SENTINELS.forEach((sentinel, index) => detector.onSentinelNotice(parseSentinelNotice(sentinel, channel, payload, at + index * 50)));
}

const lines = (shown: ReplicationEvent[], channel: string): string[] => shown.filter((event) => event.numbers.channel === channel).map((event) => `${event.peerId}: ${event.message}`);

describe('Sentinel notices several Sentinels publish together', () => {
  it('+tilt and -tilt name no instance: one line per Sentinel, each credited to its own', () => {
    const { detector, shown } = makeDetector();
    fromEach(detector, '+tilt', '#tilt mode entered', 1_000);
    fromEach(detector, '-tilt', '#tilt mode exited', 31_000);
    for (const channel of ['+tilt', '-tilt']) {
      const tilts = shown.filter((event) => event.numbers.channel === channel);
      expect(tilts.map((event) => event.numbers.sentinel), lines(shown, channel).join('\n')).toEqual(SENTINELS);
      for (const [index, event] of tilts.entries()) expect(event.message).toContain(`Sentinel ${SENTINELS[index]}: ${channel}`);
    }
  });

  it('one Sentinel\'s own +tilt published twice within the window is still one line', () => {
    const { detector, shown } = makeDetector();
    detector.onSentinelNotice(parseSentinelNotice(SENTINELS[0]!, '+tilt', '#tilt mode entered', 1_000));
    detector.onSentinelNotice(parseSentinelNotice(SENTINELS[0]!, '+tilt', '#tilt mode entered', 1_100));
    expect(lines(shown, '+tilt')).toHaveLength(1);
  });

  it('a notice about an instance (+sdown of the master) stays one line however many publish it', () => {
    const { detector, shown } = makeDetector();
    fromEach(detector, '+sdown', 'master mymaster 127.0.0.1 6379', 1_000);
    expect(lines(shown, '+sdown')).toHaveLength(1);
  });
});

const MASTER = 'master mymaster 127.0.0.1 6379';

/** One Sentinel's notices, 10 ms apart, as [channel, payload] pairs. */
function publish(detector: EventDetector, sentinel: string, notices: ReadonlyArray<readonly [string, string]>, at: number): void {
  notices.forEach(([channel, payload], index) => detector.onSentinelNotice(parseSentinelNotice(sentinel, channel, payload, at + index * 10)));
}

describe('a failover attempt\'s notices, which only its Sentinel publishes', () => {
  it('two Sentinels trying in turn (epochs 1 and 2): each one\'s +try-failover and abort are lines of their own', () => {
    const { detector, shown } = makeDetector();
    const [first, second] = SENTINELS as [string, string];
    publish(detector, first, [['+new-epoch', '1'], ['+try-failover', MASTER], ['-failover-abort-not-elected', MASTER]], 1_000);
    publish(detector, second, [['+new-epoch', '2'], ['+try-failover', MASTER], ['+elected-leader', MASTER], ['+failover-state-select-slave', MASTER], ['-failover-abort-no-good-slave', MASTER]], 5_000);
    expect(lines(shown, '+try-failover').map((line) => line.split(':').slice(0, 2).join(':'))).toEqual([first, second]);
    expect(lines(shown, '-failover-abort-not-elected')).toHaveLength(1);
    expect(lines(shown, '-failover-abort-no-good-slave')).toHaveLength(1);
  });

  it('one Sentinel retrying after -failover-abort-no-good-slave (epochs 2 and 3, 4 s apart): every step twice, as its log shows', () => {
    const { detector, shown } = makeDetector();
    const steps = ['+try-failover', '+elected-leader', '+failover-state-select-slave', '-failover-abort-no-good-slave'];
    publish(detector, SENTINELS[0]!, [['+new-epoch', '2'], ...steps.map((step) => [step, MASTER] as const)], 1_000);
    publish(detector, SENTINELS[0]!, [['+new-epoch', '3'], ...steps.map((step) => [step, MASTER] as const)], 5_000);
    for (const step of steps) expect(lines(shown, step), step).toHaveLength(2);
  });

  it('+switch-master, which every Sentinel publishes as it learns the new configuration, stays one line', () => {
    const { detector, shown } = makeDetector();
    fromEach(detector, '+switch-master', 'mymaster 127.0.0.1 6379 127.0.0.1 6380', 1_000);
    expect(lines(shown, '+switch-master')).toHaveLength(1);
  });
});

describe('a notice about one node that Sentinels name by different addresses', () => {
  it('is one line: duplicates are keyed on the node the address resolves to', () => {
    const shown: ReplicationEvent[] = [];
    const alias = (address: string): string => (address === '10.0.0.5:6379' ? '127.0.0.1:6379' : address);
    const detector = new EventDetector({ sessionId: 's', embedded: false, client: () => undefined, sentinel: () => null, cluster: () => false, alias, record: (event) => shown.push(event) });
    detector.onSentinelNotice(parseSentinelNotice(SENTINELS[0]!, '+sdown', 'master mymaster 127.0.0.1 6379', 1_000));
    detector.onSentinelNotice(parseSentinelNotice(SENTINELS[1]!, '+sdown', 'master mymaster 10.0.0.5 6379', 1_050));
    expect(lines(shown, '+sdown')).toHaveLength(1);
  });
});
