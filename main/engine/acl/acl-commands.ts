/**
 * The commands ACL rules talk about: every command and subcommand of the
 * node's table, each with a small integer id that indexes the selectors'
 * permission bitmaps (acl.c gives every command an id for the same reason).
 *
 * Order: Redis walks its command dict, whose order is random per process,
 * so ACL CAT and the single-command part of ACL LIST come in no defined
 * order there. Here they come sorted by name, each container followed by
 * its subcommands (the order Redis's walk has within one container).
 */
import type { AclCategory, ResolvedCommand } from '../commands/command-spec';
import type { CommandTable } from '../commands/command-table';

export class AclCommands {
  /** Every command sorted by name, each container followed by its subcommands sorted by name. */
  readonly all: ReadonlyArray<ResolvedCommand>;
  private readonly ids = new Map<ResolvedCommand, number>();
  private readonly children = new Map<ResolvedCommand, ReadonlyArray<ResolvedCommand>>();
  private readonly categories = new Map<ResolvedCommand, ReadonlySet<AclCategory>>();

  constructor(private readonly table: CommandTable) {
    const all: ResolvedCommand[] = [];
    const byName = (a: ResolvedCommand, b: ResolvedCommand): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const command of [...table.all()].sort(byName)) {
      all.push(command);
      const subcommands = table.subcommandsOf(command.name).sort(byName);
      if (subcommands.length > 0) this.children.set(command, subcommands);
      all.push(...subcommands);
    }
    all.forEach((command, index) => {
      this.ids.set(command, index);
      this.categories.set(command, new Set(command.spec.acl));
    });
    this.all = all;
  }

  /** Number of ids (bitmap length). */
  get size(): number {
    return this.all.length;
  }

  id(command: ResolvedCommand): number {
    return this.ids.get(command) ?? -1;
  }

  /** ACLLookupCommand: "name" or "container|sub", case-insensitively, one level deep. */
  lookup(name: string): ResolvedCommand | undefined {
    return this.table.byFullName(name);
  }

  subcommandsOf(command: ResolvedCommand): ReadonlyArray<ResolvedCommand> {
    return this.children.get(command) ?? [];
  }

  inCategory(command: ResolvedCommand, category: AclCategory): boolean {
    return this.categories.get(command)?.has(category) ?? false;
  }
}
