/**
 * The configuration as commands see it: read any parameter, and CONFIG SET
 * (parse all, apply all or nothing). Not here: registering change listeners
 * and startup-only setting; those belong to the node and its subsystems.
 * Implemented by config/engine-config.ts.
 */
import type { ConfigParam, ConfigSource } from '../../config/config-types';
import type { PreparedChange } from '../../config/engine-config';

export interface ConfigPort {
  param(name: string): ConfigParam | undefined;
  bool(name: string): boolean;
  int(name: string): number;
  string(name: string): string;
  /** The value as CONFIG GET prints it. */
  format(name: string): string;
  /** Parameter name/value pairs matching a CONFIG GET pattern. */
  matching(pattern: string, globMatch: (pattern: string, text: string) => boolean): Array<[string, string]>;
  allParameters(): ReadonlyArray<ConfigParam>;
  /** Parses every value first; an error text (nothing changed) or the change to apply. */
  prepare(pairs: ReadonlyArray<readonly [string, string]>, source: ConfigSource, protectedAllowed?: boolean): PreparedChange | string;
  /** Applies a prepared change; on a hook's failure restores every value and answers the error text. */
  apply(change: PreparedChange): string | null;
  /** prepare + apply; null when applied. */
  setMany(pairs: ReadonlyArray<readonly [string, string]>, source: ConfigSource): string | null;
}
