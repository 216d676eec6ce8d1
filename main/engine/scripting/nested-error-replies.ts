/**
 * Error tables nested in the table a script returns are error replies of
 * their own in Redis: luaReplyToRedisReply writes each with
 * addReplyErrorFormatEx, so afterErrorReply counts each one in
 * total_error_replies and errorstats, except an error redis.pcall returned
 * (ignore_error_stats_update: already counted when its command failed),
 * for which it counts the script's command as failed instead, once per
 * error. The command also counts as failed once when any nested error was
 * counted (call() sees the error count grow). The top-level reply itself
 * is counted by the dispatcher, as every command's.
 */
import type { CommandStats } from '../commands/command-spec';
import type { Reply } from '../resp/reply';
import type { ServerStats } from '../server/stats';

export function countNestedErrorReplies(reply: Reply, stats: ServerStats, command: CommandStats): void {
  if (reply.kind !== 'array' && reply.kind !== 'map' && reply.kind !== 'set') return;
  if (countIn(reply.items, stats, command)) command.failedCalls++;
}

/** Counts the errors among `items` and below; true when one was counted in the error statistics. */
function countIn(items: ReadonlyArray<Reply>, stats: ServerStats, command: CommandStats): boolean {
  let counted = false;
  for (const item of items) {
    if (item.kind === 'error') {
      if (item.statsCounted === true) command.failedCalls++;
      else {
        stats.countError(item.message);
        counted = true;
      }
    } else if (item.kind === 'array' || item.kind === 'map' || item.kind === 'set') {
      if (countIn(item.items, stats, command)) counted = true;
    }
  }
  return counted;
}
