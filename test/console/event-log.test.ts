/**
 * The persisted timeline's bookkeeping: an event recorded again under its id
 * replaces its line where it is (in memory and, at read-back, from its later
 * JSON line), and the oldest events beyond the 5000 kept are dropped, also
 * after an id was replaced and after events were evicted; read-back gives
 * the timeline shown before it, an id evicted and recorded again included.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { EventLog } from '../../main/console/service/event-log';

const KEPT = 5000;
const dirs: string[] = [];
const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-event-log-'));
  dirs.push(dir);
  return dir;
}

function event(id: string, message = id): ReplicationEvent {
  return { id, time: 1_000, sessionId: 's', kind: 'sentinel', nodeId: 'n:1', peerId: null, cause: 'unknown', inferred: false, message, numbers: {} };
}

function messages(log: EventLog): string[] {
  return log.list({ limit: 10_000 }).map((kept) => kept.message);
}

it('an event recorded again under its id takes its place, in memory and at read-back', () => {
  const dir = dataDir();
  const log = new EventLog(dir, logger);
  for (const id of ['a', 'b', 'c']) log.append(event(id));
  log.append(event('b', 'b again'));
  log.append(event('d'));
  log.append(event('a', 'a again'));
  expect(messages(log)).toEqual(['a again', 'b again', 'c', 'd']);
  expect(readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n')).toHaveLength(6);
  expect(messages(new EventLog(dir, logger))).toEqual(['a again', 'b again', 'c', 'd']);
});

it('keeps the last 5000: the oldest is dropped, a replaced one where it stands, an evicted id comes back last', () => {
  const dir = dataDir();
  const log = new EventLog(dir, logger);
  for (let index = 0; index < KEPT + 3; index += 1) log.append(event(`e${index}`));
  let kept = messages(log);
  expect(kept).toHaveLength(KEPT);
  expect(kept[0]).toBe('e3');
  expect(kept.at(-1)).toBe(`e${KEPT + 2}`);

  // Replaced in place after evictions: its position is found with the front moved.
  log.append(event('e3', 'e3 again'));
  log.append(event(`e${KEPT + 1}`, 'near the end again'));
  kept = messages(log);
  expect(kept).toHaveLength(KEPT);
  expect(kept[0]).toBe('e3 again');
  expect(kept.at(-2)).toBe('near the end again');

  // The replaced first line is the next to go; an id no longer kept is a new line, last.
  log.append(event('e0', 'e0 back'));
  kept = messages(log);
  expect(kept).toHaveLength(KEPT);
  expect(kept[0]).toBe('e4');
  expect(kept.at(-1)).toBe('e0 back');
  log.append(event('e3', 'e3 back'));
  kept = messages(log);
  expect(kept[0]).toBe('e5');
  expect(kept.at(-1)).toBe('e3 back');
  expect(new Set(kept).size).toBe(KEPT);

  // Read back: the timeline as it was shown before, an id evicted and recorded again last (where append put it), not
  // where its first line in the file stands (e0's and e3's first lines are in the file, before the lines that came back).
  const lines = readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as ReplicationEvent).message);
  expect(lines.indexOf('e3')).toBeGreaterThanOrEqual(0);
  const reread = messages(new EventLog(dir, logger));
  expect(reread).toEqual(kept);
  expect(reread.at(-1)).toBe('e3 back');
  expect(reread).toHaveLength(KEPT);
  // Positions after a read-back that dropped lines: the second event replaced in place is first once the first goes.
  const again = new EventLog(dir, logger);
  const second = again.list({ limit: 10_000 })[1]!;
  again.append({ ...second, message: 'second again' });
  again.append(event(`e${KEPT + 10}`));
  expect(messages(again)[0]).toBe('second again');
  expect(messages(again).at(-1)).toBe(`e${KEPT + 10}`);
  expect(messages(again)).toHaveLength(KEPT);
});

it('asOf a time before every kept version of a line repeated past the versions kept: the oldest kept, not the latest', () => {
  const log = new EventLog(dataDir(), logger);
  // One line updated 600 times, its last time 1000 + n: 500 earlier versions are kept (the oldest of them n = 99).
  for (let n = 0; n < 600; n++) log.append({ ...event('repeat', `repeat x${n + 1}`), numbers: { last: 1_000 + n } });
  const latest = log.list({ limit: 10 }).find((kept) => kept.id === 'repeat')!;
  const lastTime = (kept: ReplicationEvent): number => Number(kept.numbers['last']);
  expect(log.asOf(latest, 1_200, lastTime).message).toBe('repeat x201');
  expect(log.asOf(latest, 1_010, lastTime).message).toBe('repeat x100');
  expect(log.asOf(latest, 5_000, lastTime).message).toBe('repeat x600');
});
