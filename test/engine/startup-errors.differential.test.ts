/**
 * Startup lines redis-server 7.0.15 refuses: both servers are started with
 * the same config file or command line, and must exit with the same status
 * and print the same report on stderr (loadServerConfigFromString's
 * "*** FATAL CONFIG FILE ERROR ***", the line number counted on from the
 * file into the command-line options, the line as redis-server quotes it,
 * and the reason).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bothOutcomes } from '../support/startup-outcome';

const dir = mkdtempSync(path.join(tmpdir(), 'replscope-startup-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMMAND_LINES: ReadonlyArray<ReadonlyArray<string>> = [
  // Each save argument is read whole: a space inside one ends its number.
  ['--port', '0', '--save', '900 1', '300 10'],
  ['--save', '900', '1 x', '--port', '0'],
  ['--port', '0', '--save', '900 ', '1'],
  // strtoll reads no digits from whitespace alone: its end is not the text's end.
  ['--port', '0', '--unixsocketperm', ' '],
  ['--port', '0', '--unixsocketperm', '\t '],
  // One argument for a standard parameter.
  ['--port', '0', '--requirepass'],
  ['--port', '0', '7000'],
];

const REFUSED_FILES: ReadonlyArray<string> = [
  'port 0\nsave "900 1" "300 10"\n',
  'port 0\nsave 900 1\n\nsave "60" "1 0"\n',
  'port 0\nunixsocketperm " "',
];
// Files redis-server takes: the refused option's line counts on from the file's last line.
const GOOD_FILES: ReadonlyArray<string> = ['port 0\nsave 900 1\n', 'port 0'];
const REFUSED_OPTIONS = ['--loglevel', 'notice', '--save', '1', '2 3'];

describe('startup lines redis-server refuses', () => {
  it('command-line options: same exit status and report', async () => {
    for (const args of COMMAND_LINES) {
      const { redis, ours } = await bothOutcomes(args, dir);
      expect(redis.status, JSON.stringify(args)).toBe(1);
      expect(ours, JSON.stringify(args)).toEqual(redis);
    }
  }, 120_000);

  it('config file lines, and options after the file: same exit status and report', async () => {
    const cases = [...REFUSED_FILES.map((text) => [text, []] as const), ...[...REFUSED_FILES, ...GOOD_FILES].map((text) => [text, REFUSED_OPTIONS] as const)];
    for (const [index, [text, options]] of cases.entries()) {
      const file = path.join(dir, `case-${index}.conf`);
      writeFileSync(file, text);
      const { redis, ours } = await bothOutcomes([file, ...options], dir);
      expect(redis.status, JSON.stringify(text)).toBe(1);
      expect(ours, `${JSON.stringify(text)} ${JSON.stringify(options)}`).toEqual(redis);
    }
  }, 120_000);
});
