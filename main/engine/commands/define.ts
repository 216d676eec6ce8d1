/**
 * Small helpers to write command specs compactly and to parse the argument
 * shapes many commands share, with Redis's exact error replies.
 */
import type { AclCategory, CommandDoc, CommandFlag, CommandHandler, CommandSpec, KeyPositions } from './command-spec';
import { parseInt64, parseSafeInteger } from '../util/integers';

export interface CommandDefinition {
  readonly name: string;
  readonly arity: number;
  readonly flags: ReadonlyArray<CommandFlag>;
  readonly acl: ReadonlyArray<AclCategory>;
  /** [first, last, step] legacy key positions, or null. */
  readonly keys: readonly [number, number, number] | null;
  readonly getKeys?: (argv: ReadonlyArray<string>) => number[];
  readonly doc: CommandDoc;
  readonly handler?: CommandHandler;
  readonly subcommands?: ReadonlyArray<CommandSpec>;
  readonly tips?: ReadonlyArray<string>;
}

export function defineCommand(definition: CommandDefinition): CommandSpec {
  const keys: KeyPositions | null = definition.keys
    ? { first: definition.keys[0], last: definition.keys[1], step: definition.keys[2] }
    : null;
  const acl = new Set<AclCategory>(definition.acl);
  // Redis derives @fast/@slow from the fast flag.
  acl.add(definition.flags.includes('fast') ? 'fast' : 'slow');
  return {
    name: definition.name,
    arity: definition.arity,
    flags: definition.flags,
    acl: [...acl],
    keys,
    doc: definition.doc,
    ...(definition.getKeys ? { getKeys: definition.getKeys } : {}),
    ...(definition.handler ? { handler: definition.handler } : {}),
    ...(definition.subcommands ? { subcommands: definition.subcommands } : {}),
    ...(definition.tips ? { tips: definition.tips } : {}),
  };
}

/** An int64 argument as number (or bigint beyond 2^53); null when not a valid integer. */
export function int64Arg(text: string): number | bigint | null {
  return parseInt64(text);
}

/** An integer argument that must be a safe JS integer; null otherwise. */
export function intArg(text: string): number | null {
  return parseSafeInteger(text);
}

export function upper(text: string): string {
  return text.toUpperCase();
}

/** Case-insensitive option comparison (Redis uses strcasecmp for option names). */
export function isOption(arg: string | undefined, option: string): boolean {
  return arg !== undefined && arg.length === option.length && arg.toLowerCase() === option;
}
