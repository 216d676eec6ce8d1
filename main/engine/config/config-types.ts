/**
 * Declarative configuration parameters (config.c's standardConfig table, in
 * spirit): each parameter has a name, optional aliases, a kind that decides
 * how values are parsed and printed, whether CONFIG SET may change it at run
 * time, and an optional hook that applies a change to a running node.
 */
import { parseMemory } from './memory-units';

export type ConfigSource = 'startup' | 'runtime';

export interface ConfigParamBase<T> {
  readonly name: string;
  readonly aliases?: ReadonlyArray<string>;
  /** false: only settable at startup (CONFIG SET says "can't set immutable config"). */
  readonly mutable: boolean;
  readonly defaultValue: T;
  /** Hidden parameters are settable but not listed by CONFIG GET * (Redis: HIDDEN_CONFIG). */
  readonly hidden?: boolean;
}

export interface BoolParam extends ConfigParamBase<boolean> { readonly kind: 'bool' }
export interface IntParam extends ConfigParamBase<number> {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  /** Memory values accept units (1kb, 1mb, 1gb, 1k, 1m, 1g) and print as bytes. */
  readonly memory?: boolean;
  /** Values below `raiseTo` are raised to it (repl-backlog-size min 16kb). */
  readonly raiseTo?: number;
  /**
   * Also accepts "<n>%" (maxmemory-clients: a share of maxmemory), stored
   * as -n (Redis's PERCENT_CONFIG) and printed back as "<n>%"; `min` is
   * then -(the largest percentage).
   */
  readonly percent?: boolean;
}
export interface EnumParam extends ConfigParamBase<string> { readonly kind: 'enum'; readonly values: ReadonlyArray<string> }
export interface StringParam extends ConfigParamBase<string> { readonly kind: 'string'; readonly allowEmpty?: boolean }
/** Parameters with their own grammar (save, client-output-buffer-limit, replicaof, bind). */
export interface SpecialParam extends ConfigParamBase<string> {
  readonly kind: 'special';
  /** Returns the normalized value, or an error message (without the "CONFIG SET failed" prefix). */
  readonly parse: (value: string) => { value: string } | { error: string };
  /**
   * How CONFIG GET prints the stored value, when that differs from it (the
   * stored form must keep everything the setting means; Redis may print
   * less, as notify-keyspace-events prints no "n" next to "A").
   */
  readonly format?: (value: string) => string;
}

export type ConfigParam = BoolParam | IntParam | EnumParam | StringParam | SpecialParam;

export type ParsedValue = boolean | number | string;

/** Parses a value for a parameter; returns the typed value or the Redis error text. */
export function parseParamValue(param: ConfigParam, raw: string): { value: ParsedValue } | { error: string } {
  switch (param.kind) {
    case 'bool': {
      const lower = raw.toLowerCase();
      if (lower === 'yes') return { value: true };
      if (lower === 'no') return { value: false };
      return { error: "argument must be 'yes' or 'no'" };
    }
    case 'int': {
      let value: number | null;
      if (param.memory) {
        value = parseMemory(raw);
        if (value === null && param.percent && /^\d+%$/.test(raw)) value = -Number(raw.slice(0, -1));
        if (value === null) return { error: param.percent ? 'argument must be a memory or percent value' : 'argument must be a memory value' };
      } else {
        value = /^-?\d+$/.test(raw) ? Number(raw) : null;
        if (value === null || !Number.isSafeInteger(value)) return { error: "argument couldn't be parsed into an integer" };
      }
      if (param.percent && value < 0) {
        if (value < param.min) return { error: `percentage argument must be less or equal to ${-param.min}` };
      } else if (value < param.min || value > param.max) {
        return { error: `argument must be between ${param.min} and ${param.max} inclusive` };
      }
      if (param.raiseTo !== undefined && value < param.raiseTo) value = param.raiseTo;
      return { value };
    }
    case 'enum': {
      const lower = raw.toLowerCase();
      if (!param.values.includes(lower)) return { error: `argument(s) must be one of the following: ${param.values.join(', ')}` };
      return { value: lower };
    }
    case 'string':
      return { value: raw };
    case 'special':
      return param.parse(raw);
  }
}

export function formatParamValue(param: ConfigParam, value: ParsedValue): string {
  if (param.kind === 'bool') return value ? 'yes' : 'no';
  if (param.kind === 'int' && param.percent && (value as number) < 0) return `${-(value as number)}%`;
  if (param.kind === 'special' && param.format) return param.format(String(value));
  return String(value);
}
