/**
 * The figures call() feeds for a command (commandstats usec and failed
 * calls, the latency histogram, the slowlog, latency events), for the calls
 * whose figures are not fed where they ran: a blocked client's once it is
 * served (updateStatsOnUnblock), and a call that lasted across event-loop
 * turns where Redis stays in one call() (lastsAsCall).
 */
import { performance } from 'node:perf_hooks';
import type { CommandContext } from '../commands/command-context';
import type { ResolvedCommand } from '../commands/command-spec';
import type { ErrorReply, Reply } from '../resp/reply';
import type { EngineNode } from '../node';
import type { BlockedState, Client } from './client';
import { afterErrorReply } from './error-replies';
import { LatencyHistogram } from './latency-histogram';

/** Latency histogram of the command (latency-tracking). */
export function recordLatency(node: EngineNode, command: ResolvedCommand, micros: number): void {
  if (!node.hot.latencyTracking) return;
  const stats = command.stats;
  (stats.histogram ??= new LatencyHistogram()).recordMicros(micros);
}

/** A command answered `client` an error: failed_calls, then afterErrorReply (the error statistics unless already counted). */
export function countFailure(node: EngineNode, client: Client, command: ResolvedCommand, reply: ErrorReply): void {
  command.stats.failedCalls++;
  afterErrorReply(node, client, reply.message, { counted: reply.statsCounted, command: command.name });
}

/**
 * A command that ran across event-loop turns where Redis stays in one
 * call() (lastsAsCall): its figures for the whole span, as call() feeds
 * them for a command that did not block.
 */
export function countWholeCall(node: EngineNode, client: Client, command: ResolvedCommand, argv: string[], micros: number): void {
  command.stats.usec += micros;
  recordLatency(node, command, micros);
  if (!command.is.skip_slowlog) node.slowlog.record(client, argv, micros);
  if (node.hot.latencyMonitorThreshold > 0) node.latency.addSampleIfNeeded(command.is.fast ? 'fast-command' : 'command', Math.floor(micros / 1000));
}

/**
 * A blocked client was served or timed out (updateStatsOnUnblock): its
 * reply, the rest of its statistics (the blocking call plus the serving
 * run, as Redis adds them: calls were counted when it blocked), the
 * command-unblocking latency event and its propagation. Its WAIT target
 * (woff) stays what it was after the command itself, as in Redis.
 */
export function afterUnblock(node: EngineNode, ctx: CommandContext, reply: Reply, state: BlockedState, replyMicros: number): void {
  const { client, command, argv } = ctx;
  client.reply(reply);
  if (reply.kind === 'error') countFailure(node, client, command, reply);
  if (state.request.lastsAsCall === true) {
    // One call() in Redis, from the call to this reply.
    countWholeCall(node, client, command, argv, state.callMicros + (performance.now() - state.blockedAt) * 1000);
  } else {
    const total = state.callMicros + replyMicros;
    command.stats.usec += total;
    recordLatency(node, command, total);
    if (!command.is.skip_slowlog) node.slowlog.record(client, argv, total);
    if (node.hot.latencyMonitorThreshold > 0) node.latency.addSampleIfNeeded('command-unblocking', Math.floor(replyMicros / 1000));
  }
  if (ctx.dirty > 0) node.dirty += ctx.dirty;
  if (!ctx.propagationPrevented && !client.suppressPropagation && (ctx.dirty > 0 || ctx.propagationForced)) {
    node.propagation.add(client.dbIndex, ctx.propagateArgv ?? argv);
  }
  node.propagation.flush();
  if (node.tracking.hasPending) node.tracking.flushPending();
}
