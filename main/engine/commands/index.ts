/**
 * Registers every command family. Each family file exports an array of specs.
 */
import type { CommandTable } from './command-table';
import { CONNECTION_COMMANDS } from './connection';
import { STRING_COMMANDS } from './strings';
import { REPLICATION_COMMANDS } from './replication';

export function registerAllCommands(table: CommandTable): void {
  table.register(...CONNECTION_COMMANDS);
  table.register(...STRING_COMMANDS);
  table.register(...REPLICATION_COMMANDS);
}
