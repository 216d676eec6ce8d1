/**
 * How processCommand refuses a command (rejectCommand): the reply, the
 * rejected_calls count, the transaction flagged for EXEC to abort, and the
 * refusals' texts that are not errors.ts's.
 */
import type { ResolvedCommand } from '../commands/command-spec';
import { error, type Reply } from '../resp/reply';
import type { EngineNode } from '../node';
import type { Client } from './client';
import { afterErrorReply } from './error-replies';
import { isLocalClient } from './local-client';

export const MISCONF = error(
  'MISCONF Redis is configured to save RDB snapshots, but it\'s currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.',
);
/** The protected commands are DEBUG and MODULE's LOAD/LOADEX/UNLOAD, each behind its own option. */
const PROTECTED_NOT_ALLOWED = (command: 'DEBUG' | 'MODULE', option: string): Reply =>
  error(`ERR ${command} command not allowed. If the ${option} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`);
export const DEBUG_NOT_ALLOWED = PROTECTED_NOT_ALLOWED('DEBUG', 'enable-debug-command');
export const MODULE_NOT_ALLOWED = PROTECTED_NOT_ALLOWED('MODULE', 'enable-module-command');

/** Whether `client` may run a protected command (enable-debug-command, enable-module-command). */
export function protectedAllowed(node: EngineNode, client: Client, isModule: boolean): boolean {
  const setting = isModule ? node.config.string('enable-module-command') : node.hot.debugCommand;
  if (setting === 'yes') return true;
  if (setting === 'local') return isLocalClient(client);
  return false;
}

/** rejectCommand: `command` (null: not found) is refused with `reply`. */
export function refuse(node: EngineNode, client: Client, command: ResolvedCommand | null, reply: Reply): void {
  if (client.inMulti) client.multiDirty = true;
  if (command) command.stats.rejectedCalls++;
  if (command?.name === 'exec' && reply.kind === 'error') {
    // EXEC rejected by a generic check aborts the transaction (execCommandAbort), with
    // the refusal's bare text: Redis formats the code-less ones (arity, a subscriber's
    // context) without the ERR its plain reply adds; NOPERM, NOAUTH, OOM... keep their code.
    // Only that EXECABORT reply is an error reply (errorstat_EXECABORT).
    client.inMulti = false;
    client.multiQueue = [];
    client.multiDirty = false;
    node.transactions.unwatchAll(client);
    const abort = error(`EXECABORT Transaction discarded because of: ${reply.message.replace(/^-/, '').replace(/^ERR /, '')}`);
    client.reply(abort);
    afterErrorReply(node, client, abort.message, { command: 'exec' });
    return;
  }
  client.reply(reply);
  if (reply.kind === 'error') afterErrorReply(node, client, reply.message, { command: command?.name ?? '' });
}
