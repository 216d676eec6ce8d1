/**
 * Startup configuration the way redis-server takes it: an optional
 * redis.conf-style file as the first argument, then `--name value ...`
 * options (startup-command-line.ts). Both produce [name, value] pairs
 * applied in order, so later ones win; a `user` line keeps its arguments
 * as a list, since a rule may hold spaces (`">pass word"`).
 *
 * `save` lines accumulate as setConfigSaveOption has them (readSaveLine);
 * `client-output-buffer-limit` lines each set one class. Everything else
 * is "last one wins".
 *
 * Each line is checked as loadServerConfigFromString checks it, in order,
 * and the first bad one stops startup with Redis's report naming the line.
 * redis-server appends the command-line options to the file's text, each
 * on a line of its own after a newline (`name "arg" "arg"`, sdscatrepr
 * quoting), so an option's line number counts on from the file's last line.
 * Lines that name no parameter are directives (startup-directives.ts).
 *
 * The text is bytes, as redis-server reads it: files are read as latin1
 * (one char a byte), the engine's form for every value.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { splitInlineArguments } from '../resp/request-decoder';
import { parseParamValue, type ConfigParam } from './config-types';
import { CONFIG_PARAMETERS } from './parameters';
import { parseReplicaOfArguments } from './special-params';
import { strtoll } from './numeric-values';
import { configError, initializedRole, lineError, StartupArgsError, StartupLogError } from './startup-error';
import { readDirective } from './startup-directives';
import { userLineError } from './startup-users';
import { moduleQueueRefusal } from './startup-modules';
import { absolutePath, asksForSentinel, readCommandLine } from './startup-command-line';
import { systemErrorText } from '../util/system-error-text';
import { cwdBytes, fsPath, resolveBytes } from '../util/byte-paths';
import { cString } from '../util/c-string';

export { StartupArgsError, StartupLogError } from './startup-error';

/** One startup setting: a parameter's value, or a `user` line's arguments. */
export type ConfigPair = readonly [string, string] | readonly ['user', ReadonlyArray<string>];
export type ConfigPairs = ConfigPair[];

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
    // sdssplitargs reads a C string: the words end at the argument's first NUL ("\x00x" alone is no word).
    const text = cString(only);
    const words = splitInlineArguments(Buffer.from(text, 'latin1'), Buffer.byteLength(text, 'latin1'));
    if (words !== null) return words;
  }
  return values;
}

/**
 * setConfigSaveOption on one line's own arguments: "" alone clears, else
 * pairs, each argument strtoll to its end, seconds at least 1 and changes at
 * least 0. Each argument is read whole, so `save "900 1" "300 10"` is
 * refused (the space ends the number) where its joined words would pass.
 * Returns the points as plain numbers, or null.
 */
function savePointWords(lineArgs: ReadonlyArray<string>): string[] | null {
  // Each argument is a C string there: strtoll stops at a NUL, and `save "\x00x"` is `save ""`.
  const args = lineArgs.map(cString);
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

/**
 * Multi-argument parameters whose words are each a number, a client class
 * or a flag: redis-server hands a line's arguments to their setter as they
 * are, so an argument holding a space (`"normal 0"`) is one bad word. Their
 * parsers split the value on spaces (CONFIG SET's form), so such an
 * argument has its spaces replaced by U+FFFF, which no word of theirs
 * accepts and no byte of the text can be (it is latin1, one char a byte),
 * keeping the argument count the setter checks first. Not NUL: the setters
 * read each word up to a NUL, as a line's `"pubsub\x00 1"` is the class
 * pubsub there. (bind takes names, which redis-server only tries later;
 * replicaof is read on the line's own arguments, in readLine.)
 */
const WORDWISE = new Set(['client-output-buffer-limit', 'oom-score-adj-values', 'latency-tracking-info-percentiles', 'shutdown-on-sigint', 'shutdown-on-sigterm']);

/** A multi-argument line's value for its parser: the arguments joined by spaces, each argument kept one word. */
function multiArgumentValue(param: ConfigParam, args: ReadonlyArray<string>): string {
  if (!WORDWISE.has(param.name)) return args.join(' ');
  return args.map((arg) => arg.replaceAll(' ', '\uffff')).join(' ');
}

/**
 * setConfigSaveOption at startup: `save ""` drops the points; then a line
 * read while reading_config_file is cleared (after an include returned)
 * replaces them, as CONFIG SET does, and the first line read while it is
 * set drops the defaults; otherwise the line's points are added. So
 * `save 100 2`, `include` (holding `save 900 1`), `save 50 5` gives 50 5.
 */
function readSaveLine(reading: Reading, points: ReadonlyArray<string>): void {
  if (points.length === 0) reading.save = [];
  if (!reading.readingFile) {
    reading.save = [];
  } else if (!reading.saveLoaded) {
    reading.saveLoaded = true;
    reading.save = [];
  }
  reading.save = [...(reading.save ?? []), ...points];
}

/** What reading the lines gives: the settings, and whether a module parameter waits for a module. */
interface Reading {
  readonly pairs: ConfigPairs;
  moduleConfig: boolean;
  /** loadmodule lines' paths, in order (moduleLoadFromQueue loads them once the server is initialized). */
  readonly modules: string[];
  /**
   * The directory redis-server would be in at this line: its working
   * directory, then each `dir` line's (it chdir()s there and then), which
   * later relative `dir` and `include` lines are relative to.
   */
  dir: string;
  /**
   * config.c's reading_config_file: set when a text's lines start being
   * read, cleared when they end, so after an include's last line it stays
   * cleared for the rest of the including text.
   */
  readingFile: boolean;
  /** setConfigSaveOption's static save_loaded: the first save line read while readingFile dropped the defaults. */
  saveLoaded: boolean;
  /** The names of the `user` lines read so far (a name may be defined once). */
  readonly userNames: string[];
  /** The save points so far (as numbers' text), or null while no save line was read (the default stays). */
  save: string[] | null;
  /** Include nesting, bounded where redis-server would recurse until its stack ends. */
  depth: number;
}

const MAX_INCLUDE_DEPTH = 64;

/** One line, or the error redis-server reports for it. */
function readLine(reading: Reading, words: ReadonlyArray<string>, lineNumber: number, line: string): void {
  const name = words[0]!.toLowerCase();
  const param = PARAMETERS.get(name);
  if (param === undefined) {
    const directive = readDirective([name, ...words.slice(1)], lineNumber, line);
    if (directive.kind === 'user') {
      const error = userLineError(directive.args, reading.userNames);
      if (error !== null) throw lineError(lineNumber, line, error);
      reading.userNames.push(directive.args[0]!);
      reading.pairs.push(['user', directive.args]);
    }
    else if (directive.kind === 'module-config') reading.moduleConfig = true;
    else if (directive.kind === 'loadmodule') reading.modules.push(directive.path);
    else if (directive.kind === 'include') readInclude(reading, directive.file);
    return;
  }
  const args = startupArguments(param, words.slice(1));
  // A standard parameter takes exactly one argument; multi-argument ones count their own.
  if (!isMultiArgument(param) && args.length !== 1) throw lineError(lineNumber, line, 'wrong number of arguments');
  if (param.name === 'save') {
    const points = savePointWords(args);
    if (points === null) throw lineError(lineNumber, line, 'Invalid save parameters');
    readSaveLine(reading, points);
    return;
  }
  if (param.name === 'replicaof') {
    // The setter counts and reads the line's own arguments: a host may hold a space, a port lead with one.
    const parsed = parseReplicaOfArguments(args);
    if ('error' in parsed) throw lineError(lineNumber, line, parsed.error);
    reading.pairs.push([name, parsed.value]);
    return;
  }
  if (param.name === 'dir') {
    const parsed = parseParamValue(param, args[0]!, reading.dir);
    if ('error' in parsed) throw lineError(lineNumber, line, parsed.error);
    reading.dir = String(parsed.value);
    // The directory landed in, absolute: the node resolves nothing against the lines' directories.
    reading.pairs.push([name, reading.dir]);
    return;
  }
  const parsed = parseParamValue(param, isMultiArgument(param) ? multiArgumentValue(param, args) : args[0]!);
  if ('error' in parsed) throw lineError(lineNumber, line, parsed.error);
  // A word-wise setter has read each argument up to its NUL: what follows one is no further word.
  reading.pairs.push([name, WORDWISE.has(param.name) ? args.map(cString).join(' ') : args.join(' ')]);
}

/** A config file's text (latin1), or redis-server's report when it cannot be opened; `file` is its name's bytes, relative to `dir`. */
function readConfigFile(file: string, dir: string): string {
  try {
    return readFileSync(fsPath(resolveBytes(dir, file)), 'latin1');
  } catch (failure) {
    throw new StartupLogError(`Fatal error, can't open config file '${file}': ${systemErrorText(failure)}`);
  }
}

/** `include file`: its lines are read there and then (a relative name from the directory in force), numbered from its own first line. */
function readInclude(reading: Reading, file: string): void {
  if (reading.depth >= MAX_INCLUDE_DEPTH) throw new StartupArgsError(`Fatal error, config file '${file}' is included more than ${MAX_INCLUDE_DEPTH} levels deep`);
  reading.depth++;
  readLines(reading, readConfigFile(file, reading.dir), 1);
  reading.depth--;
}

/** sdstrim(line, " \t\r\n"): only these four, where JS trim() also takes \v, \f, NBSP and BOM. */
function trimLine(line: string): string {
  let start = 0;
  let end = line.length;
  const isTrimmed = (char: string): boolean => char === ' ' || char === '\t' || char === '\r' || char === '\n';
  while (start < end && isTrimmed(line[start]!)) start++;
  while (end > start && isTrimmed(line[end - 1]!)) end--;
  return line.slice(start, end);
}

/** Reads redis.conf text (latin1); the first line of `text` is line `firstLine`. */
function readLines(reading: Reading, text: string, firstLine: number): void {
  reading.readingFile = true;
  text.split('\n').forEach((raw, index) => {
    const line = trimLine(raw);
    if (line.length === 0 || line.startsWith('#')) return;
    const words = splitInlineArguments(Buffer.from(line, 'latin1'), line.length);
    if (words === null) throw lineError(firstLine + index, line, 'Unbalanced quotes in configuration line');
    if (words.length === 0) return;
    readLine(reading, words, firstLine + index, line);
  });
  reading.readingFile = false;
  checkLogFile(reading);
}

/** The last value a parameter was given so far, or undefined. */
function lastValue(reading: Reading, name: string): string | undefined {
  for (let index = reading.pairs.length - 1; index >= 0; index--) {
    const pair = reading.pairs[index]!;
    if (pair[0] === name) return pair[1] as string;
  }
  return undefined;
}

/**
 * After a text's last line, loadServerConfigFromString checks that the
 * logfile (if any) can be opened for appending, from the directory in force
 * (creating it, as fopen "a" does), and stops startup if not.
 */
function checkLogFile(reading: Reading): void {
  const logfile = lastValue(reading, 'logfile');
  if (logfile === undefined || logfile === '') return;
  try {
    closeSync(openSync(fsPath(resolveBytes(reading.dir, logfile)), 'a'));
  } catch (failure) {
    throw configError(`Can't open the log file: ${systemErrorText(failure)}`);
  }
}

/** The settings of a whole configuration text; a module parameter no module took stops startup, as moduleLoadFromQueue does. */
function readConfiguration(text: string): ConfigPairs {
  const reading: Reading = { pairs: [], moduleConfig: false, depth: 0, dir: cwdBytes(), readingFile: false, saveLoaded: false, save: null, userNames: [], modules: [] };
  readLines(reading, text, 1);
  const modulesRefused = moduleQueueRefusal(reading.modules, reading.moduleConfig, reading.dir);
  if (modulesRefused !== null) throw new StartupLogError(modulesRefused[0]!, initializedRole(reading.pairs), modulesRefused, reading.pairs);
  if (reading.save !== null) reading.pairs.push(['save', reading.save.join(' ')]);
  return reading.pairs;
}

/** Parses redis.conf text (a latin1 string of its bytes) into pairs; errors name the line like redis-server does. */
export function parseConfigText(text: string): ConfigPairs {
  return readConfiguration(text);
}

/**
 * Parses argv after the program name: the config file's text, stdin's when
 * asked, then the option lines after a newline (loadServerConfig), read as
 * one text, so an option's line counts on from the file's last line.
 */
export function parseStartupArgs(argv: ReadonlyArray<string>, stdin: () => string = () => readFileSync(0, 'latin1')): ConfigPairs {
  if (asksForSentinel(argv)) throw new StartupArgsError('Sentinel mode (--sentinel) is not supported by this engine: run redis-sentinel');
  if (argv.length === 0) return [];
  const { file, fromStdin, options } = readCommandLine(argv);
  let text = file === null ? '' : readConfigFile(absolutePath(file), cwdBytes());
  if (fromStdin) text += stdin();
  return readConfiguration(`${text}\n${options}`);
}
