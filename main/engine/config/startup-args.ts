/**
 * Startup configuration the way redis-server takes it: an optional
 * redis.conf-style file as the first argument, then `--name value ...`
 * options (a value is every word up to the next `--option`). Both produce
 * [name, value] pairs applied in order, so later ones win.
 *
 * In a config file, `save` lines accumulate (each adds save points, and
 * `save ""` clears them), as do `client-output-buffer-limit` lines (each sets
 * one class). Everything else is "last one wins".
 */
import { readFileSync } from 'node:fs';
import { splitInlineArguments } from '../resp/request-decoder';

export type ConfigPairs = Array<[string, string]>;

/**
 * config.c's MULTI_ARG_CONFIG parameters. Given exactly one non-empty
 * argument at startup (a quoted word of a config file line, or a command
 * line's `--save "900  1"`, which redis-server quotes into such a line),
 * redis-server splits it again with sdssplitargs, so runs of whitespace
 * separate its words. CONFIG SET splits on single spaces instead
 * (sdssplitlen): the parameters' own parsers do that on the joined value.
 */
const MULTI_ARGUMENT = new Set(['save', 'client-output-buffer-limit', 'oom-score-adj-values', 'latency-tracking-info-percentiles', 'shutdown-on-sigint', 'shutdown-on-sigterm', 'bind']);

/** The value of a startup line's words, each a separate argument joined by one space. */
function startupValue(name: string, values: ReadonlyArray<string>): string {
  const only = values.length === 1 ? values[0]! : '';
  if (only !== '' && MULTI_ARGUMENT.has(name)) {
    const words = splitInlineArguments(Buffer.from(only, 'latin1'), Buffer.byteLength(only, 'latin1'));
    if (words !== null) return words.join(' ');
  }
  return values.join(' ');
}

export class StartupArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupArgsError';
  }
}

/** Parses redis.conf text into pairs; errors name the line like redis-server does. */
export function parseConfigText(text: string, source = 'config'): ConfigPairs {
  const pairs: ConfigPairs = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) return;
    const words = splitInlineArguments(Buffer.from(line, 'latin1'), Buffer.byteLength(line, 'latin1'));
    if (words === null) throw new StartupArgsError(`*** FATAL CONFIG FILE ERROR (${source}) *** Reading the configuration file, at line ${index + 1}\n>>> '${line}'\nUnbalanced quotes in configuration line`);
    const [name, ...values] = words;
    if (!name) return;
    pairs.push([name.toLowerCase(), startupValue(name.toLowerCase(), values)]);
  });
  return mergeAccumulating(pairs);
}

/** Parses argv after the program name. */
export function parseStartupArgs(argv: ReadonlyArray<string>): ConfigPairs {
  let pairs: ConfigPairs = [];
  let index = 0;
  const first = argv[0];
  if (first !== undefined && !first.startsWith('--')) {
    const text = readFileSync(first, 'utf8');
    pairs = pairs.concat(parseConfigText(text, first));
    index = 1;
  }
  const options: ConfigPairs = [];
  while (index < argv.length) {
    const word = argv[index]!;
    if (!word.startsWith('--')) throw new StartupArgsError(`Invalid argument '${word}': options start with --`);
    const name = word.slice(2).toLowerCase();
    const values: string[] = [];
    index++;
    while (index < argv.length && !argv[index]!.startsWith('--')) values.push(argv[index++]!);
    options.push([name, startupValue(name, values)]);
  }
  return mergeAccumulating(pairs.concat(options));
}

/** Folds repeated `save` lines into one value, as redis-server accumulates them. */
function mergeAccumulating(pairs: ConfigPairs): ConfigPairs {
  const out: ConfigPairs = [];
  let save: string[] | null = null;
  for (const [name, value] of pairs) {
    if (name === 'save') {
      if (value.trim() === '' || value === '""') save = [];
      else save = [...(save ?? []), value.trim()];
      continue;
    }
    out.push([name, value]);
  }
  if (save !== null) out.push(['save', save.join(' ')]);
  return out;
}
