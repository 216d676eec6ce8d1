/**
 * Failed actions in words (issue 15, point 11: "map every failure to a plain
 * sentence with the likely fix, shown inline where it happened").
 *
 * An action runs commands on nodes through the session's ioredis clients.
 * What those throw is not for operators: "Connection is closed.", "Stream
 * isn't writeable and enableOfflineQueue options is false", "Command timed
 * out", or a bare Redis reply. Every command an action sends therefore goes
 * through `commandsOn`, which turns a failure into an ActionStepError: which
 * command failed on which node, what happened (the connection classifier's
 * sentence, connection-failure.ts) and what to do next. The sentence names
 * the raw text only as the code in brackets the classifier keeps.
 *
 * The action runner shows `actionFailureMessage(failure)`: an ActionStepError
 * as it is, the plans' own refusals (already sentences) as they are, and
 * anything else that still looks like a client library's error classified
 * the same way, without a node to name.
 */
import type Redis from 'ioredis';
import { classifyConnectionFailure, type ClassifiedFailure } from '../monitor/connection-failure';
import { classifyFailure, failureContextOf, isRedisReply } from '../monitor/node-client';

/** A command of an action failed; the message is the sentence an operator reads. */
export class ActionStepError extends Error {
  override readonly name = 'ActionStepError';
}

/** What the operator can do once the node is back: the classifier's fix when it has one. */
function nextStep(problem: ClassifiedFailure): string {
  if (problem.fix !== null && problem.kind !== 'connection-closed') return problem.fix;
  return 'Nothing was changed by this step: wait until the node shows up again in the topology, then run the preflight again.';
}

/** "CONFIG SET" from ['CONFIG', 'SET', 'repl-backlog-size', '1048576']: the command's name, never its arguments. */
export function commandName(args: readonly string[]): string {
  const [name = '', sub] = args;
  const upper = name.toUpperCase();
  const container = ['CLIENT', 'CONFIG', 'CLUSTER', 'SENTINEL', 'ACL', 'DEBUG'].includes(upper);
  return container && sub !== undefined ? `${upper} ${sub.toUpperCase()}` : upper;
}

/**
 * The sentence for one command that failed on one node. A Redis error reply
 * the classifier has no words for (ERR ..., -FAILOVER ...) is quoted: it is
 * the server's own explanation.
 */
export function describeStepFailure(failure: unknown, nodeId: string, args: readonly string[], client?: Redis): string {
  const what = commandName(args);
  if (isRedisReply(failure)) {
    const problem = classifyConnectionFailure(failure, { ...failureContextOf(client, nodeId), address: nodeId });
    if (problem.kind === 'other') return `${nodeId} refused ${what}: "${(failure as Error).message}". Nothing else of this action ran.`;
    return `${what} on ${nodeId} failed: ${problem.summary} ${nextStep(problem)}`;
  }
  const { problem } = classifyFailure(failure, client);
  const summary = problem.summary.replace(failureContextOf(client).address, nodeId);
  return `${what} on ${nodeId} could not be sent or got no answer: ${summary} ${nextStep(problem)}`;
}

export interface ActionCommands {
  call(...args: string[]): Promise<unknown>;
}

/** The commands of an action on one node, each failure turned into an ActionStepError. */
export function commandsOn(nodeId: string, client: Redis): ActionCommands {
  return {
    async call(...args: string[]): Promise<unknown> {
      try {
        return await client.call(args[0]!, ...args.slice(1));
      } catch (failure) {
        throw new ActionStepError(describeStepFailure(failure, nodeId, args, client));
      }
    },
  };
}

/** Texts only a client library writes: they never reach an operator as they are. */
const LIBRARY_TEXT = /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|MaxRetriesPerRequest|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|Unknown RESP type|Protocol error/;

/** The message of a failed action's result. */
export function actionFailureMessage(failure: unknown): string {
  if (failure instanceof ActionStepError) return failure.message;
  if (!(failure instanceof Error)) return `The action failed: ${String(failure)}`;
  if (isRedisReply(failure) || LIBRARY_TEXT.test(failure.message)) {
    const { problem } = classifyFailure(failure);
    const summary = problem.summary.replace(/^the node\b/, 'A node of this action');
    return `The action failed: ${summary} ${nextStep(problem)}`;
  }
  return failure.message;
}
