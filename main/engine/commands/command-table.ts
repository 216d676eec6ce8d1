/**
 * The command table: name -> resolved spec, with container commands
 * (CONFIG, CLIENT, OBJECT, ...) resolving their subcommand from argv[1],
 * exactly like lookupCommand() in server.c:
 *   - unknown name                      -> unknown command
 *   - container, argc == 1              -> the container itself (its arity then fails)
 *   - container, unknown subcommand     -> "unknown subcommand '...'. Try X HELP."
 */
import { commandFlagRecord, type CommandFlag, type CommandSpec, type ResolvedCommand } from './command-spec';
import { atIndex, type KeySpec } from './meta/key-spec';
import { resolveKeyInfo } from './meta/key-extraction';
import { KEY_SPECS } from './meta/key-spec-table';

export type LookupResult =
  | { readonly kind: 'found'; readonly command: ResolvedCommand }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'unknownSubcommand'; readonly container: ResolvedCommand };

/**
 * A command's key specs: Redis's, from the table, for every command Redis
 * has; otherwise one flagless range spec made from its legacy positions.
 */
function keySpecsOf(fullName: string, spec: CommandSpec): ReadonlyArray<KeySpec> {
  const known = KEY_SPECS[fullName];
  if (known !== undefined) return known;
  if (spec.keys === null) return [];
  const { first, last, step } = spec.keys;
  return [atIndex(first, '', last < 0 ? last : last - first, step)];
}

/**
 * Commands Redis does not flag fast that the dispatcher still times with
 * their pipelined run. SET is not fast in Redis 7.0 because overwriting a
 * key frees the old value there, synchronously, which is O(N) for a big
 * collection; here the old value is left to the collector, so a SET costs
 * its string and one Map write whatever it replaces. It reads none of the
 * figures a run shares out (commandstats, the slowlog), as no fast command
 * does.
 */
const RUN_TIMED_SLOW_COMMANDS: ReadonlySet<string> = new Set(['set']);

function resolve(spec: CommandSpec, parent: CommandSpec | null): ResolvedCommand {
  const fullName = parent ? `${parent.name}|${spec.name}` : spec.name;
  const keyInfo = resolveKeyInfo(fullName, keySpecsOf(fullName, spec));
  // movablekeys is derived from the key specs (populateCommandLegacyRangeSpec), never declared.
  const flags = new Set<CommandFlag>(spec.flags.filter((flag) => flag !== 'movablekeys'));
  if (keyInfo.movable) flags.add('movablekeys');
  const is = commandFlagRecord((flag) => flags.has(flag));
  return {
    spec,
    name: spec.name,
    arity: spec.arity,
    handler: spec.handler ?? null,
    parent,
    fullName,
    flagSet: flags,
    is,
    timedInRun: is.fast || RUN_TIMED_SLOW_COMMANDS.has(fullName),
    keyInfo,
    dynamicFlags: spec.dynamicFlags ?? null,
    stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, histogram: null },
  };
}

/** A precomputed 'found' result; a container's carries its subcommands' results. */
type Found = { readonly kind: 'found'; readonly command: ResolvedCommand; readonly subcommands: ReadonlyMap<string, Found> | null };

const UNKNOWN: LookupResult = Object.freeze({ kind: 'unknown' });

function addSpellings(target: Map<string, Found>, name: string, command: ResolvedCommand, subcommands: ReadonlyMap<string, Found> | null): void {
  const found: Found = Object.freeze({ kind: 'found', command, subcommands });
  target.set(name, found);
  target.set(name.toUpperCase(), found);
}

export class CommandTable {
  private readonly commands = new Map<string, ResolvedCommand>();
  private readonly subcommands = new Map<string, Map<string, ResolvedCommand>>();
  /**
   * The request path's view of the table: lookup results made once, keyed by
   * the lowercase and the uppercase spelling of every name (clients send one
   * or the other), so a lookup allocates nothing and lowercases only mixed
   * case. Containers map to their children the same way.
   */
  private readonly foundByName = new Map<string, Found>();
  /**
   * The name of the last lookup and its result (undefined: unknown). A
   * pipeline repeats one command and the request decoder hands over the same
   * string for a repeated name (CommandNames), so the common case is one
   * identity test instead of a Map lookup. The one before it is kept too: a
   * script's commands alternate with the EVAL/FCALL that runs them (the
   * scripting API hands over the same string for a repeated name, see
   * LuaRuntime.toString). Reset by register().
   */
  private lastName: string | null = null;
  private lastFound: Found | undefined = undefined;
  private previousName: string | null = null;
  private previousFound: Found | undefined = undefined;

  register(...specs: CommandSpec[]): void {
    this.lastName = null;
    this.previousName = null;
    for (const spec of specs) {
      if (this.commands.has(spec.name)) throw new Error(`command ${spec.name} registered twice`);
      const command = resolve(spec, null);
      this.commands.set(spec.name, command);
      let foundSubcommands: Map<string, Found> | null = null;
      if (spec.subcommands) {
        const children = new Map<string, ResolvedCommand>();
        foundSubcommands = new Map<string, Found>();
        for (const sub of spec.subcommands) {
          const child = resolve(sub, spec);
          children.set(sub.name, child);
          addSpellings(foundSubcommands, sub.name, child, null);
        }
        this.subcommands.set(spec.name, children);
      }
      addSpellings(this.foundByName, spec.name, command, foundSubcommands);
    }
  }

  lookup(argv: ReadonlyArray<string>): LookupResult {
    const rawName = argv[0] ?? '';
    let found: Found | undefined;
    if (rawName === this.lastName) {
      found = this.lastFound;
    } else {
      found = rawName === this.previousName ? this.previousFound : (this.foundByName.get(rawName) ?? this.foundByName.get(rawName.toLowerCase()));
      this.previousName = this.lastName;
      this.previousFound = this.lastFound;
      this.lastName = rawName;
      this.lastFound = found;
    }
    if (!found) return UNKNOWN;
    const children = found.subcommands;
    if (children === null || argv.length === 1) return found;
    const rawSub = argv[1] ?? '';
    const sub = children.get(rawSub) ?? children.get(rawSub.toLowerCase());
    if (!sub) return { kind: 'unknownSubcommand', container: found.command };
    return sub;
  }

  /**
   * Looks up by name or "container|sub" full name, case-insensitively
   * (lookupCommandBySds): one level of subcommands only, and a name with a
   * "|" part must be a container's subcommand ("get|key" is nothing).
   */
  byFullName(fullName: string): ResolvedCommand | undefined {
    const parts = fullName.toLowerCase().split('|');
    if (parts.length > 2) return undefined;
    const command = this.commands.get(parts[0]!);
    if (!command || parts.length === 1) return command;
    return this.subcommands.get(command.spec.name)?.get(parts[1]!);
  }

  /** Every top-level command, in registration order. */
  all(): IterableIterator<ResolvedCommand> {
    return this.commands.values();
  }

  subcommandsOf(name: string): ResolvedCommand[] {
    return [...(this.subcommands.get(name)?.values() ?? [])];
  }

  get size(): number {
    return this.commands.size;
  }
}
