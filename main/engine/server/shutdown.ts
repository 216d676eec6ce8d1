/**
 * The shutdown sequence of Redis 7.0 (server.c prepareForShutdown,
 * isReadyToShutdown, finishShutdown, abortShutdown), for SHUTDOWN and for
 * SIGTERM/SIGINT.
 *
 * A master with replicas does not stop at once: unless NOW is given or
 * shutdown-timeout is 0, while any replica's acknowledged offset differs
 * from master_repl_offset it
 *   1. sends REPLCONF GETACK * to its replicas (unless clients are already
 *      paused: the GETACK would move the offset a paused FAILOVER waits for),
 *   2. pauses writes (purpose 'shutdown', no end) so the offset stops moving,
 *   3. logs "Waiting for replicas before shutting down." and keeps the
 *      SHUTDOWN client blocked,
 * then each cron tick finishes the shutdown once every replica acknowledged
 * the master's offset or shutdown-timeout seconds have passed. Finishing
 * logs every replica still lagging (by how many bytes, seconds since its
 * last ACK, its state) and "N of M replicas are in sync when shutting
 * down.", stops a background save, saves when save points are configured
 * (or SAVE; never with NOSAVE or while loading) and hands over to the host
 * (node.requestShutdown). A failed save keeps the server running ("Errors
 * trying to shut down the server..."), unless FORCE; the wait ends, writes
 * resume and blocked SHUTDOWN clients get "Errors trying to SHUTDOWN. Check
 * logs.", as they do after SHUTDOWN ABORT ("Shutdown manually aborted.").
 *
 * Every replica counts, ours or a real redis-server's: both ACK the offset
 * they applied (REPLCONF ACK), and both answer GETACK at once.
 */
import type { EngineNode } from '../node';
import type { Client } from './client';
import type { ShutdownFlags, ShutdownOutcome, ShutdownPort } from '../commands/port/shutdown-port';

const CANCELLED_REPLY = 'ERR Errors trying to SHUTDOWN. Check logs.';

export class ShutdownSequence implements ShutdownPort {
  /** server.shutdown_mstime: when the wait for replicas ends (0: no shutdown initiated). */
  private deadline = 0;
  private flags: ShutdownFlags = { save: false, nosave: false, now: false, force: false };
  /** SHUTDOWN clients blocked until the end; a cancelled shutdown gives each its reply. */
  private readonly waiters = new Set<Client>();
  private readonly outcomes = new Map<Client, string>();

  constructor(private readonly node: EngineNode) {}

  get initiated(): boolean {
    return this.deadline !== 0;
  }

  /** INFO server's shutdown_in_milliseconds while waiting. */
  millisecondsLeft(now = Date.now()): number {
    return this.deadline - now;
  }

  prepare(flags: ShutdownFlags): ShutdownOutcome {
    const node = this.node;
    // A node that panicked is already down (EngineNode.panic): an aborted redis-server saves nothing and
    // has no shutdown to run; the host may stop what is left.
    if (node.crashed) {
      node.requestShutdown();
      return 'stopping';
    }
    if (this.initiated) return 'waiting';
    this.flags = node.persistence.loading ? { ...flags, save: false, nosave: true } : flags;
    node.log.warning('User requested shutdown...');
    const timeoutSeconds = node.config.int('shutdown-timeout');
    if (!flags.now && timeoutSeconds !== 0 && !this.replicasInSync()) {
      this.deadline = Date.now() + timeoutSeconds * 1000;
      if (!node.pause.isPaused()) node.replication.sendGetAckNow();
      node.pause.pause('shutdown', Number.MAX_SAFE_INTEGER, 'write');
      node.log.notice('Waiting for replicas before shutting down.');
      return 'waiting';
    }
    return this.finish() ? 'stopping' : 'failed';
  }

  /** serverCron's part: finish once the replicas caught up or the time is up. */
  cron(now: number): void {
    if (!this.initiated) return;
    if (now >= this.deadline || this.replicasInSync()) this.finish();
  }

  abort(): boolean {
    if (!this.initiated) return false;
    this.cancel();
    this.node.log.notice('Shutdown manually aborted.');
    return true;
  }

  addWaiter(client: Client): void {
    this.waiters.add(client);
  }

  outcomeFor(client: Client): string | null {
    const outcome = this.outcomes.get(client);
    if (outcome === undefined) return null;
    this.outcomes.delete(client);
    return outcome;
  }

  /** isReadyToShutdown(): every replica acknowledged master_repl_offset exactly. */
  private replicasInSync(): boolean {
    const offset = this.node.replication.masterReplOffset;
    for (const link of this.node.replication.replicas) if (link.ackOffset !== offset) return false;
    return true;
  }

  /** finishShutdown(): true when the host may stop the node now. */
  private finish(): boolean {
    const node = this.node;
    const { save, nosave, force } = this.flags;
    const offset = node.replication.masterReplOffset;
    const nowSeconds = Math.floor(Date.now() / 1000);
    let replicas = 0;
    let lagging = 0;
    for (const link of node.replication.replicas) {
      replicas++;
      if (link.ackOffset === offset) continue;
      lagging++;
      const lag = link.state === 'online' ? nowSeconds - Math.floor(link.ackTime / 1000) : 0;
      node.log.warning(`Lagging replica ${link.name} reported offset ${offset - link.ackOffset} behind master, lag=${lag}, state=${link.infoState}.`);
    }
    if (replicas > 0) node.log.notice(`${replicas - lagging} of ${replicas} replicas are in sync when shutting down.`);
    if (node.persistence.bgsaveInProgress) {
      node.log.warning('There is a child saving an .rdb. Killing it!');
      node.persistence.abortBgsave('shutdown');
    }
    if ((node.config.string('save') !== '' && !nosave) || save) {
      node.log.notice('Saving the final RDB snapshot before exiting.');
      try {
        node.persistence.saveSync();
      } catch {
        if (force) {
          node.log.warning('Error trying to save the DB. Exit anyway.');
        } else {
          node.log.warning("Error trying to save the DB, can't exit.");
          node.log.warning('Errors trying to shut down the server. Check the logs for more information.');
          this.cancel();
          return false;
        }
      }
    }
    node.requestShutdown();
    return true;
  }

  /** cancelShutdown(): writes resume and every blocked SHUTDOWN client gets its error. */
  private cancel(): void {
    this.deadline = 0;
    this.flags = { save: false, nosave: false, now: false, force: false };
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const client of waiters) {
      if (client.closed || client.blocked === null) continue;
      this.outcomes.set(client, CANCELLED_REPLY);
      this.node.dispatcher.resumeBlocked(client, 'retry');
    }
    this.node.pause.unpause('shutdown');
  }
}
