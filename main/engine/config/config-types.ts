/**
 * Declarative configuration parameters (config.c's standardConfig table, in
 * spirit): each parameter has a name, optional aliases, a kind that decides
 * how values are parsed and printed, whether CONFIG SET may change it at run
 * time, and an optional hook that applies a change to a running node.
 */
import { formatNumeric, parseNumeric, type NumericShape } from './numeric-values';
import { cString } from '../util/c-string';

export type ConfigSource = 'startup' | 'runtime';

export interface ConfigParamBase<T> {
  readonly name: string;
  readonly aliases?: ReadonlyArray<string>;
  /** false: only settable at startup (CONFIG SET says "can't set immutable config"). */
  readonly mutable: boolean;
  readonly defaultValue: T;
  /** Hidden parameters are settable but not listed by CONFIG GET * (Redis: HIDDEN_CONFIG). */
  readonly hidden?: boolean;
  /** PROTECTED_CONFIG (dir, dbfilename): CONFIG SET only as enable-protected-configs allows. */
  readonly protected?: boolean;
  /** config.c's is_valid_fn: a parsed value it refuses, with the error text; null accepts. */
  readonly validate?: (value: T) => string | null;
}

export interface BoolParam extends ConfigParamBase<boolean> { readonly kind: 'bool' }
export interface IntParam extends ConfigParamBase<number>, NumericShape {
  readonly kind: 'int';
  /**
   * Values below `raiseTo` are raised to it (repl-backlog-size min 16kb),
   * above `clampTo` lowered to it (hz: updateHZ keeps 1..500 and CONFIG GET
   * shows the clamped value).
   */
  readonly raiseTo?: number;
  readonly clampTo?: readonly [number, number];
}
export interface EnumParam extends ConfigParamBase<string> {
  readonly kind: 'enum';
  readonly values: ReadonlyArray<string>;
  /** Names of one value: CONFIG GET prints the first name listed for it (oom-score-adj relative reads back as yes). */
  readonly sameAs?: Readonly<Record<string, string>>;
}
export interface StringParam extends ConfigParamBase<string> {
  readonly kind: 'string';
  readonly allowEmpty?: boolean;
  /**
   * config.c's createSDSConfig (requirepass, masterauth): the value is kept
   * as the sds it came in, every byte. The others are createStringConfig's
   * char *, validated and zstrdup'd as a C string: it ends at a NUL.
   */
  readonly binary?: boolean;
}
/** Parameters with their own grammar (save, client-output-buffer-limit, replicaof, bind). */
export interface SpecialParam extends ConfigParamBase<string> {
  readonly kind: 'special';
  /**
   * Returns the normalized value, or an error message (without the "CONFIG
   * SET failed" prefix). `current` is the stored value, for a grammar that
   * changes only part of it (client-output-buffer-limit's classes).
   */
  readonly parse: (value: string, current: string) => { value: string } | { error: string };
  /**
   * How CONFIG GET prints the stored value, when that differs from it (the
   * stored form must keep everything the setting means; Redis may print
   * less, as notify-keyspace-events prints no "n" next to "A").
   */
  readonly format?: (value: string) => string;
  /**
   * config.c's MULTI_ARG_CONFIG: at startup a lone non-empty argument is
   * split again on whitespace runs (config-file parsing, startup-args.ts).
   */
  readonly multiArgument?: boolean;
}

export type ConfigParam = BoolParam | IntParam | EnumParam | StringParam | SpecialParam;

export type ParsedValue = boolean | number | string;

/** Parses a value for a parameter (`current`: its stored value, default the default); returns the typed value or the Redis error text. */
export function parseParamValue(param: ConfigParam, raw: string, current: ParsedValue = param.defaultValue): { value: ParsedValue; exact?: string } | { error: string } {
  const parsed = parseByKind(param, raw, current);
  if ('error' in parsed || !param.validate) return parsed;
  const refused = (param.validate as (value: ParsedValue) => string | null)(parsed.value);
  return refused === null ? parsed : { error: refused };
}

/**
 * Values are read as config.c's setters read them: yesnotoi and the enum
 * names compare with strcasecmp and char * strings are copied with
 * zstrdup, so each ends at its first NUL ("warning\0x" is warning); memory
 * values end there too (memtoull), plain integers and percentages are
 * string2ll'd over every byte (a NUL is no digit). See numeric-values.ts
 * and special-params.ts for the rest.
 */
function parseByKind(param: ConfigParam, raw: string, current: ParsedValue): { value: ParsedValue; exact?: string } | { error: string } {
  switch (param.kind) {
    case 'bool': {
      const lower = cString(raw).toLowerCase();
      if (lower === 'yes') return { value: true };
      if (lower === 'no') return { value: false };
      return { error: "argument must be 'yes' or 'no'" };
    }
    case 'int': {
      const parsed = parseNumeric(param, raw);
      if ('error' in parsed) return parsed;
      let value = Number(parsed.value);
      if (param.raiseTo !== undefined && value < param.raiseTo) value = param.raiseTo;
      if (param.clampTo) value = Math.min(Math.max(value, param.clampTo[0]), param.clampTo[1]);
      // Past 2^53 a number cannot hold the value: keep its text for CONFIG GET.
      return Number.isSafeInteger(value) ? { value } : { value, exact: formatNumeric(param, parsed.value) };
    }
    case 'enum': {
      const lower = cString(raw).toLowerCase();
      if (!param.values.includes(lower)) return { error: `argument(s) must be one of the following: ${param.values.join(', ')}` };
      return { value: param.sameAs?.[lower] ?? lower };
    }
    case 'string':
      return { value: param.binary === true ? raw : cString(raw) };
    case 'special':
      return param.parse(raw, String(current));
  }
}

export function formatParamValue(param: ConfigParam, value: ParsedValue): string {
  if (param.kind === 'bool') return value ? 'yes' : 'no';
  if (param.kind === 'int') return formatNumeric(param, BigInt(value as number));
  if (param.kind === 'special' && param.format) return param.format(String(value));
  return String(value);
}
