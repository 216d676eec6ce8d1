/**
 * Coordinated failover (FAILOVER, Redis 6.2+; replication.c failoverCommand,
 * updateFailoverStatus, abortFailover). The happy path:
 *
 *   no-failover --FAILOVER--> waiting-for-sync --replica acked our whole stream-->
 *   failover-in-progress --PSYNC <replid> <offset> FAILOVER accepted--> no-failover
 *
 *  1. FAILOVER pauses writes (pause purpose 'failover', no end) so the stream
 *     stops growing.
 *  2. While waiting, every check looks for the target (or, without TO, any
 *     replica) whose REPLCONF ACK offset equals master_repl_offset.
 *  3. Found: we become a replica of it (REPLICAOF-style, with a cached master
 *     synthesized from our own id and offset) and our handshake sends
 *     `PSYNC <our replid> <our offset + 1> FAILOVER`. The target, whose replid
 *     is ours, promotes itself (replid2 = our id) and answers +CONTINUE: no
 *     full sync on either side, no acknowledged write lost.
 *  4. +CONTINUE or +FULLRESYNC ends the failover (writes unpaused: they now get
 *     -READONLY, or are served if replica-read-only is off); an error reply
 *     aborts it: we go back to being a master.
 *
 * TIMEOUT bounds the wait; with FORCE (which needs TO and TIMEOUT) the timeout
 * fails over to the target even though it has not caught up, otherwise it
 * aborts. FAILOVER ABORT aborts at any point.
 */
import type { Replication } from './replication';
import type { ReplicaLink } from './replica-link';
import type { FailoverRequest } from '../commands/port/replication-port';

export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

export type { FailoverRequest };

export class Failover {
  state: FailoverState = 'no-failover';
  private targetHost: string | null = null;
  private targetPort = 0;
  /** Unix ms deadline, 0 for none. */
  endTime = 0;
  private force = false;

  constructor(private readonly repl: Replication) {}

  get inProgress(): boolean {
    return this.state !== 'no-failover';
  }

  /** findReplica(): the replica announcing this address and listening port. */
  findReplica(host: string, port: number): ReplicaLink | undefined {
    for (const link of this.repl.replicas) if (link.ip === host && link.listeningPort === port) return link;
    return undefined;
  }

  /** Starts waiting for a replica to catch up (arguments already validated by the command). */
  begin(request: FailoverRequest, now: number): void {
    const log = this.repl.node.log;
    this.targetHost = request.targetHost;
    this.targetPort = request.targetPort;
    if (request.targetHost) log.notice(`FAILOVER requested to ${request.targetHost}:${request.targetPort}.`);
    else log.notice('FAILOVER requested to any replica.');
    this.endTime = request.timeoutMs > 0 ? now + request.timeoutMs : 0;
    this.force = request.force;
    this.state = 'waiting-for-sync';
    this.repl.node.pause.pause('failover', Infinity, 'write');
    // Checked after the command replied, as Redis does from beforeSleep.
    setImmediate(() => this.check(Date.now()));
  }

  /** updateFailoverStatus(): called on every ACK and from the cron. */
  check(now: number): void {
    if (this.state !== 'waiting-for-sync') return;
    const log = this.repl.node.log;
    if (this.endTime > 0 && this.endTime <= now) {
      if (this.force && this.targetHost) {
        log.notice(`FAILOVER to ${this.targetHost}:${this.targetPort} time out exceeded, failing over.`);
        this.switchTo(this.targetHost, this.targetPort);
      } else {
        this.abort('Replica never caught up before timeout');
      }
      return;
    }
    const offset = this.repl.masterReplOffset;
    let caughtUp: ReplicaLink | undefined;
    if (this.targetHost) {
      const target = this.findReplica(this.targetHost, this.targetPort);
      if (target && target.ackOffset === offset) caughtUp = target;
    } else {
      for (const link of this.repl.replicas) {
        if (link.ackOffset === offset) {
          caughtUp = link;
          this.targetHost = link.ip;
          this.targetPort = link.listeningPort;
          break;
        }
      }
    }
    if (!caughtUp || !this.targetHost) return;
    log.notice(`Failover target ${this.targetHost}:${this.targetPort} is synced, failing over.`);
    this.switchTo(this.targetHost, this.targetPort);
  }

  /** The PSYNC FAILOVER got +CONTINUE or +FULLRESYNC: done, writes resume. */
  completed(): void {
    if (this.state !== 'failover-in-progress') return;
    this.repl.events.emit({ type: 'failover', phase: 'completed', targetId: `${this.targetHost}:${this.targetPort}`, detail: 'target accepted PSYNC FAILOVER' });
    this.clear();
  }

  /** abortFailover(): back to master if we already switched, then unpause. */
  abort(reason: string): void {
    if (this.state === 'no-failover') return;
    const log = this.repl.node.log;
    if (this.targetHost) log.notice(`FAILOVER to ${this.targetHost}:${this.targetPort} aborted: ${reason}`);
    else log.notice(`FAILOVER to any replica aborted: ${reason}`);
    const target = this.targetHost ? `${this.targetHost}:${this.targetPort}` : null;
    if (this.state === 'failover-in-progress') {
      // Clear first: unsetMaster must not see a failover in progress.
      this.state = 'no-failover';
      this.repl.unsetMaster('failover aborted');
    }
    this.repl.events.emit({ type: 'failover', phase: 'aborted', targetId: target, detail: reason });
    this.clear();
  }

  private switchTo(host: string, port: number): void {
    this.state = 'failover-in-progress';
    this.repl.events.emit({ type: 'failover', phase: 'switching', targetId: `${host}:${port}`, detail: 'demoting this master; PSYNC FAILOVER to the target' });
    this.repl.setMaster(host, port);
  }

  /** clearFailoverState(). */
  private clear(): void {
    this.endTime = 0;
    this.force = false;
    this.targetHost = null;
    this.targetPort = 0;
    this.state = 'no-failover';
    this.repl.node.pause.unpause('failover');
  }
}
