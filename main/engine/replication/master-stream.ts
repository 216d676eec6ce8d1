/**
 * Master side: producing the replication stream and handing it to replicas
 * (replicationFeedSlaves, feedReplicationBuffer, writeToClient for replicas,
 * checkClientOutputBufferLimits for the replica class).
 *
 * Every propagated command is encoded once and appended to the shared
 * replication buffer; online replicas are then sent views of the new bytes
 * once per event-loop turn (several commands in one write, like Redis
 * writing replicas' buffers in beforeSleep). A SELECT goes before a command
 * whose database differs from the last one selected in the stream
 * (`streamDb`, Redis's slaveseldb; -1 forces a SELECT, as after a full sync).
 *
 * Only a top-level master produces stream bytes of its own. A replica
 * forwards exactly the bytes it applied from its master (feedRaw), so its
 * sub-replicas see its master's stream byte for byte, with identical offsets.
 */
import { encodeCommand } from '../resp/reply-encoder';
import type { Replication } from './replication';
import type { ReplicaLink } from './replica-link';

export class MasterStream {
  private flushScheduled = false;
  private getAckScheduled = false;

  constructor(private readonly repl: Replication) {}

  /** A command propagated by this node's own clients (masters only). */
  feedCommand(dbIndex: number, argv: ReadonlyArray<string>): void {
    const repl = this.repl;
    if (!repl.streamsCommands) return;
    if (repl.streamDb !== dbIndex) {
      this.append(encodeCommand(['SELECT', String(dbIndex)]));
      repl.streamDb = dbIndex;
    }
    this.append(encodeCommand(argv));
  }

  /**
   * A command that must not change the stream's selected database (ping,
   * REPLCONF GETACK): Redis feeds these with dictid = slaveseldb.
   */
  feedCommandWithoutSelect(argv: ReadonlyArray<string>): void {
    if (!this.repl.streamsCommands) return;
    this.append(encodeCommand(argv));
  }

  /** Bytes applied from our own master, forwarded verbatim (replicas only). */
  feedRaw(bytes: Buffer): void {
    if (!this.repl.buffer) return;
    this.append(bytes);
  }

  private append(bytes: Buffer): void {
    this.repl.buffer!.append(bytes);
    this.scheduleFlush();
  }

  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushAll();
    });
  }

  /** Sends every online replica the stream bytes it has not received yet. */
  flushAll(): void {
    for (const link of [...this.repl.replicas]) this.flush(link);
  }

  flush(link: ReplicaLink): void {
    const buffer = this.repl.buffer;
    if (!buffer || link.client.closed) return;
    if (link.state === 'online' && !link.startStreamOnAck) {
      const end = buffer.masterOffset;
      if (link.nextOffset <= end) {
        const socket = link.client.socket;
        const views = buffer.read(link.nextOffset, end);
        let sent = 0;
        if (socket && !socket.destroyed) {
          socket.cork();
          for (const view of views) {
            socket.write(view);
            sent += view.length;
          }
          process.nextTick(() => socket.uncork());
        }
        link.client.bytesOut += sent;
        this.repl.node.stats.netReplOutputBytes += sent;
        link.nextOffset = end + 1;
        buffer.pin(link, link.nextOffset);
      }
    }
    this.checkOutputLimits(link);
  }

  /**
   * Output-buffer limits for the replica class. Usage is what the replica
   * still pins in the shared buffer plus what its socket has not flushed.
   * The hard limit is never below repl-backlog-size (as in 7.0). The
   * limits are the node's parsed copy (OutputLimits.replica), which a
   * CONFIG SET of client-output-buffer-limit replaces.
   */
  checkOutputLimits(link: ReplicaLink): boolean {
    const repl = this.repl;
    const limits = repl.node.outputLimits.replica;
    if (!limits) return false;
    const pending = repl.buffer ? Math.max(0, repl.buffer.masterOffset + 1 - link.nextOffset) : 0;
    const used = pending + (link.client.socket?.writableLength ?? 0);
    // Everything sent and no soft-limit clock running: nothing to check (what the code below concludes for 0).
    if (used === 0 && link.softLimitSince === null) return false;
    let hard = limits.hardBytes;
    if (hard > 0 && hard < repl.node.config.int('repl-backlog-size')) hard = repl.node.config.int('repl-backlog-size');
    const now = Date.now();
    let exceeded = hard > 0 && used >= hard;
    if (!exceeded && limits.softBytes > 0 && used >= limits.softBytes) {
      if (link.softLimitSince === null) link.softLimitSince = now;
      else if (now - link.softLimitSince > limits.softSeconds * 1000) exceeded = true;
    } else if (!exceeded) {
      link.softLimitSince = null;
    }
    if (!exceeded) return false;
    repl.node.log.warning(`Client id=${link.client.id} addr=${link.client.address} replica=${link.name} scheduled to be closed ASAP for overcoming of output buffer limits (${used} bytes pending).`);
    repl.dropReplica(link, 'output-buffer-limit', `output buffer ${used} bytes over the replica limit`);
    return true;
  }

  /** WAIT: asks every replica for its offset once before the loop sleeps (REPLCONF GETACK *). */
  requestAcks(): void {
    if (this.getAckScheduled) return;
    this.getAckScheduled = true;
    setImmediate(() => {
      this.getAckScheduled = false;
      // Not while clients are paused: it would grow the stream (replicas still ACK every second).
      if (this.repl.replicas.size > 0 && !this.repl.node.pause.isPaused()) this.feedCommandWithoutSelect(['REPLCONF', 'GETACK', '*']);
    });
  }
}
