/**
 * Builders for the parameter tables (parameters.ts, inert-parameters.ts):
 * one per config.c kind, with its bounds as config.c declares them.
 */
import type { ConfigParam, StringParam } from './config-types';

export type Bound = number | bigint;
export interface IntExtra { aliases?: string[]; raiseTo?: number; clampTo?: readonly [number, number]; mutable?: boolean; percent?: boolean; octal?: boolean; unsigned?: boolean }
export const numeric = (name: string, defaultValue: number, min: Bound, max: Bound, memoryValue: boolean, extra: IntExtra): ConfigParam => ({
  kind: 'int', name, defaultValue, min: BigInt(min), max: BigInt(max), mutable: extra.mutable ?? true,
  ...(memoryValue ? { memory: true } : {}),
  ...(extra.aliases ? { aliases: extra.aliases } : {}), ...(extra.raiseTo !== undefined ? { raiseTo: extra.raiseTo } : {}),
  ...(extra.clampTo ? { clampTo: extra.clampTo } : {}), ...(extra.percent ? { percent: true } : {}),
  ...(extra.octal ? { octal: true } : {}), ...(extra.unsigned ? { unsigned: true } : {}),
});
export const bool = (name: string, defaultValue: boolean, mutable = true, aliases?: string[]): ConfigParam => ({ kind: 'bool', name, defaultValue, mutable, ...(aliases ? { aliases } : {}) });
/** A signed integer (config.c's int, long long, ssize_t, time_t, off_t). */
export const int = (name: string, defaultValue: number, min: Bound, max: Bound, mutable = true, aliases?: string[], extra: IntExtra = {}): ConfigParam =>
  numeric(name, defaultValue, min, max, false, { ...extra, mutable, ...(aliases ? { aliases } : {}) });
/** An unsigned integer (unsigned int, unsigned long [long], size_t): its bounds are compared unsigned. */
export const uint = (name: string, defaultValue: number, min: Bound, max: Bound, mutable = true, aliases?: string[]): ConfigParam =>
  numeric(name, defaultValue, min, max, false, { mutable, unsigned: true, ...(aliases ? { aliases } : {}) });
export const memory = (name: string, defaultValue: number, min: Bound, max: Bound, extra: IntExtra = {}): ConfigParam => numeric(name, defaultValue, min, max, true, extra);
/** A test hook Redis keeps out of CONFIG GET * (HIDDEN_CONFIG): settable and readable by exact name only. */
export const hidden = (param: ConfigParam): ConfigParam => ({ ...param, hidden: true });
export const enumeration = (name: string, defaultValue: string, values: string[], mutable = true): ConfigParam => ({ kind: 'enum', name, defaultValue, values, mutable });
/** binary: config.c's createSDSConfig, every byte kept (StringParam.binary). */
export interface StringExtra { binary?: boolean }
export const string = (name: string, defaultValue: string, mutable = true, aliases?: string[], extra: StringExtra = {}): StringParam => ({
  kind: 'string', name, defaultValue, mutable, ...(aliases ? { aliases } : {}), ...(extra.binary ? { binary: true } : {}),
});

