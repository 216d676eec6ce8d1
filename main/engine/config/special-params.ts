/**
 * Parameters with their own grammar. Each parser returns the value as CONFIG
 * GET prints it, or Redis's error text.
 */
import { memtoull, strtoll } from './numeric-values';
import { formatFixed } from '../util/floats';
import { cString } from '../util/c-string';

/**
 * "latency-tracking-info-percentiles": space-separated percentiles in
 * [0, 100] ("" for none), printed each as %f with trailing zeros trimmed.
 */
export function parseLatencyPercentiles(value: string): { value: string } | { error: string } {
  // Split on single spaces (sdssplitlen): an extra space is an empty argument, which is no number.
  const parts = value === '' ? [] : value.split(' ');
  const printed: string[] = [];
  for (const part of parts) {
    const percentile = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(part) ? Number(part) : NaN;
    if (!Number.isFinite(percentile)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    if (percentile > 100 || percentile < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    printed.push(trimDouble(formatFixed(percentile, 6)));
  }
  return { value: printed.join(' ') };
}

/** trimDoubleString: "99.900000" -> "99.9", "50.000000" -> "50". */
export function trimDouble(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/**
 * "save" (setConfigSaveOption): the value split on single spaces ("" is
 * none, each extra space an empty argument) into pairs "<seconds>
 * <changes>", each strtoll to its end ("" is 0), seconds at least 1 and
 * changes at least 0. Printed as Redis keeps them: seconds a time_t,
 * changes an int. Each argument is a C string there: it ends at a NUL, and
 * a lone argument empty up to its NUL ("\0x") is no save point at all.
 */
export function parseSavePoints(value: string): { value: string } | { error: string } {
  let args = value === '' ? [] : value.split(' ').map(cString);
  if (args.length === 1 && args[0] === '') args = [];
  if (args.length % 2 !== 0) return { error: 'Invalid save parameters' };
  const printed: string[] = [];
  for (let j = 0; j < args.length; j++) {
    const parsed = strtoll(args[j]!);
    if (parsed === null || (j % 2 === 0 ? parsed < 1n : parsed < 0n)) return { error: 'Invalid save parameters' };
    printed.push(String(j % 2 === 0 ? parsed : BigInt.asIntN(32, parsed)));
  }
  return { value: printed.join(' ') };
}

export interface SavePoint {
  readonly seconds: number;
  readonly changes: number;
}

export function savePointsOf(value: string): SavePoint[] {
  const parts = value.split(' ').filter((p) => p.length > 0).map(Number);
  const points: SavePoint[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) points.push({ seconds: parts[i]!, changes: parts[i + 1]! });
  return points;
}

export interface OutputBufferLimit {
  readonly hardBytes: number;
  readonly softBytes: number;
  readonly softSeconds: number;
}

export type ClientClass = 'normal' | 'replica' | 'pubsub';

/**
 * getClientTypeByName, without "master" (no limits of its own: refused as an
 * unknown class). A Map, so only these names match ("constructor" is no class).
 */
const CLASS_NAMES: ReadonlyMap<string, ClientClass> = new Map([['normal', 'normal'], ['slave', 'replica'], ['replica', 'replica'], ['pubsub', 'pubsub']]);
/** The classes in Redis's order, with the names CONFIG GET prints (getClientTypeName). */
const CLASS_LABELS: ReadonlyArray<readonly [ClientClass, string]> = [['normal', 'normal'], ['replica', 'slave'], ['pubsub', 'pubsub']];

/** One class's limits as stored: hard and soft bytes (unsigned long long) and seconds, as decimal text. */
type LimitTexts = readonly [hard: string, soft: string, seconds: string];

/**
 * The stored value, always every class in Redis's order:
 * "normal <hard> <soft> <seconds> slave ... pubsub ...".
 */
function storedLimits(value: string): Map<ClientClass, LimitTexts> {
  const parts = value.split(' ');
  const limits = new Map<ClientClass, LimitTexts>();
  for (let i = 0; i + 3 < parts.length; i += 4) {
    const clientClass = CLASS_NAMES.get(parts[i]!);
    if (clientClass) limits.set(clientClass, [parts[i + 1]!, parts[i + 2]!, parts[i + 3]!]);
  }
  return limits;
}

/** The limits of every class, as numbers (bytes past 2^53 approximate: far beyond any buffer). */
export function parseOutputBufferLimitGroups(value: string): Map<ClientClass, OutputBufferLimit> {
  const groups = new Map<ClientClass, OutputBufferLimit>();
  for (const [clientClass, [hard, soft, seconds]] of storedLimits(value)) {
    groups.set(clientClass, { hardBytes: Number(hard), softBytes: Number(soft), softSeconds: Number(seconds) });
  }
  return groups;
}

/**
 * strtoll(text, &end, 10) stored in an int (soft_seconds), or null where
 * the text does not end at the number. No digits at all is 0 when nothing
 * else is there either (""), as strtoll leaves end at the start then.
 */
function strtollToInt(text: string): number | null {
  const value = strtoll(text);
  return value === null ? null : Number(BigInt.asIntN(32, value));
}

/**
 * "client-output-buffer-limit" (updateClientOutputBufferLimit): the value
 * is split on single spaces (sdssplitlen: "" is no argument, each extra
 * space an empty one) into groups of "<class> <hard> <soft> <seconds>",
 * checked group by group (class first, then the three numbers: memtoull,
 * memtoull, strtoll into an int that must not be negative) before any is
 * taken. A class the value does not name keeps its current limits, so
 * `current` (the stored value) is needed. Each argument is read as a C
 * string (strcasecmp, memtoull, strtoll): it ends at a NUL.
 */
export function parseClientOutputBufferLimit(value: string, current: string): { value: string } | { error: string } {
  const args = value === '' ? [] : value.split(' ').map(cString);
  if (args.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const limits = storedLimits(current);
  for (let i = 0; i < args.length; i += 4) {
    const clientClass = CLASS_NAMES.get(args[i]!.toLowerCase());
    if (!clientClass) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = memtoull(args[i + 1]!);
    const soft = memtoull(args[i + 2]!);
    const seconds = strtollToInt(args[i + 3]!);
    if (hard === null || soft === null || seconds === null || seconds < 0) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    limits.set(clientClass, [String(hard), String(soft), String(seconds)]);
  }
  const out: string[] = [];
  for (const [clientClass, label] of CLASS_LABELS) {
    const limit = limits.get(clientClass);
    if (limit) out.push(`${label} ${limit.join(' ')}`);
  }
  return { value: out.join(' ') };
}

/** "bind": one or more addresses separated by spaces, each copied as a C string (zstrdup: it ends at a NUL). */
export function parseBind(value: string): { value: string } | { error: string } {
  const parts = value.trim().split(/\s+/).filter((p) => p.length > 0).map(cString);
  if (parts.length === 0) return { error: 'Too many bind addresses specified.' };
  return { value: parts.join(' ') };
}

/**
 * "replicaof" at startup (setConfigReplicaOfOption) on a line's arguments:
 * exactly two; "no one" (strcasecmp) clears the master; else the port is
 * strtol'd to its end (leading whitespace and a sign allowed, "" is 0) and
 * kept in an int, so the long wraps (4294975195 is 7899), then must be in
 * 0..65535; the host is copied as it is (sdsnew), spaces included. Each
 * argument is read as a C string: it ends at a NUL ("7899\0x" is 7899,
 * "no\0x" is no). The value is "<host> <port>", or "" for no master.
 */
export function parseReplicaOfArguments(args: ReadonlyArray<string>): { value: string } | { error: string } {
  if (args.length !== 2) return { error: 'wrong number of arguments' };
  const [host, portText] = args.map(cString) as [string, string];
  if (host.toLowerCase() === 'no' && portText.toLowerCase() === 'one') return { value: '' };
  const long = strtoll(portText);
  const port = long === null ? null : Number(BigInt.asIntN(32, long));
  if (port === null || port < 0 || port > 65535) return { error: 'Invalid master port' };
  return { value: `${host} ${port}` };
}

/**
 * "replicaof" as stored ("" or "<host> <port>", from parseReplicaOfArguments;
 * CONFIG SET cannot change it): the port is the last word, the host all
 * before it, so reading a stored value gives it back.
 */
export function parseReplicaOf(value: string): { value: string } | { error: string } {
  if (value === '') return { value: '' };
  const space = value.lastIndexOf(' ');
  return parseReplicaOfArguments(space < 0 ? [value] : [value.slice(0, space), value.slice(space + 1)]);
}

/** shutdown-on-sigint / shutdown-on-sigterm flags, in Redis's enum order (configEnumGetName prints them so). */
const SHUTDOWN_SIGNAL_FLAGS = ['save', 'nosave', 'now', 'force'] as const;

/**
 * "shutdown-on-sigint", "shutdown-on-sigterm": "default" or any of save,
 * nosave, now, force (a multi-argument enum of bit flags), as SHUTDOWN's
 * options for that signal; not both save and nosave.
 */
export function parseShutdownOnSignal(value: string): { value: string } | { error: string } {
  // Split on single spaces (sdssplitlen): an extra space is an empty argument, which is no flag.
  // Each word is strcasecmp'd against the names: it ends at a NUL.
  const words = (value === '' ? [] : value.split(' ')).map((word) => cString(word).toLowerCase());
  const known = ['default', ...SHUTDOWN_SIGNAL_FLAGS] as string[];
  if (words.length === 0 || words.some((word) => !known.includes(word))) {
    return { error: `argument(s) must be one of the following: ${known.join(', ')}` };
  }
  if (words.includes('save') && words.includes('nosave')) return { error: "shutdown options SAVE and NOSAVE can't be used simultaneously" };
  const flags = SHUTDOWN_SIGNAL_FLAGS.filter((flag) => words.includes(flag));
  return { value: flags.length === 0 ? 'default' : flags.join(' ') };
}
