/**
 * The live configuration of one engine node. Values are typed per parameter
 * kind; listeners let subsystems react to CONFIG SET (the backlog resizes when
 * repl-backlog-size changes, the logger follows loglevel, ...).
 *
 * CONFIG SET of several parameters is atomic, as in Redis 7.0: every value is
 * parsed first; if any fails nothing changes; if an apply hook fails the
 * parameters already applied are restored, their hooks run again with the
 * old values (restoreBackupConfig), so every subsystem is back as it was.
 */
import { CONFIG_PARAMETERS } from './parameters';
import { formatParamValue, parseParamValue, type ConfigParam, type ConfigSource, type ParsedValue } from './config-types';

export type ConfigListener = (value: ParsedValue, previous: ParsedValue) => void;

/** A CONFIG SET whose values all parsed: the parameters, their new values and the names used. */
export type PreparedChange = ReadonlyArray<readonly [ConfigParam, ParsedValue, string, string?]>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export class EngineConfig {
  private readonly byName = new Map<string, ConfigParam>();
  private readonly values = new Map<string, ParsedValue>();
  /** CONFIG GET's text for an integer a number cannot hold exactly (past 2^53). */
  private readonly exactTexts = new Map<string, string>();
  private readonly listeners = new Map<string, ConfigListener[]>();

  constructor(parameters: ReadonlyArray<ConfigParam> = CONFIG_PARAMETERS) {
    for (const param of parameters) {
      this.byName.set(param.name, param);
      for (const alias of param.aliases ?? []) this.byName.set(alias, param);
      this.values.set(param.name, param.defaultValue);
    }
  }

  param(name: string): ConfigParam | undefined {
    return this.byName.get(name.toLowerCase());
  }

  bool(name: string): boolean {
    return this.values.get(this.canonical(name)) === true;
  }

  int(name: string): number {
    return this.values.get(this.canonical(name)) as number;
  }

  string(name: string): string {
    return String(this.values.get(this.canonical(name)));
  }

  private canonical(name: string): string {
    const param = this.byName.get(name);
    if (!param) throw new Error(`unknown config parameter ${name}`);
    return param.name;
  }

  onChange(name: string, listener: ConfigListener): void {
    const canonical = this.canonical(name);
    const list = this.listeners.get(canonical) ?? [];
    list.push(listener);
    this.listeners.set(canonical, list);
  }

  /**
   * Sets several parameters atomically. Returns null on success or the
   * complete Redis error message ("ERR ...").
   */
  setMany(pairs: ReadonlyArray<readonly [string, string]>, source: ConfigSource): string | null {
    const prepared = this.prepare(pairs, source);
    return typeof prepared === 'string' ? prepared : this.apply(prepared);
  }

  /** Parses every value of a CONFIG SET without changing anything: the change, or the complete Redis error. */
  prepare(pairs: ReadonlyArray<readonly [string, string]>, source: ConfigSource, protectedAllowed = source === 'startup'): PreparedChange | string {
    const parsed: Array<[ConfigParam, ParsedValue, string, string?]> = [];
    const seen = new Set<string>();
    for (const [name, raw] of pairs) {
      const param = this.byName.get(name.toLowerCase());
      if (!param) return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
      if (seen.has(param.name)) return `ERR CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`;
      seen.add(param.name);
      if (source === 'runtime' && !param.mutable) {
        return `ERR CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`;
      }
      if (source === 'runtime' && param.protected && !protectedAllowed) {
        return `ERR CONFIG SET failed (possibly related to argument '${name}') - can't set protected config`;
      }
      const result = parseParamValue(param, raw, this.values.get(param.name));
      if ('error' in result) return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${result.error}`;
      parsed.push(result.exact === undefined ? [param, result.value, name] : [param, result.value, name, result.exact]);
    }
    return parsed;
  }

  /**
   * Applies a prepared change, in order. A hook that throws fails the
   * change: the parameters set so far get their old values back and their
   * hooks run again with them. Returns null or the complete Redis error.
   */
  apply(change: PreparedChange): string | null {
    const applied: Array<[ConfigParam, ParsedValue, ParsedValue, string | undefined]> = [];
    for (const [param, value, name, exact] of change) {
      const previous = this.values.get(param.name)!;
      const previousExact = this.exactTexts.get(param.name);
      this.values.set(param.name, value);
      this.setExact(param.name, exact);
      applied.push([param, previous, value, previousExact]);
      try {
        for (const listener of this.listeners.get(param.name) ?? []) listener(value, previous);
      } catch (error) {
        for (const [undoParam, undoValue, failedValue, undoExact] of applied.reverse()) {
          this.values.set(undoParam.name, undoValue);
          this.setExact(undoParam.name, undoExact);
          for (const listener of this.listeners.get(undoParam.name) ?? []) {
            try {
              listener(undoValue, failedValue);
            } catch {
              // Restoring a value that was in force cannot fail; if it does, the old value stays recorded.
            }
          }
        }
        const reason = error instanceof Error ? error.message : String(error);
        return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
      }
    }
    return null;
  }

  private setExact(name: string, exact: string | undefined): void {
    if (exact === undefined) this.exactTexts.delete(name);
    else this.exactTexts.set(name, exact);
  }

  /** Sets one parameter, throwing ConfigError with Redis's message on failure (startup use). */
  set(name: string, value: string, source: ConfigSource = 'startup'): void {
    const error = this.setMany([[name, value]], source);
    if (error) throw new ConfigError(error.replace(/^ERR /, ''));
  }

  /** Formatted value as CONFIG GET prints it. */
  format(name: string): string {
    const param = this.byName.get(name.toLowerCase());
    if (!param) throw new Error(`unknown config parameter ${name}`);
    return this.exactTexts.get(param.name) ?? formatParamValue(param, this.values.get(param.name)!);
  }

  /**
   * [name, value] pairs for every parameter name or alias matching a glob
   * (CONFIG GET with a pattern; hidden parameters need an exact name, which
   * the CONFIG command resolves with `param()`).
   */
  matching(pattern: string, globMatch: (pattern: string, text: string) => boolean): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [name, param] of this.byName) {
      if (param.hidden) continue;
      if (globMatch(pattern, name)) out.push([name, this.exactTexts.get(param.name) ?? formatParamValue(param, this.values.get(param.name)!)]);
    }
    return out;
  }

  allParameters(): ReadonlyArray<ConfigParam> {
    return [...new Set(this.byName.values())];
  }
}
