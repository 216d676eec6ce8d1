import { describe, expect, it } from 'vitest';
import { syntheticLink, syntheticNode } from '../../test-support/synthetic-topology';
import { DEFAULT_SETTINGS } from './settings-parse';
import { assessLink, assessNode, levelForValue, worstLevel } from './thresholds';

const thresholds = { lagBytesWarn: 64 * 1024, lagBytesCritical: 1024 * 1024, ackAgeWarnSeconds: 2, ackAgeCriticalSeconds: 10, backlogUseWarn: 0.5 };

describe('threshold levels', () => {
  it('warn and critical are inclusive lower bounds', () => {
    expect(levelForValue(0, 10, 20)).toBe('ok');
    expect(levelForValue(9.99, 10, 20)).toBe('ok');
    expect(levelForValue(10, 10, 20)).toBe('warn');
    expect(levelForValue(20, 10, 20)).toBe('critical');
    expect(levelForValue(null, 10, 20)).toBe('unknown');
  });
  it('the worst level wins', () => {
    expect(worstLevel(['ok', 'warn', 'unknown'])).toBe('warn');
    expect(worstLevel(['critical', 'ok'])).toBe('critical');
    expect(worstLevel([])).toBe('unknown');
  });
});

describe('link assessment', () => {
  it('an online link under every threshold is ok with no reasons', () => {
    expect(assessLink(syntheticLink('m', 'r', { lagBytes: 1000, ackAgeSeconds: 0 }), thresholds, 16 * 1024 * 1024)).toEqual({ level: 'ok', reasons: [] });
  });
  it('a current replica under load is ok although its last ACK is far behind (ACKs come once a second)', () => {
    const link = syntheticLink('m', 'r', { lagBytes: 2000, ackLagBytes: 300 * 1024, offsetSource: 'replica', ackAgeSeconds: 1 });
    expect(assessLink(link, thresholds, 256 * 1024)).toEqual({ level: 'ok', reasons: [] });
  });
  it('a stale link is never ok, and says why', () => {
    const stale = assessLink(syntheticLink('m', 'r', { stale: true, staleReason: 'm no answer for 3.0 s' }), thresholds, null);
    expect(stale.level).toBe('warn');
    expect(stale.reasons).toEqual(['Figures not current: m no answer for 3.0 s']);
    expect(assessNode(syntheticNode('r', { role: 'replica', stale: true, staleReason: 'its master m is hung' }))).toEqual({ level: 'warn', reasons: ['Figures not current: its master m is hung'] });
  });
  it('byte lag colours by the user thresholds', () => {
    const warn = assessLink(syntheticLink('m', 'r', { lagBytes: 100 * 1024 }), thresholds, null);
    expect(warn.level).toBe('warn');
    expect(warn.reasons[0]).toContain('Byte lag 100 KiB');
    expect(assessLink(syntheticLink('m', 'r', { lagBytes: 2 * 1024 * 1024 }), thresholds, null).level).toBe('critical');
    // Same link, looser thresholds: ok.
    expect(assessLink(syntheticLink('m', 'r', { lagBytes: 100 * 1024 }), { ...thresholds, lagBytesWarn: 200 * 1024 }, null).level).toBe('ok');
  });
  it('ACK age colours too, and says it is the time since the last ACK', () => {
    const result = assessLink(syntheticLink('m', 'r', { ackAgeSeconds: 11 }), thresholds, null);
    expect(result.level).toBe('critical');
    expect(result.reasons).toContain('Last ACK 11 s ago');
  });
  it('lag against the backlog: warn past the share, critical beyond the backlog', () => {
    const backlog = 256 * 1024;
    expect(assessLink(syntheticLink('m', 'r', { lagBytes: 60 * 1024 }), thresholds, backlog).level).toBe('ok');
    const half = assessLink(syntheticLink('m', 'r', { lagBytes: 130 * 1024 }), { ...thresholds, lagBytesWarn: 1e9, lagBytesCritical: 1e9 }, backlog);
    expect(half.level).toBe('warn');
    expect(half.reasons[0]).toContain('of the backlog');
    const beyond = assessLink(syntheticLink('m', 'r', { lagBytes: 300 * 1024 }), { ...thresholds, lagBytesWarn: 1e9, lagBytesCritical: 1e9 }, backlog);
    expect(beyond.level).toBe('critical');
    expect(beyond.reasons[0]).toContain('full resync');
  });
  it('a down link is critical whatever its figures; syncing is a warning', () => {
    expect(assessLink(syntheticLink('m', 'r', { state: 'down', downSinceSeconds: 4 }), thresholds, null)).toMatchObject({ level: 'critical', reasons: ['Link down for 4 s'] });
    expect(assessLink(syntheticLink('m', 'r', { state: 'syncing' }), thresholds, null).level).toBe('warn');
  });
  it('defaults match the contract defaults', () => {
    expect(DEFAULT_SETTINGS.thresholds).toEqual(thresholds);
  });
});

describe('node assessment', () => {
  it('maps health to levels with the reason', () => {
    expect(assessNode(syntheticNode('a:1')).level).toBe('ok');
    expect(assessNode(syntheticNode('a:1', { health: 'loading' })).level).toBe('warn');
    expect(assessNode(syntheticNode('a:1', { health: 'unreachable', healthDetail: 'ECONNREFUSED' }))).toEqual({ level: 'critical', reasons: ['ECONNREFUSED'] });
    expect(assessNode(syntheticNode('a:1', { role: 'replica', masterLinkStatus: 'down' })).level).toBe('critical');
  });
});
