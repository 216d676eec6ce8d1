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
