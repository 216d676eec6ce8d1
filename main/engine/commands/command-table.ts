/**
 * The command table: name -> resolved spec, with container commands
 * (CONFIG, CLIENT, OBJECT, ...) resolving their subcommand from argv[1],
 * exactly like lookupCommand() in server.c:
 *   - unknown name                      -> unknown command
 *   - container, argc == 1              -> the container itself (its arity then fails)
 *   - container, unknown subcommand     -> "unknown subcommand '...'. Try X HELP."
 */
import { COMMAND_FLAGS, type CommandFlag, type CommandSpec, type ResolvedCommand } from './command-spec';

export type LookupResult =
  | { readonly kind: 'found'; readonly command: ResolvedCommand }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'unknownSubcommand'; readonly container: ResolvedCommand };

function resolve(spec: CommandSpec, parent: CommandSpec | null): ResolvedCommand {
  const flags = new Set<CommandFlag>(spec.flags);
  const is = {} as Record<CommandFlag, boolean>;
  for (const flag of COMMAND_FLAGS) is[flag] = flags.has(flag);
  return {
    spec,
    parent,
    fullName: parent ? `${parent.name}|${spec.name}` : spec.name,
    flagSet: flags,
    is,
    stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 },
  };
}

export class CommandTable {
  private readonly commands = new Map<string, ResolvedCommand>();
  private readonly subcommands = new Map<string, Map<string, ResolvedCommand>>();

  register(...specs: CommandSpec[]): void {
    for (const spec of specs) {
      if (this.commands.has(spec.name)) throw new Error(`command ${spec.name} registered twice`);
      this.commands.set(spec.name, resolve(spec, null));
      if (spec.subcommands) {
        const children = new Map<string, ResolvedCommand>();
        for (const sub of spec.subcommands) children.set(sub.name, resolve(sub, spec));
        this.subcommands.set(spec.name, children);
      }
    }
  }

  lookup(argv: ReadonlyArray<string>): LookupResult {
    const rawName = argv[0] ?? '';
    const command = this.commands.get(rawName) ?? this.commands.get(rawName.toLowerCase());
    if (!command) return { kind: 'unknown' };
    const children = this.subcommands.get(command.spec.name);
    if (!children || argv.length === 1) return { kind: 'found', command };
    const sub = children.get((argv[1] ?? '').toLowerCase());
    if (!sub) return { kind: 'unknownSubcommand', container: command };
    return { kind: 'found', command: sub };
  }

  /** Looks up by name or "container|sub" full name (COMMAND INFO, ACL-like checks). */
  byFullName(fullName: string): ResolvedCommand | undefined {
    const [name, sub] = fullName.toLowerCase().split('|');
    const command = this.commands.get(name ?? '');
    if (!command || sub === undefined) return command;
    return this.subcommands.get(command.spec.name)?.get(sub);
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

/** Key argument indexes of a command invocation (COMMAND GETKEYS, WATCH-style checks). */
export function keyIndexes(command: ResolvedCommand, argv: ReadonlyArray<string>): number[] {
  const spec = command.spec;
  if (spec.getKeys) return spec.getKeys(argv);
  if (!spec.keys) return [];
  const { first, step } = spec.keys;
  let last = spec.keys.last;
  if (last < 0) last = argv.length + last;
  const out: number[] = [];
  for (let i = first; i <= last && i < argv.length; i += step) out.push(i);
  return out;
}
