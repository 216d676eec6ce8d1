/**
 * The gathering of Sentinels' discovery notices (+slave, +sentinel,
 * +sentinel-invalid-addr) into one line per kind and group, with messages as
 * redis-sentinel 7.0.15 published them when a replica and a fourth Sentinel
 * were added to a three-Sentinel group.
 */
import { describe, expect, it } from 'vitest';
import { DISCOVERY_WINDOW_MS, SentinelDiscoveryDigest, isDiscoveryNotice } from '../../main/console/monitor/sentinel-discovery';
import { parseSentinelNotice } from '../../main/console/monitor/sentinel-notice';

const SLAVE = 'slave 127.0.0.1:34373 127.0.0.1 34373 @ mymaster 127.0.0.1 37605';
const NEW_SENTINEL = 'sentinel a64b9a8fc3753fbf8429986b6e34cae2ded4616b 127.0.0.1 33983 @ mymaster 127.0.0.1 37605';

describe('Sentinel discovery digest', () => {
  it('every Sentinel\'s +slave for one replica is one line, out when the window closes', () => {
    const digest = new SentinelDiscoveryDigest();
    for (const [index, sentinel] of ['127.0.0.1:46805', '127.0.0.1:45957', '127.0.0.1:32825'].entries()) digest.add(parseSentinelNotice(sentinel, '+slave', SLAVE, 1000 + index * 3000));
    expect(digest.due(1000 + DISCOVERY_WINDOW_MS - 1)).toEqual([]);
    const [line, ...rest] = digest.due(1000 + DISCOVERY_WINDOW_MS);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ time: 1000, channel: '+slave', group: 'mymaster', masterId: '127.0.0.1:37605' });
    expect(line!.message).toMatch(/^mymaster: replica found in the master's INFO: 127\.0\.0\.1:34373 by Sentinels 127\.0\.0\.1:46805, 127\.0\.0\.1:45957, 127\.0\.0\.1:32825\. Sentinel now counts it as a failover candidate \(unless replica-priority is 0\)/);
    // A Sentinel that INFOs the master later says nothing new.
    digest.add(parseSentinelNotice('127.0.0.1:40000', '+slave', SLAVE, 1000 + DISCOVERY_WINDOW_MS + 500));
    expect(digest.due(1000 + 3 * DISCOVERY_WINDOW_MS)).toEqual([]);
  });

  it('a Sentinel is known by its run id too: the same address with a new run id is a new line', () => {
    const digest = new SentinelDiscoveryDigest();
    digest.add(parseSentinelNotice('127.0.0.1:46805', '+sentinel', NEW_SENTINEL, 0));
    expect(digest.due(DISCOVERY_WINDOW_MS)).toHaveLength(1);
    digest.add(parseSentinelNotice('127.0.0.1:46805', '+sentinel', NEW_SENTINEL, DISCOVERY_WINDOW_MS + 1));
    digest.add(parseSentinelNotice('127.0.0.1:46805', '+sentinel', NEW_SENTINEL.replace('a64b9a8f', '07f7f64b'), DISCOVERY_WINDOW_MS + 2));
    const [line] = digest.due(3 * DISCOVERY_WINDOW_MS);
    expect(line!.found).toEqual([{ instanceId: '127.0.0.1:33983', runId: '07f7f64bc3753fbf8429986b6e34cae2ded4616b', reportedBy: ['127.0.0.1:46805'] }]);
    expect(isDiscoveryNotice('+sentinel-invalid-addr')).toBe(true);
    expect(isDiscoveryNotice('+sdown')).toBe(false);
  });
});

describe('Sentinel discovery digest after a failover', () => {
  it('the +slave a Sentinel publishes with its +switch-master (re-listing the replicas, the old master among them) is no discovery', () => {
    const digest = new SentinelDiscoveryDigest();
    digest.noteSwitch(parseSentinelNotice('127.0.0.1:46805', '+switch-master', 'mymaster 127.0.0.1 37605 127.0.0.1 34373', 5000));
    digest.add(parseSentinelNotice('127.0.0.1:46805', '+slave', 'slave 127.0.0.1:37605 127.0.0.1 37605 @ mymaster 127.0.0.1 34373', 5000));
    expect(digest.due(5000 + DISCOVERY_WINDOW_MS)).toEqual([]);
    // Another Sentinel, which did not switch yet, finding a replica is one.
    digest.add(parseSentinelNotice('127.0.0.1:45957', '+slave', SLAVE, 5001));
    expect(digest.due(5001 + DISCOVERY_WINDOW_MS)).toHaveLength(1);
  });
});
