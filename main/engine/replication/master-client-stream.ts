/**
 * Replica side: our master's stream as the master client runs it
 * (processInputBuffer and commandProcessed for CLIENT_MASTER in
 * networking.c). One MasterClientStream lives from the moment the link is
 * connected (after a full sync's load, or a +CONTINUE) until the link drops.
 *
 * Applied bytes: a command counts as applied once it has run, a MULTI block
 * at its EXEC, a script of the stream only once it has ended. Those bytes,
 * exactly as received, move into our own stream (backlog, sub-replicas) and
 * advance the link's applied offset; bytes of a command not applied yet wait
 * in `unapplied` (a dropped link re-requests them by PSYNC).
 *
 * While a script runs past busy-reply-threshold (ours from the stream, or a
 * client's) the stream is read but not run (scriptIsTimedout()): its bytes
 * wait in `held`, in order, until the script ends (resumeHeld).
 *
 * A malformed stream is an error reply to the master (afterErrorReply), then
 * setProtocolError's line; nothing more of it is run, and the link closes at
 * its next REPLCONF ACK (MasterLink.cron reads `protocolError`).
 *
 * A node that panicked (EngineNode.panic) applies nothing more: redis-server
 * aborted inside the command, so the rest of the stream, even of the same
 * read or the same MULTI block, is never run.
 */
import { clientInfoLine } from '../commands/server-client';
import { MASTER_INLINE_REASON, ProtocolError, RequestDecoder } from '../resp/request-decoder';
import { protocolErrorLine } from '../resp/protocol-error-log';
import { afterErrorReply } from '../server/error-replies';
import type { Client } from '../server/client';
import type { MasterLink } from './master-link';
import type { Replication } from './replication';

export class MasterClientStream {
  private readonly decoder = new RequestDecoder({ maxBulkLength: Number.MAX_SAFE_INTEGER, isAuthenticated: () => true, masterMode: true });
  /** Stream bytes read and not yet applied, in order. */
  private unapplied: Buffer[] = [];
  /** Bytes of `unapplied` whose commands have been decoded (and run) since the last commit. */
  private consumedSinceApplied = 0;
  /** Stream bytes read while a script is busy, not decoded yet (in order). */
  private held: Buffer[] = [];
  /**
   * The stream was malformed (setProtocolError's CLIENT_CLOSE_AFTER_REPLY on
   * the master client): nothing more of it is applied, and the link is
   * closed, the master not cached, when the next REPLCONF ACK would be
   * written (replicationCron, once a second: writeToClient then frees a
   * client with nothing to write). The error's text, else null.
   */
  protocolError: string | null = null;

  constructor(
    private readonly repl: Replication,
    private readonly link: MasterLink,
    readonly client: Client,
  ) {
    // CLIENT INFO argv-mem counts the arguments of a request still arriving.
    client.requestProgress = this.decoder;
  }

  /** Stream bytes read from the master: run their commands, or hold them while a script is busy. */
  feed(chunk: Buffer): void {
    this.unapplied.push(chunk);
    this.decode(chunk);
  }

  /** Runs the commands in `chunk`, or holds it (and what follows) while a script is busy. */
  private decode(chunk: Buffer): void {
    const node = this.repl.node;
    const client = this.client;
    if (this.protocolError !== null || node.crashed) return;
    if (this.mustHold()) {
      this.held.push(chunk);
      return;
    }
    try {
      const rest = this.decoder.feed(chunk, (argv, wireLength) => {
        this.consumedSinceApplied += wireLength;
        if (argv.length > 0) {
          client.lastInteraction = Date.now();
          node.dispatcher.processCommand(client, argv);
        }
        // The node panicked in that command: redis-server aborted inside it, so neither it nor anything after it counts as applied.
        if (node.crashed) return false;
        if (!client.inMulti && client.blocked === null) this.commitApplied();
        return this.link.phase === 'connected' && this.isCurrent() && !this.mustHold();
      });
      if (rest !== null && rest.length > 0 && this.isCurrent() && this.mustHold()) this.held.push(rest);
    } catch (failure) {
      if (!(failure instanceof ProtocolError)) throw failure;
      // processInlineBuffer's own warning for an inline line; any other error is an error
      // reply to the master (afterErrorReply: counted in INFO's error figures and
      // unexpected_error_replies, its warning and the backlog's tail). Then setProtocolError's
      // line (a warning for the master client); the link closes at the next cron.
      if (failure.reason === MASTER_INLINE_REASON) {
        node.log.warning('WARNING: Receiving inline protocol from master, master stream corruption? Closing the master connection and discarding the cached master.');
      } else {
        afterErrorReply(node, client, `ERR ${failure.message}`, { command: '' });
      }
      node.log.warning(protocolErrorLine(failure, clientInfoLine(client, Date.now())));
      this.protocolError = failure.message;
    }
  }

  /** This stream is still the link's (a command it ran may have dropped the link). */
  private isCurrent(): boolean {
    return this.link.masterClient === this.client;
  }

  /** A script past busy-reply-threshold is running (our master's, parked, or a client's). */
  private mustHold(): boolean {
    return this.client.blocked !== null || this.repl.node.scripting.busy;
  }

  /**
   * A busy script ended: a script of the stream now counts as applied, and
   * the bytes held meanwhile are applied in order (until another script
   * from them goes past busy-reply-threshold).
   */
  resumeHeld(): void {
    if (this.link.phase !== 'connected' || this.mustHold()) return;
    if (!this.client.inMulti) this.commitApplied();
    while (this.held.length > 0 && this.isCurrent() && !this.mustHold()) {
      this.decode(this.held.shift()!);
    }
  }

  /** Moves the bytes of fully applied commands out of the pending input and into our own stream. */
  commitApplied(): void {
    let count = this.consumedSinceApplied;
    if (count === 0) return;
    this.consumedSinceApplied = 0;
    this.link.appliedOffset += count;
    const parts: Buffer[] = [];
    while (count > 0) {
      const head = this.unapplied[0]!;
      if (head.length <= count) {
        parts.push(head);
        this.unapplied.shift();
        count -= head.length;
      } else {
        parts.push(head.subarray(0, count));
        this.unapplied[0] = head.subarray(count);
        count = 0;
      }
    }
    this.repl.stream.feedRaw(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  }

  /** The link dropped: what was read and not applied is forgotten (PSYNC asks for it again). */
  discard(): void {
    this.unapplied = [];
    this.consumedSinceApplied = 0;
    this.held = [];
  }
}
