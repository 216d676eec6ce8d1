/**
 * Registers every command family. Each family file exports an array of specs.
 */
import type { CommandTable } from './command-table';
import { CONNECTION_COMMANDS } from './connection';
import { STRING_COMMANDS } from './strings';
import { COUNTER_COMMANDS } from './strings-counters';
import { RANGE_COMMANDS } from './strings-ranges';
import { LIST_COMMANDS } from './lists';
import { MORE_LIST_COMMANDS } from './lists-more';
import { MORE_HASH_COMMANDS } from './hashes-more';
import { HASH_COMMANDS } from './hashes';
import { SET_COMMANDS } from './sets';
import { ZSET_COMMANDS } from './zsets';
import { REPLICATION_COMMANDS } from './replication';
import { PERSISTENCE_COMMANDS } from './persistence';
import { infoCommand } from './server-info';
import { configCommand } from './server-config';
import { clientCommand } from './server-client';
import { KEYSPACE_ADMIN_COMMANDS } from './server-keyspace-admin';
import { debugCommand } from './server-debug';
import { monitorCommand, shutdownCommand, slowlogCommand } from './server-misc';
import { commandCommand } from './server-command';
import { latencyCommand } from './server-latency';
import { KEY_COMMANDS } from './keys';
import { EXPIRE_COMMANDS } from './keys-expire';
import { objectCommand } from './keys-object';
import { memoryCommand } from './server-memory';
import { sortCommand, sortRoCommand } from './sort';
import { lcsCommand } from './strings-lcs';
import { bitfieldCommand, bitfieldRoCommand } from './bitfield';
import { DUMP_COMMANDS } from './keys-dump';
import { migrateCommand } from './migrate';
import { TRANSACTION_COMMANDS } from './transactions';
import { PUBSUB_COMMANDS } from './pubsub';
import { EVAL_COMMANDS } from './scripting-eval';
import { FUNCTION_COMMANDS } from './scripting-function';
import { aclCommand } from './acl';
import { CLUSTER_COMMANDS } from './cluster';
import { lolwutCommand } from './lolwut';
import { moduleCommand } from './module';
import { STREAM_COMMANDS } from './streams';
import { HYPERLOGLOG_COMMANDS } from './hyperloglog';
import { GEO_COMMANDS } from './geo';

export function registerAllCommands(table: CommandTable): void {
  table.register(...CONNECTION_COMMANDS);
  table.register(...STRING_COMMANDS, ...COUNTER_COMMANDS, ...RANGE_COMMANDS, lcsCommand, bitfieldCommand, bitfieldRoCommand);
  table.register(...REPLICATION_COMMANDS);
  table.register(...PERSISTENCE_COMMANDS);
  table.register(aclCommand, infoCommand, configCommand, clientCommand, debugCommand, memoryCommand, monitorCommand, shutdownCommand, slowlogCommand, commandCommand, latencyCommand);
  table.register(...KEYSPACE_ADMIN_COMMANDS);
  table.register(...KEY_COMMANDS, ...EXPIRE_COMMANDS, objectCommand, ...DUMP_COMMANDS, migrateCommand, sortCommand, sortRoCommand);
  table.register(...TRANSACTION_COMMANDS, ...PUBSUB_COMMANDS);
  table.register(...EVAL_COMMANDS, ...FUNCTION_COMMANDS);
  table.register(...CLUSTER_COMMANDS, moduleCommand, lolwutCommand);
  table.register(...LIST_COMMANDS, ...MORE_LIST_COMMANDS, ...HASH_COMMANDS, ...MORE_HASH_COMMANDS, ...SET_COMMANDS, ...ZSET_COMMANDS);
  table.register(...STREAM_COMMANDS);
  table.register(...HYPERLOGLOG_COMMANDS);
  table.register(...GEO_COMMANDS);
}
