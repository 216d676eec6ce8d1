/**
 * The command table as startup lines see it: config.c checks `user` rules
 * and `rename-command` names against the command table while the lines are
 * read, before the node (and its own table) exists, so they use one built
 * here on first need.
 *
 * rename-command: redis-server looks the command up (lookupCommandBySds,
 * case-insensitive, "container|sub" included), then deletes it and adds it
 * under the new name unless that name is taken ("" only deletes). The
 * engine's command table is fixed, so a rename redis-server would make is
 * refused, after the same two checks and with their errors first.
 */
import { registerAllCommands } from '../commands';
import { CommandTable } from '../commands/command-table';

let table: CommandTable | null = null;

export function startupCommandTable(): CommandTable {
  if (table === null) {
    table = new CommandTable();
    registerAllCommands(table);
  }
  return table;
}

/** Why `rename-command <from> <to>` stops startup: redis-server's error for bad names, else the engine's. */
export function renameCommandRefusal(from: string, to: string): string {
  const commands = startupCommandTable();
  if (commands.byFullName(from) === undefined) return 'No such command in rename-command';
  // The old name is deleted before the new one is added: renaming a command to itself is no clash.
  if (to !== '' && to.toLowerCase() !== from.toLowerCase() && !to.includes('|') && commands.byFullName(to) !== undefined) return 'Target command name already exists';
  return 'rename-command is not supported by this engine';
}
