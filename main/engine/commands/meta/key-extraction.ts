/**
 * Which arguments of a command invocation are keys, and how the command uses
 * each (db.c getKeysFromCommandWithSpecs and the per-command getkeys procs).
 * The one place that answers it: COMMAND GETKEYS / GETKEYSANDFLAGS and ACL
 * key permissions all ask here.
 *
 * Rules, as in Redis 7.0:
 *  - The key specs are used when the command has at least one spec that is
 *    not not_key and none with variable_flags. A spec that cannot be
 *    followed (keyword absent is fine; a numkeys that is not a number, or a
 *    range past the arguments, is not) or is incomplete makes the whole walk
 *    fail, and the command's getkeys proc answers instead (SORT, MIGRATE).
 *  - Commands whose key flags depend on other arguments (SET ... GET,
 *    BITFIELD) always answer through their proc.
 *  - Procs that only find positions report flags 0, like Redis's.
 *  - Keywords are compared with strcasecmp: an argument ends at its first
 *    NUL ("STORE\0x" is STORE). A numkeys is string2ll'd over every byte
 *    (a key spec's) or atoi'd (a proc's, which stops at the NUL anyway).
 */
import type { ResolvedCommand } from '../command-spec';
import {
  KEY_ACCESS, KEY_DELETE, KEY_INCOMPLETE, KEY_NOT_KEY, KEY_OW, KEY_RO, KEY_RW, KEY_UPDATE, KEY_VARIABLE_FLAGS,
  type KeySpec,
} from './key-spec';
import { cString } from '../../util/c-string';

/** One key argument: its index in argv and the key-spec flags that apply to it. */
export interface KeyReference {
  readonly index: number;
  readonly flags: number;
}

export interface KeySearchOptions {
  /** GET_KEYSPEC_INCLUDE_NOT_KEYS: report not_key arguments as keys. */
  readonly includeNotKeys?: boolean;
  /** GET_KEYSPEC_RETURN_PARTIAL: skip specs that cannot be followed instead of failing. */
  readonly partial?: boolean;
}

/** Legacy first/last/step (COMMAND INFO fields 4-6); last is absolute, or negative from the end. */
export interface LegacyKeyRange {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

type GetKeysProc = (argv: ReadonlyArray<string>) => KeyReference[];

/**
 * Follows the specs over argv (getKeysUsingKeySpecs). Returns null when a
 * spec cannot be followed (or is incomplete) and partial results were not
 * asked for.
 */
export function keysUsingSpecs(specs: ReadonlyArray<KeySpec>, arity: number, argv: ReadonlyArray<string>, options: KeySearchOptions = {}): KeyReference[] | null {
  const argc = argv.length;
  const keys: KeyReference[] = [];
  for (const spec of specs) {
    if ((spec.flags & KEY_NOT_KEY) !== 0 && options.includeNotKeys !== true) continue;
    const valid = followSpec(spec, arity, argv, argc, keys);
    if (!valid && options.partial !== true) return null;
  }
  return keys;
}

/** Adds the keys of one spec; false when the spec cannot be followed (keys found so far stay). */
function followSpec(spec: KeySpec, arity: number, argv: ReadonlyArray<string>, argc: number, keys: KeyReference[]): boolean {
  let first = 0;
  const begin = spec.beginSearch;
  if (begin.type === 'index') {
    first = begin.index;
  } else if (begin.type === 'keyword') {
    const forward = begin.startFrom > 0;
    const start = forward ? begin.startFrom : argc + begin.startFrom;
    const end = forward ? argc - 1 : 1;
    const keyword = begin.keyword.toLowerCase();
    for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
      if (i >= argc || i < 1) break;
      if (cString(argv[i] ?? '').toLowerCase() === keyword) {
        first = i + 1;
        break;
      }
    }
    if (first === 0) return true; // keyword absent: this spec has no keys here
  } else {
    return false;
  }

  let last: number;
  let step: number;
  const find = spec.findKeys;
  if (find.type === 'range') {
    step = find.keyStep;
    if (find.lastKey >= 0) last = first + find.lastKey;
    else if (find.limit === 0) last = argc + find.lastKey;
    else last = first + (Math.trunc((argc - first) / find.limit) + find.lastKey);
  } else if (find.type === 'keynum') {
    step = find.keyStep;
    if (find.keyNumIndex >= argc) return false;
    const numKeys = strictInteger(argv[first + find.keyNumIndex]);
    if (numKeys === null || numKeys < 0) return false;
    first += find.firstKey;
    last = first + numKeys - 1;
  } else {
    return false;
  }

  if (last >= argc || last < first || first >= argc) return false;
  for (let i = first; i <= last; i += step) {
    // Past the arguments only with a variable arity: the command itself
    // reports the syntax error, there are no keys to return for this part.
    if (i >= argc || i < first) {
      if (arity < 0) continue;
      return false;
    }
    keys.push({ index: i, flags: spec.flags });
  }
  return (spec.flags & KEY_INCOMPLETE) === 0;
}

/** string2ll: an exact base-10 int64 in the safe range, or null. */
function strictInteger(text: string | undefined): number | null {
  if (text === undefined || !/^(0|-?[1-9][0-9]*)$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

/** C's atoi: leading spaces, a sign, the leading digits; 0 when none. */
function atoi(text: string | undefined): number {
  const match = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(text ?? '');
  if (!match) return 0;
  const value = Number(match[1]);
  // atoi's int overflow is undefined behaviour; clamp so the checks below refuse it.
  return Math.max(-2147483648, Math.min(2147483647, value));
}

/**
 * COMMAND [destkey] <numkeys> <key> ... (genericGetKeys): no keys at all when
 * numkeys is out of range (the command will reply with an error); the
 * destination, if any, comes last.
 */
function numkeysProc(storeIndex: number, countIndex: number, firstIndex: number): GetKeysProc {
  return (argv) => {
    const count = atoi(argv[countIndex]);
    if (count < 1 || count > argv.length - firstIndex) return [];
    const keys: KeyReference[] = [];
    for (let i = 0; i < count; i++) keys.push({ index: firstIndex + i, flags: 0 });
    if (storeIndex > 0) keys.push({ index: storeIndex, flags: 0 });
    return keys;
  };
}

/** SORT key [BY p] [LIMIT o c] [GET p ...] [STORE dest]: the last STORE wins. */
function sortKeys(argv: ReadonlyArray<string>): KeyReference[] {
  const keys: KeyReference[] = [{ index: 1, flags: KEY_RO | KEY_ACCESS }];
  let store: KeyReference | null = null;
  for (let i = 2; i < argv.length; i++) {
    const option = cString(argv[i] ?? '').toLowerCase();
    if (option === 'limit') i += 2;
    else if (option === 'get' || option === 'by') i += 1;
    else if (option === 'store' && i + 1 < argv.length) store = { index: i + 1, flags: KEY_OW | KEY_UPDATE };
  }
  if (store) keys.push(store);
  return keys;
}

/** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 user pw] [KEYS k ...]. */
function migrateKeys(argv: ReadonlyArray<string>): KeyReference[] {
  let first = 3;
  let count = 1;
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      const option = cString(argv[i] ?? '').toLowerCase();
      if (option === 'keys') {
        if ((argv[3] ?? '').length > 0) {
          count = 0; // a key and KEYS together: MIGRATE replies the syntax error
        } else {
          first = i + 1;
          count = argv.length - first;
        }
        break;
      }
      if (option === 'auth') i += 1;
      else if (option === 'auth2') i += 2;
    }
  }
  const keys: KeyReference[] = [];
  for (let i = 0; i < count; i++) keys.push({ index: first + i, flags: KEY_RW | KEY_ACCESS | KEY_DELETE });
  return keys;
}

/** GEORADIUS[BYMEMBER] key ... [STORE k] [STOREDIST k]: the last store option wins. */
function georadiusKeys(argv: ReadonlyArray<string>): KeyReference[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    const option = cString(argv[i] ?? '').toLowerCase();
    if ((option === 'store' || option === 'storedist') && i + 1 < argv.length) {
      stored = i + 1;
      i++;
    }
  }
  const keys: KeyReference[] = [{ index: 1, flags: 0 }];
  if (stored >= 0) keys.push({ index: stored, flags: 0 });
  return keys;
}

/** XREAD/XREADGROUP [BLOCK ms] [COUNT n] [GROUP g c] [NOACK] STREAMS k1..kN id1..idN. */
function xreadKeys(argv: ReadonlyArray<string>): KeyReference[] {
  let streamsAt = -1;
  for (let i = 1; i < argv.length; i++) {
    const option = cString(argv[i] ?? '').toLowerCase();
    if (option === 'block' || option === 'count') i++;
    else if (option === 'group') i += 2;
    else if (option === 'noack') continue;
    else {
      if (option === 'streams') streamsAt = i;
      break;
    }
  }
  const remaining = streamsAt < 0 ? 0 : argv.length - streamsAt - 1;
  if (streamsAt < 0 || remaining === 0 || remaining % 2 !== 0) return [];
  const keys: KeyReference[] = [];
  for (let i = streamsAt + 1; i < argv.length - remaining / 2; i++) keys.push({ index: i, flags: 0 });
  return keys;
}

/** SET key value [...] [GET]: reads the old value only with GET. */
function setKeys(argv: ReadonlyArray<string>): KeyReference[] {
  for (let i = 3; i < argv.length; i++) {
    if (cString(argv[i] ?? '').toLowerCase() === 'get') return [{ index: 1, flags: KEY_RW | KEY_ACCESS | KEY_UPDATE }];
  }
  return [{ index: 1, flags: KEY_OW | KEY_UPDATE }];
}

/** BITFIELD key [GET t o] [SET t o v] [INCRBY t o i] [OVERFLOW m]: read-only unless it writes (or is malformed). */
function bitfieldKeys(argv: ReadonlyArray<string>): KeyReference[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const remaining = argv.length - i - 1;
    const operation = cString(argv[i] ?? '').toLowerCase();
    if (operation === 'get' && remaining >= 2) {
      i += 2;
    } else if ((operation === 'set' || operation === 'incrby') && remaining >= 3) {
      readonly = false;
      break;
    } else if (operation === 'overflow' && remaining >= 1) {
      i += 1;
    } else {
      readonly = false; // a syntax error: assume it writes
      break;
    }
  }
  return [{ index: 1, flags: readonly ? KEY_RO | KEY_ACCESS : KEY_RW | KEY_ACCESS | KEY_UPDATE }];
}

const keysAfterNumkeys = numkeysProc(0, 1, 2);
const keysAfterTimeoutAndNumkeys = numkeysProc(0, 2, 3);
const storeThenNumkeys = numkeysProc(1, 2, 3);

/** The commands that have their own getkeys proc in Redis 7.0, by full name. */
const GETKEYS_PROCS: Readonly<Record<string, GetKeysProc>> = {
  bitfield: bitfieldKeys,
  blmpop: keysAfterTimeoutAndNumkeys,
  bzmpop: keysAfterTimeoutAndNumkeys,
  eval: keysAfterTimeoutAndNumkeys,
  eval_ro: keysAfterTimeoutAndNumkeys,
  evalsha: keysAfterTimeoutAndNumkeys,
  evalsha_ro: keysAfterTimeoutAndNumkeys,
  fcall: keysAfterTimeoutAndNumkeys,
  fcall_ro: keysAfterTimeoutAndNumkeys,
  georadius: georadiusKeys,
  georadiusbymember: georadiusKeys,
  lmpop: keysAfterNumkeys,
  migrate: migrateKeys,
  set: setKeys,
  sintercard: keysAfterNumkeys,
  sort: sortKeys,
  sort_ro: () => [{ index: 1, flags: KEY_RO | KEY_ACCESS }],
  xread: xreadKeys,
  xreadgroup: xreadKeys,
  zdiff: keysAfterNumkeys,
  zinter: keysAfterNumkeys,
  zintercard: keysAfterNumkeys,
  zunion: keysAfterNumkeys,
  zdiffstore: storeThenNumkeys,
  zinterstore: storeThenNumkeys,
  zunionstore: storeThenNumkeys,
  zmpop: keysAfterNumkeys,
};

/** What the table resolves once per command (see command-table.ts). */
export interface CommandKeyInfo {
  readonly specs: ReadonlyArray<KeySpec>;
  readonly legacy: LegacyKeyRange | null;
  readonly movable: boolean;
  /** The specs are preferred: some spec is a real key and none has variable flags. */
  readonly specsUsable: boolean;
  readonly proc: GetKeysProc | null;
}

export const NO_KEYS: CommandKeyInfo = Object.freeze({ specs: [], legacy: null, movable: false, specsUsable: false, proc: null });

/**
 * Derives a command's legacy range and movablekeys flag from its specs
 * (populateCommandLegacyRangeSpec): one index/range spec is the range as is;
 * otherwise the consecutive step-1 index/range specs are merged, and any
 * spec left out (keyword, keynum, unknown, stepped, not adjacent) or
 * incomplete makes the keys movable.
 */
export function resolveKeyInfo(fullName: string, specs: ReadonlyArray<KeySpec>): CommandKeyInfo {
  const proc = GETKEYS_PROCS[fullName] ?? null;
  let allFlags = 0;
  let realKey = false;
  for (const spec of specs) {
    allFlags |= spec.flags;
    if ((spec.flags & KEY_NOT_KEY) === 0) realKey = true;
  }
  const specsUsable = realKey && (allFlags & KEY_VARIABLE_FLAGS) === 0;
  if (specs.length === 0) return { specs, legacy: null, movable: false, specsUsable, proc };
  const only = specs[0]!;
  if (specs.length === 1 && only.beginSearch.type === 'index' && only.findKeys.type === 'range') {
    const lastKey = only.findKeys.lastKey;
    const first = only.beginSearch.index;
    return {
      specs,
      legacy: { first, last: lastKey >= 0 ? first + lastKey : lastKey, step: only.findKeys.keyStep },
      movable: (only.flags & KEY_INCOMPLETE) !== 0,
      specsUsable,
      proc,
    };
  }
  let movable = false;
  let first = Number.MAX_SAFE_INTEGER;
  let last = 0;
  let previousLast = 0;
  for (const spec of specs) {
    const begin = spec.beginSearch;
    const find = spec.findKeys;
    if (begin.type !== 'index' || find.type !== 'range') {
      movable = true;
      continue;
    }
    if (find.keyStep !== 1 || (previousLast !== 0 && previousLast !== begin.index - 1)) {
      movable = true;
      continue;
    }
    if ((spec.flags & KEY_INCOMPLETE) !== 0) movable = true;
    first = Math.min(first, begin.index);
    const absoluteLast = find.lastKey >= 0 ? find.lastKey + begin.index : find.lastKey;
    // Redis compares as unsigned: a negative (from the end) last key beats any positive one.
    last = unsignedMax(last, absoluteLast);
    previousLast = last;
  }
  if (first === Number.MAX_SAFE_INTEGER) return { specs, legacy: null, movable: true, specsUsable, proc };
  return { specs, legacy: { first, last, step: 1 }, movable, specsUsable, proc };
}

function unsignedMax(a: number, b: number): number {
  return (a >>> 0) >= (b >>> 0) ? a : b;
}

/** doesCommandHaveKeys: a proc, or a spec that is a real key. */
export function commandHasKeys(info: CommandKeyInfo): boolean {
  if (info.proc !== null) return true;
  return info.specs.some((spec) => (spec.flags & KEY_NOT_KEY) === 0);
}

/**
 * The keys of one invocation with their flags (getKeysFromCommandWithSpecs
 * with the default search). argv[0] is the command name; a subcommand's
 * argv starts at the container's name as well.
 */
export function commandKeys(command: ResolvedCommand, argv: ReadonlyArray<string>, options: KeySearchOptions = {}): KeyReference[] {
  const info = command.keyInfo;
  if (info.specsUsable) {
    const found = keysUsingSpecs(info.specs, command.arity, argv, options);
    if (found !== null) return found;
  }
  return info.proc ? info.proc(argv) : [];
}
