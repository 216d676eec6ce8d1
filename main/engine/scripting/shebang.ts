/**
 * The first line of a script or library: EVAL's "#!lua flags=..." shebang
 * (eval.c evalExtractShebangFlags) and FUNCTION LOAD's "#!<engine>
 * name=<library>" metadata (functions.c functionExtractLibMetaData). The
 * line is split like sdssplitargs (quotes allowed). The code kept after it
 * starts with the line's '\n', so line numbers in errors stay the user's.
 */
import { splitInlineArguments } from '../resp/request-decoder';
import { cString } from '../util/c-string';

/** Script flags in Redis's order (scripts_flags_def): FUNCTION LIST prints them in this order. */
export const SCRIPT_FLAG_NAMES = ['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'] as const;
export type ScriptFlagName = (typeof SCRIPT_FLAG_NAMES)[number];

export interface ScriptFlags {
  /** No shebang: the pre-7.0 behaviour (flags come from the commands the script runs). */
  readonly compat: boolean;
  readonly noWrites: boolean;
  readonly allowOom: boolean;
  readonly allowStale: boolean;
  readonly noCluster: boolean;
  readonly allowCrossSlot: boolean;
}

export const COMPAT_FLAGS: ScriptFlags = Object.freeze({ compat: true, noWrites: false, allowOom: false, allowStale: false, noCluster: false, allowCrossSlot: false });

export function flagsFromNames(names: ReadonlyArray<string>): ScriptFlags {
  return {
    compat: false,
    noWrites: names.includes('no-writes'),
    allowOom: names.includes('allow-oom'),
    allowStale: names.includes('allow-stale'),
    noCluster: names.includes('no-cluster'),
    allowCrossSlot: names.includes('allow-cross-slot-keys'),
  };
}

function splitLine(line: string): string[] | null {
  const parts = splitInlineArguments(Buffer.from(line, 'latin1'), line.length);
  return parts && parts.length > 0 ? parts : null;
}

export type ShebangResult = { readonly flags: ScriptFlags; readonly body: string } | { readonly error: string };

/**
 * Where the first line ends as strchr(code, '\n') finds it: -1 when a NUL
 * comes first (strchr stops there) or there is no newline.
 */
function firstLineEnd(code: string): number {
  const end = code.indexOf('\n');
  if (end < 0) return -1;
  const nul = code.indexOf('\u0000');
  return nul >= 0 && nul < end ? -1 : end;
}

/**
 * EVAL's shebang: the flags and the code to compile (the shebang line
 * removed, its newline kept). The engine and each flag are compared with
 * strcmp and printed in errors with "%s": as C strings (cString).
 */
export function parseScriptShebang(script: string): ShebangResult {
  if (!script.startsWith('#!')) return { flags: COMPAT_FLAGS, body: script };
  const end = firstLineEnd(script);
  if (end < 0) return { error: 'Invalid script shebang' };
  const parts = splitLine(script.slice(0, end));
  if (parts === null) return { error: 'Invalid engine in script shebang' };
  if (cString(parts[0]!) !== '#!lua') return { error: `Unexpected engine in script shebang: ${cString(parts[0]!)}` };
  const names: string[] = [];
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return { error: `Unknown lua shebang option: ${cString(part)}` };
    const list = part.slice(6);
    for (const listed of list === '' ? [''] : list.split(',')) {
      if (listed === '' && list === '') continue;
      const flag = cString(listed);
      if (!(SCRIPT_FLAG_NAMES as ReadonlyArray<string>).includes(flag)) return { error: `Unexpected flag in script shebang: ${flag}` };
      names.push(flag);
    }
  }
  return { flags: flagsFromNames(names), body: script.slice(end) };
}

export type LibraryMetadata = { readonly engine: string; readonly name: string; readonly code: string } | { readonly error: string };

/** FUNCTION LOAD's first line: engine and library name; `code` is the rest, from the newline on. */
export function parseLibraryMetadata(payload: string): LibraryMetadata {
  if (!payload.startsWith('#!')) return { error: 'Missing library metadata' };
  const end = firstLineEnd(payload);
  if (end < 0) return { error: 'Invalid library metadata' };
  const parts = splitLine(payload.slice(0, end));
  if (parts === null) return { error: 'Invalid library metadata' };
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return { error: 'Invalid metadata value, name argument was given multiple times' };
      name = part.slice(5);
      continue;
    }
    return { error: `Invalid metadata value given: ${cString(part)}` };
  }
  if (name === null) return { error: 'Library name was not given' };
  return { engine, name, code: payload.slice(end) };
}

/** Library and function names: [A-Za-z0-9_]+. */
export function isValidName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}
