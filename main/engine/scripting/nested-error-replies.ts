/**
 * Error tables nested in the table a script returns are error replies of
 * their own in Redis: luaReplyToRedisReply writes each with
 * addReplyErrorFormatEx(c, flags, "-%s", msg) to the script's caller, so
 * afterErrorReply runs for each one (server/error-replies.ts): it counts
 * it in total_error_replies and errorstats, except an error redis.pcall
 * returned (ignore_error_stats_update: already counted when its command
 * failed), for which it counts the script's command as failed instead, once
 * per error. The command also counts as failed once when any nested error
 * was counted (call() sees the error count grow). And when the caller is our
 * master (a script of its stream), each nested error, counted or not, is an
 * error sent to the master: its CRITICAL line, unexpected_error_replies,
 * and with propagation-error-behavior panic / panic-on-replicas a panic.
 * The top-level reply itself is handled by the dispatcher, as every
 * command's.
 */
import type { CommandStats } from '../commands/command-spec';
import type { Reply } from '../resp/reply';
import { afterErrorReply, type ErrorReplyNode } from '../server/error-replies';
import type { Client } from '../server/client';

/** The script's command as call() and afterErrorReply see it. */
export interface ScriptCommand {
  readonly name: string;
  readonly stats: CommandStats;
}

export function countNestedErrorReplies(reply: Reply, node: ErrorReplyNode, caller: Client, command: ScriptCommand): void {
  if (reply.kind !== 'array' && reply.kind !== 'map' && reply.kind !== 'set') return;
  if (countIn(reply.items, node, caller, command)) command.stats.failedCalls++;
}

/** Runs afterErrorReply for the errors among `items` and below; true when one was counted in the error statistics. */
function countIn(items: ReadonlyArray<Reply>, node: ErrorReplyNode, caller: Client, command: ScriptCommand): boolean {
  let counted = false;
  for (const item of items) {
    if (item.kind === 'error') {
      if (item.statsCounted === true) command.stats.failedCalls++;
      else counted = true;
      afterErrorReply(node, caller, item.message, { counted: item.statsCounted, command: command.name });
    } else if (item.kind === 'array' || item.kind === 'map' || item.kind === 'set') {
      if (countIn(item.items, node, caller, command)) counted = true;
    }
  }
  return counted;
}
