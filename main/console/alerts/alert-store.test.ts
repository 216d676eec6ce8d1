import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, AlertSilence } from '../../../shared/contract/alerts';
import { AlertStore, KEPT_ALERTS, KEPT_FOR_MS } from './alert-store';

const NOW = 1_764_780_000_000;
let dataDir: string;
let warnings: string[];
const logger = { info: () => {}, warn: (message: string) => void warnings.push(message), error: () => {} };

const alert = (id: string, changes: Partial<Alert> = {}): Alert => ({
  id, sessionId: 's-1', rule: 'link-down', subject: '127.0.0.1:6380', nodeId: '127.0.0.1:6380', severity: 'critical',
  title: 'Link down', message: 'The link is down', firedAt: NOW - 60_000, clearedAt: null, acknowledgedAt: null, silenced: false, ...changes,
});
const silence = (until: number): AlertSilence => ({ sessionId: 's-1', rule: 'full-resync', subject: null, until });
const writeRaw = (profileId: string, value: unknown): void => {
  mkdirSync(path.join(dataDir, 'alerts'), { recursive: true });
  writeFileSync(path.join(dataDir, 'alerts', `${profileId}.json`), typeof value === 'string' ? value : JSON.stringify(value));
};

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-alert-store-'));
  warnings = [];
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('AlertStore', () => {
  it('reads back what it saved; a profile with no file has nothing', () => {
    const store = new AlertStore(dataDir, logger);
    expect(store.load('p1', NOW)).toEqual({ alerts: [], silences: [] });
    const state = { alerts: [alert('a'), alert('b', { clearedAt: NOW - 1000, acknowledgedAt: NOW - 500 })], silences: [silence(NOW + 60_000)] };
    store.save('p1', state, NOW);
    expect(new AlertStore(dataDir, logger).load('p1', NOW)).toEqual(state);
    expect(warnings).toEqual([]);
  });

  it('is bounded: the newest KEPT_ALERTS alerts, no expired silence, no alert cleared more than 30 days ago', () => {
    const store = new AlertStore(dataDir, logger);
    const many = Array.from({ length: KEPT_ALERTS + 5 }, (_, index) => alert(`a${index}`, { clearedAt: NOW - 1000 }));
    store.save('p1', { alerts: many, silences: [silence(NOW - 1), silence(NOW + 1)] }, NOW);
    const read = store.load('p1', NOW);
    expect(read.alerts.map((kept) => kept.id)).toEqual(many.slice(5).map((kept) => kept.id));
    expect(read.silences).toEqual([silence(NOW + 1)]);
    store.save('p1', { alerts: [alert('old', { clearedAt: NOW - KEPT_FOR_MS - 1 }), alert('open', { firedAt: NOW - KEPT_FOR_MS - 5 })], silences: [] }, NOW);
    expect(store.load('p1', NOW).alerts.map((kept) => kept.id)).toEqual(['open']);
  });

  it('skips an entry that is not valid, keeps the others, and says how many were left out', () => {
    writeRaw('p1', { version: 1, savedAt: NOW, alerts: [alert('good'), { ...alert('bad'), rule: 'no-such-rule' }], silences: [silence(NOW + 1000), { rule: 'link-down' }] });
    const read = new AlertStore(dataDir, logger).load('p1', NOW);
    expect(read.alerts.map((kept) => kept.id)).toEqual(['good']);
    expect(read.silences).toHaveLength(1);
    expect(warnings).toEqual(['alerts/p1.json: 2 entries are not valid and were left out']);
  });

  it('keeps a file of another version or that is not JSON aside, and starts empty', () => {
    writeRaw('p1', { version: 2, alerts: [alert('a')] });
    writeRaw('p2', '{"version": 1, "alerts": [');
    const store = new AlertStore(dataDir, logger);
    expect(store.load('p1', NOW)).toEqual({ alerts: [], silences: [] });
    expect(store.load('p2', NOW)).toEqual({ alerts: [], silences: [] });
    const names = readdirSync(path.join(dataDir, 'alerts'));
    expect(names.some((name) => name.startsWith('p1.json.version-'))).toBe(true);
    expect(names.some((name) => name.startsWith('p2.json.corrupt-'))).toBe(true);
    expect(warnings[0]).toMatch(/^alerts\/p1\.json has format version 2, this console reads 1; the profile starts with no alerts and the file was kept as p1\.json\.version-/);
    expect(warnings[1]).toMatch(/^alerts\/p2\.json could not be read \(.*\); the profile starts with no alerts/);
  });

  it('forget removes a profile file', () => {
    const store = new AlertStore(dataDir, logger);
    store.save('p1', { alerts: [alert('a')], silences: [] }, NOW);
    store.forget('p1');
    expect(existsSync(path.join(dataDir, 'alerts', 'p1.json'))).toBe(false);
  });
});
