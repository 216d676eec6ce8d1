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
  readonly doc: CommandDoc;
  readonly handler?: CommandHandler;
  readonly subcommands?: ReadonlyArray<CommandSpec>;
  readonly dynamicFlags?: CommandSpec['dynamicFlags'];
}

export function defineCommand(definition: CommandDefinition): CommandSpec {
  const keys: KeyPositions | null = definition.keys
    ? { first: definition.keys[0], last: definition.keys[1], step: definition.keys[2] }
    : null;
  const acl = implicitAclCategories(definition.flags, definition.acl);
  return {
    name: definition.name,
    arity: definition.arity,
    flags: definition.flags,
    acl: [...acl],
    keys,
    doc: definition.doc,
    ...(definition.handler ? { handler: definition.handler } : {}),
    ...(definition.subcommands ? { subcommands: definition.subcommands } : {}),
    ...(definition.dynamicFlags ? { dynamicFlags: definition.dynamicFlags } : {}),
  };
}

/**
 * The categories a command is in: its own plus those Redis derives from its
 * flags (setImplicitACLCategories): write -> @write, readonly -> @read
 * (not for scripting commands), admin -> @admin @dangerous, pubsub ->
 * @pubsub, fast -> @fast, blocking -> @blocking, and @slow when not @fast.
 */
function implicitAclCategories(flags: ReadonlyArray<CommandFlag>, own: ReadonlyArray<AclCategory>): Set<AclCategory> {
  const acl = new Set<AclCategory>(own);
  if (flags.includes('write')) acl.add('write');
  if (flags.includes('readonly') && !acl.has('scripting')) acl.add('read');
  if (flags.includes('admin')) acl.add('admin').add('dangerous');
  if (flags.includes('pubsub')) acl.add('pubsub');
  if (flags.includes('fast')) acl.add('fast');
  if (flags.includes('blocking')) acl.add('blocking');
  if (!acl.has('fast')) acl.add('slow');
  return acl;
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

export { cString } from '../util/c-string';

/** Case-insensitive option comparison as Redis's strcasecmp makes it: a NUL ends the argument (see cString). */
export function isOption(arg: string | undefined, option: string): boolean {
  if (arg === undefined) return false;
  if (arg.length === option.length) return arg.toLowerCase() === option;
  return arg.length > option.length && arg.charCodeAt(option.length) === 0 && arg.slice(0, option.length).toLowerCase() === option;
}
