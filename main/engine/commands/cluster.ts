/**
 * CLUSTER as a redis-server 7.0 started without cluster-enabled has it: the
 * command and all 27 subcommands exist (COMMAND INFO lists them with their
 * flags, arity and tips; ACL rules and scripts see them), and every call
 * answers "ERR This instance has cluster support disabled" — even HELP,
 * since clusterCommand checks cluster_enabled before anything else.
 *
 * Being in the table matters beyond the error text: a script calling
 * CLUSTER RESET is refused as a noscript command ("This Redis command is
 * not allowed from script"), not as an unknown one.
 */
import { defineCommand } from './define';
import type { CommandFlag } from './command-spec';
import { error } from '../resp/reply';

const DISABLED = error('ERR This instance has cluster support disabled');

/** name, arity, flags, summary, since, complexity (src/commands/cluster-*.json of 7.0.15). */
type Sub = readonly [name: string, arity: number, flags: CommandFlag[], summary: string, since: string, complexity: string];

const ADMIN: CommandFlag[] = ['no_async_loading', 'admin', 'stale'];
const O1 = 'O(1)';
const SLOT_ARGS = 'O(N) where N is the total number of hash slot arguments';
const SLOT_RANGES = 'O(N) where N is the total number of the slots between the start slot and end slot arguments.';
const NODES = 'O(N) where N is the total number of Cluster nodes';

const SUBCOMMANDS: ReadonlyArray<Sub> = [
  ['addslots', -3, ADMIN, 'Assign new hash slots to receiving node', '3.0.0', SLOT_ARGS],
  ['addslotsrange', -4, ADMIN, 'Assign new hash slots to receiving node', '7.0.0', SLOT_RANGES],
  ['bumpepoch', 2, ADMIN, 'Advance the cluster config epoch', '3.0.0', O1],
  ['count-failure-reports', 3, ['admin', 'stale'], 'Return the number of failure reports active for a given node', '3.0.0', 'O(N) where N is the number of failure reports'],
  ['countkeysinslot', 3, ['stale'], 'Return the number of local keys in the specified hash slot', '3.0.0', O1],
  ['delslots', -3, ADMIN, 'Set hash slots as unbound in receiving node', '3.0.0', SLOT_ARGS],
  ['delslotsrange', -4, ADMIN, 'Set hash slots as unbound in receiving node', '7.0.0', SLOT_RANGES],
  ['failover', -2, ADMIN, 'Forces a replica to perform a manual failover of its master.', '3.0.0', O1],
  ['flushslots', 2, ADMIN, "Delete a node's own slots information", '3.0.0', O1],
  ['forget', 3, ADMIN, 'Remove a node from the nodes table', '3.0.0', O1],
  ['getkeysinslot', 4, ['stale'], 'Return local key names in the specified hash slot', '3.0.0', 'O(log(N)) where N is the number of requested keys'],
  ['help', 2, ['loading', 'stale'], 'Show helpful text about the different subcommands', '5.0.0', O1],
  ['info', 2, ['stale'], 'Provides info about Redis Cluster node state', '3.0.0', O1],
  ['keyslot', 3, ['stale'], 'Returns the hash slot of the specified key', '3.0.0', 'O(N) where N is the number of bytes in the key'],
  ['links', 2, ['stale'], 'Returns a list of all TCP links to and from peer nodes in cluster', '7.0.0', 'O(N) where N is the total number of Cluster nodes'],
  ['meet', -4, ADMIN, 'Force a node cluster to handshake with another node', '3.0.0', O1],
  ['myid', 2, ['stale'], 'Return the node id', '3.0.0', O1],
  ['nodes', 2, ['stale'], 'Get Cluster config for the node', '3.0.0', NODES],
  ['replicas', 3, ['admin', 'stale'], 'List replica nodes of the specified master node', '5.0.0', O1],
  ['replicate', 3, ADMIN, 'Reconfigure a node as a replica of the specified master node', '3.0.0', O1],
  ['reset', -2, ['admin', 'stale', 'noscript'], 'Reset a Redis Cluster node', '3.0.0', 'O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.'],
  ['saveconfig', 2, ADMIN, 'Forces the node to save cluster state on disk', '3.0.0', O1],
  ['set-config-epoch', 3, ADMIN, 'Set the configuration epoch in a new node', '3.0.0', O1],
  ['setslot', -4, ADMIN, 'Bind a hash slot to a specific node', '3.0.0', O1],
  ['shards', 2, ['stale'], 'Get array of cluster slots to node mappings', '7.0.0', 'O(N) where N is the total number of cluster nodes'],
  ['slaves', 3, ['admin', 'stale'], 'List replica nodes of the specified master node', '3.0.0', O1],
  ['slots', 2, ['stale'], 'Get array of Cluster slot to node mappings', '3.0.0', NODES],
];

export const clusterCommand = defineCommand({
  name: 'cluster', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for cluster commands', since: '3.0.0', group: 'cluster', complexity: 'Depends on subcommand.' },
  subcommands: SUBCOMMANDS.map(([name, arity, flags, summary, since, complexity]) =>
    defineCommand({ name, arity, flags, acl: [], keys: null, doc: { summary, since, group: 'cluster', complexity }, handler: () => DISABLED })),
});

/**
 * ASKING, READONLY, READWRITE: the connection commands of a cluster client
 * (askingCommand/readonlyCommand/readwriteCommand in cluster.c). Each one
 * checks cluster_enabled first, so without cluster support they only answer
 * the same "cluster support disabled" error; the table entries still give
 * COMMAND INFO, ACL categories (@connection @fast) and arity checks as
 * redis-server has them.
 */
function clusterConnectionCommand(name: string, flags: CommandFlag[], summary: string) {
  return defineCommand({
    name, arity: 1, flags, acl: ['connection'], keys: null,
    doc: { summary, since: '3.0.0', group: 'cluster', complexity: O1 },
    handler: () => DISABLED,
  });
}

export const askingCommand = clusterConnectionCommand('asking', ['fast'], 'Sent by cluster clients after an -ASK redirect');
export const readonlyCommand = clusterConnectionCommand('readonly', ['loading', 'stale', 'fast'], 'Enables read queries for a connection to a cluster replica node');
export const readwriteCommand = clusterConnectionCommand('readwrite', ['loading', 'stale', 'fast'], 'Disables read queries for a connection to a cluster replica node');

export const CLUSTER_COMMANDS = [clusterCommand, askingCommand, readonlyCommand, readwriteCommand];
