/**
 * Startup configuration the way redis-server takes it: an optional
 * redis.conf-style file as the first argument, then `--name value ...`
 * options (a value is every word up to the next `--option`). Both produce
 * [name, value] pairs applied in order, so later ones win.
 *
 * In a config file, `save` lines accumulate (each adds save points, and
 * `save ""` clears them), as do `client-output-buffer-limit` lines (each sets
 * one class). Everything else is "last one wins".
 *
 * Each line is checked as loadServerConfigFromString checks it, in order,
 * and the first bad one stops startup with Redis's report naming the line.
 * redis-server appends the command-line options to the file's text, each
 * on a line of its own after a newline (`name "arg" "arg"`, sdscatrepr
 * quoting), so an option's line number counts on from the file's last line.
 */
import { readFileSync } from 'node:fs';
import { splitInlineArguments } from '../resp/request-decoder';
import { parseParamValue, type ConfigParam } from './config-types';
import { CONFIG_PARAMETERS } from './parameters';
import { strtoll } from './numeric-values';
import { ENGINE_REDIS_VERSION } from '../version';

export type ConfigPairs = Array<[string, string]>;

/** The parameters by every name they answer to. */
const PARAMETERS: ReadonlyMap<string, ConfigParam> = new Map(CONFIG_PARAMETERS.flatMap((param) => [param.name, ...(param.aliases ?? [])].map((name) => [name, param] as const)));

/**
 * config.c's MULTI_ARG_CONFIG parameters. Given exactly one non-empty
 * argument at startup (a quoted word of a config file line, or a command
 * line's `--save "900  1"`, which redis-server quotes into such a line),
 * redis-server splits it again with sdssplitargs, so runs of whitespace
 * separate its words. CONFIG SET splits on single spaces instead
 * (sdssplitlen): the parameters' own parsers do that on the joined value.
 */
function isMultiArgument(param: ConfigParam | undefined): boolean {
  return param?.kind === 'special' && param.multiArgument === true;
}

/** A startup line's arguments, a multi-argument parameter's lone argument split again. */
function startupArguments(param: ConfigParam | undefined, values: ReadonlyArray<string>): ReadonlyArray<string> {
  const only = values.length === 1 ? values[0]! : '';
  if (only !== '' && isMultiArgument(param)) {
    const words = splitInlineArguments(Buffer.from(only, 'latin1'), Buffer.byteLength(only, 'latin1'));
    if (words !== null) return words;
  }
  return values;
}

export class StartupArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupArgsError';
  }
}

/** loadServerConfigFromString's report of a bad line (redis-server prints it to stderr and exits 1). */
function lineError(lineNumber: number, line: string, reason: string): StartupArgsError {
  return new StartupArgsError(`\n*** FATAL CONFIG FILE ERROR (Redis ${ENGINE_REDIS_VERSION}) ***\nReading the configuration file, at line ${lineNumber}\n>>> '${line}'\n${reason}`);
}

/**
 * setConfigSaveOption on one line's own arguments: "" alone clears, else
 * pairs, each argument strtoll to its end, seconds at least 1 and changes at
 * least 0. Each argument is read whole, so `save "900 1" "300 10"` is
 * refused (the space ends the number) where its joined words would pass.
 * Returns the points as plain numbers, or null.
 */
function savePointWords(args: ReadonlyArray<string>): string[] | null {
  if (args.length === 1 && args[0] === '') return [];
  if (args.length % 2 !== 0) return null;
  const words: string[] = [];
  for (let j = 0; j < args.length; j++) {
    const value = strtoll(args[j]!);
    if (value === null || value < (j % 2 === 0 ? 1n : 0n)) return null;
    words.push(String(value));
  }
  return words;
}

/** One line's [name, value], or the error redis-server reports for it. */
function readLine(words: ReadonlyArray<string>, lineNumber: number, line: string): [string, string] {
  const name = words[0]!.toLowerCase();
  const param = PARAMETERS.get(name);
  const args = startupArguments(param, words.slice(1));
  if (param === undefined) return [name, args.join(' ')];
  // A standard parameter takes exactly one argument; multi-argument ones count their own.
  if (!isMultiArgument(param) && args.length !== 1) throw lineError(lineNumber, line, 'wrong number of arguments');
  if (param.name === 'save') {
    const points = savePointWords(args);
    if (points === null) throw lineError(lineNumber, line, 'Invalid save parameters');
    return [name, args.length === 1 && args[0] === '' ? '' : points.join(' ')];
  }
  const value = args.join(' ');
  const parsed = parseParamValue(param, value);
  if ('error' in parsed) throw lineError(lineNumber, line, parsed.error);
  return [name, value];
}

/** Parses redis.conf text into pairs; the first line of `text` is line `firstLine`. */
function parseLines(text: string, firstLine: number): ConfigPairs {
  const pairs: ConfigPairs = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) return;
    const words = splitInlineArguments(Buffer.from(line, 'latin1'), Buffer.byteLength(line, 'latin1'));
    if (words === null) throw lineError(firstLine + index, line, 'Unbalanced quotes in configuration line');
    if (words.length === 0) return;
    pairs.push(readLine(words, firstLine + index, line));
  });
  return pairs;
}

/** Parses redis.conf text into pairs; errors name the line like redis-server does. */
export function parseConfigText(text: string): ConfigPairs {
  return mergeAccumulating(parseLines(text, 1));
}

/** sdscatrepr: a double-quoted word with C escapes, as redis-server writes an option's arguments into its config text. */
function quoteArgument(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x07) out += '\\a';
    else if (byte === 0x08) out += '\\b';
    else if (byte >= 0x20 && byte < 0x7f) out += char;
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** Parses argv after the program name. */
export function parseStartupArgs(argv: ReadonlyArray<string>): ConfigPairs {
  let pairs: ConfigPairs = [];
  let index = 0;
  let fileLines = 1;
  const first = argv[0];
  if (first !== undefined && !first.startsWith('--')) {
    const text = readFileSync(first, 'utf8');
    pairs = parseLines(text, 1);
    fileLines = text.split('\n').length;
    index = 1;
  }
  let option = 0;
  while (index < argv.length) {
    const word = argv[index]!;
    if (!word.startsWith('--')) throw new StartupArgsError(`Invalid argument '${word}': options start with --`);
    const values: string[] = [];
    index++;
    while (index < argv.length && !argv[index]!.startsWith('--')) values.push(argv[index++]!);
    const line = [word.slice(2), ...values.map(quoteArgument)].join(' ');
    pairs.push(readLine([word.slice(2), ...values], fileLines + 1 + option, line));
    option++;
  }
  return mergeAccumulating(pairs);
}

/** Folds repeated `save` lines into one value, as redis-server accumulates them. */
function mergeAccumulating(pairs: ConfigPairs): ConfigPairs {
  const out: ConfigPairs = [];
  let save: string[] | null = null;
  for (const [name, value] of pairs) {
    if (name === 'save') {
      if (value === '') save = [];
      else save = [...(save ?? []), value];
      continue;
    }
    out.push([name, value]);
  }
  if (save !== null) out.push(['save', save.join(' ')]);
  return out;
}
