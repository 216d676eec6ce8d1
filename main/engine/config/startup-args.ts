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
    pairs.push([name.toLowerCase(), values.join(' ')]);
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
    options.push([name, values.join(' ')]);
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
