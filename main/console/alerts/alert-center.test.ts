import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Alert } from '../../../shared/contract/alerts';
import { AlertCenter } from './alert-center';
import { AlertRulesStore } from './alert-rules-store';
import { AlertStore } from './alert-store';

let dataDir: string;
const logger = { info: () => {}, warn: () => {}, error: () => {} };
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-alert-center-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const center = (pushes: Alert[] = []): AlertCenter => new AlertCenter(new AlertRulesStore(dataDir, logger), (alert) => void pushes.push(alert), new AlertStore(dataDir, logger));
const fileOf = (profileId: string): string => path.join(dataDir, 'alerts', `${profileId}.json`);
const silenceAll = { rule: 'link-down', subject: null, minutes: 10 } as const;

it('a silence of a profile session is saved at once and adopted by its next session; the demo saves nothing', () => {
  const first = center();
  first.attach('s-1', 'p1');
  first.attach('demo-1', null);
  first.silence({ sessionId: 's-1', ...silenceAll });
  first.silence({ sessionId: 'demo-1', ...silenceAll });
  expect(existsSync(fileOf('p1'))).toBe(true);
  expect(existsSync(fileOf('demo'))).toBe(false);
  first.detach('s-1');
  expect(first.silencesOf()).toEqual([expect.objectContaining({ sessionId: 'demo-1' })]);

  const second = center();
  second.attach('s-2', 'p1');
  expect(second.silencesOf('s-2')).toEqual([expect.objectContaining({ sessionId: 's-2', rule: 'link-down', subject: null })]);
});

it('a deleted profile leaves no file behind, even while its session is still attached and changes', () => {
  const alerts = center();
  alerts.attach('s-1', 'p1');
  alerts.silence({ sessionId: 's-1', ...silenceAll });
  alerts.forget('p1');
  expect(existsSync(fileOf('p1'))).toBe(false);
  alerts.silence({ sessionId: 's-1', ...silenceAll, rule: 'node-down' });
  alerts.detach('s-1');
  expect(existsSync(fileOf('p1'))).toBe(false);
});
