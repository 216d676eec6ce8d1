import type { ResolvedCommand } from '../commands/command-spec';
import { commandKeys } from '../commands/meta/key-extraction';
import type { EngineNode } from '../node';
import type { Client } from './client';

const SCRIPT_RO_COMMANDS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/**
 * call()'s trackingRememberKeys: a read-only command remembers its keys
 * for its tracking client. A command run by a script remembers the keys
 * the script declared, for the script's caller; EVAL_RO, EVALSHA_RO and
 * FCALL_RO themselves remember nothing (only their reads do).
 */
export function rememberTrackedKeys(node: EngineNode, client: Client, command: ResolvedCommand, argv: ReadonlyArray<string>): void {
  let reader = client;
  let readerCommand = command;
  let readerArgv = argv;
  const run = node.scripting.currentRun;
  if (run !== null && run.scriptClient === client) {
    const lookup = node.commands.lookup(run.argv);
    if (lookup.kind !== 'found') return;
    reader = run.caller;
    readerCommand = lookup.command;
    readerArgv = run.argv;
  } else if (SCRIPT_RO_COMMANDS.has(command.fullName)) {
    return;
  }
  const tracking = reader.tracking;
  if (tracking === null || tracking.bcast || readerCommand.is.pubsub) return;
  const keys = commandKeys(readerCommand, readerArgv).map((key) => readerArgv[key.index]!);
  if (keys.length > 0) node.tracking.rememberKeys(reader, keys);
}
