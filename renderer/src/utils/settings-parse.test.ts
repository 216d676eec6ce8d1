import { describe, expect, it } from 'vitest';
import { loadViewPrefs, parseViewPrefs, PREFS_STORAGE_KEY } from './local-prefs';
import { DEFAULT_SETTINGS, parseSettings } from './settings-parse';

describe('settings rebuilt from unknown', () => {
  it('returns the defaults for anything that is not an object', () => {
    for (const value of [null, undefined, 42, 'settings', [1, 2]]) expect(parseSettings(value)).toEqual(DEFAULT_SETTINGS);
  });
  it('keeps every valid field and replaces only the bad ones', () => {
    const parsed = parseSettings({
      pollIntervalMs: 500,
      thresholds: { lagBytesWarn: 1000, lagBytesCritical: 'lots', ackAgeWarnSeconds: -1, ackAgeCriticalSeconds: 30, backlogUseWarn: 0.8 },
      outageSeconds: 300,
      theme: 'neon',
      extra: true,
    });
    expect(parsed).toEqual({
      pollIntervalMs: 500,
      thresholds: { lagBytesWarn: 1000, lagBytesCritical: DEFAULT_SETTINGS.thresholds.lagBytesCritical, ackAgeWarnSeconds: 2, ackAgeCriticalSeconds: 30, backlogUseWarn: 0.8 },
      outageSeconds: 300,
      theme: 'system',
    });
  });
  it('enforces the contract ranges', () => {
    expect(parseSettings({ pollIntervalMs: 50 }).pollIntervalMs).toBe(1000);
    expect(parseSettings({ pollIntervalMs: 1000.5 }).pollIntervalMs).toBe(1000);
    expect(parseSettings({ outageSeconds: 0 }).outageSeconds).toBe(60);
    expect(parseSettings({ thresholds: { backlogUseWarn: 1.5 } }).thresholds.backlogUseWarn).toBe(0.5);
    expect(parseSettings({ pollIntervalMs: Number.NaN }).pollIntervalMs).toBe(1000);
  });
  it('never lets a critical threshold sit below its warning', () => {
    const parsed = parseSettings({ thresholds: { lagBytesWarn: 5000, lagBytesCritical: 100, ackAgeWarnSeconds: 8, ackAgeCriticalSeconds: 3 } });
    expect(parsed.thresholds.lagBytesCritical).toBe(5000);
    expect(parsed.thresholds.ackAgeCriticalSeconds).toBe(8);
  });
  it('falls back to a given previous value rather than the defaults', () => {
    const previous = { ...DEFAULT_SETTINGS, pollIntervalMs: 2000, theme: 'dark' as const };
    expect(parseSettings({ theme: 7 }, previous)).toMatchObject({ pollIntervalMs: 2000, theme: 'dark' });
  });
});

describe('view preferences rebuilt from unknown', () => {
  it('keeps valid fields only', () => {
    expect(parseViewPrefs({ lastSessionId: 'demo', topologyMode: 'table', chartWindowMinutes: 60 })).toEqual({ lastSessionId: 'demo', topologyMode: 'table', chartWindowMinutes: 60 });
    expect(parseViewPrefs({ lastSessionId: 5, topologyMode: '3d', chartWindowMinutes: 7 })).toEqual({ lastSessionId: '', topologyMode: 'graph', chartWindowMinutes: 15 });
  });
  it('survives corrupt storage', () => {
    const storage = { getItem: (key: string) => (key === PREFS_STORAGE_KEY ? '{not json' : null) };
    expect(loadViewPrefs(storage).topologyMode).toBe('graph');
    expect(loadViewPrefs({ getItem: () => { throw new Error('denied'); } }).chartWindowMinutes).toBe(15);
  });
});

describe('historyMaxMegabytes', () => {
  it('is kept when valid, through a save that does not name it, and dropped when out of range', () => {
    expect(parseSettings({ ...DEFAULT_SETTINGS, historyMaxMegabytes: 512 }).historyMaxMegabytes).toBe(512);
    const current = parseSettings({ ...DEFAULT_SETTINGS, historyMaxMegabytes: 64 });
    expect(parseSettings({ ...DEFAULT_SETTINGS, theme: 'dark' }, current).historyMaxMegabytes).toBe(64);
    expect('historyMaxMegabytes' in parseSettings({ ...DEFAULT_SETTINGS, historyMaxMegabytes: 3 })).toBe(false);
  });
});


describe('prometheus', () => {
  it('is kept through a save of the other settings, and dropped when invalid', () => {
    expect(parseSettings({ ...DEFAULT_SETTINGS, prometheus: { enabled: true, port: 9200 } }).prometheus).toEqual({ enabled: true, port: 9200 });
    const current = parseSettings({ ...DEFAULT_SETTINGS, prometheus: { enabled: true, port: 9200 } });
    expect(parseSettings({ ...DEFAULT_SETTINGS, theme: 'dark' }, current).prometheus).toEqual({ enabled: true, port: 9200 });
    expect('prometheus' in parseSettings({ ...DEFAULT_SETTINGS, prometheus: { enabled: true, port: 70_000 } })).toBe(false);
    expect('prometheus' in parseSettings({ ...DEFAULT_SETTINGS, prometheus: { enabled: 'yes', port: 9200 } })).toBe(false);
  });
});
