/**
 * client-output-buffer-limit for the normal and pubsub classes
 * (networking.c checkClientOutputBufferLimits): after every write to a
 * client, the bytes it has not read yet (what Node still queues for its
 * socket) are compared with its class's limits. Over the hard limit, or over
 * the soft limit for longer than its seconds, the client is closed and the
 * event logged as Redis logs it, so a subscriber that stops reading cannot
 * make the server buffer without bound. (Normal clients also stop being read
 * while their replies pile up, see tcp-server.ts; replicas have their own
 * accounting in replication/master-stream.ts, which reads the replica
 * class's limits from here.)
 *
 * The limits are parsed once and again on each change of the parameter
 * (CONFIG SET takes effect at the next check, on existing connections too),
 * not at every check: replicas are checked at every stream write.
 */
import { parseOutputBufferLimitGroups, type OutputBufferLimit } from '../config/special-params';
import type { EngineNode } from '../node';
import type { Client } from './client';

export class OutputLimits {
  private normal: OutputBufferLimit | null = null;
  private pubsub: OutputBufferLimit | null = null;
  /** The replica class's limits (null when the value names none), for MasterStream.checkOutputLimits. */
  replica: OutputBufferLimit | null = null;

  constructor(private readonly node: EngineNode) {
    this.refresh();
    node.config.onChange('client-output-buffer-limit', () => this.refresh());
  }

  private refresh(): void {
    const groups = parseOutputBufferLimitGroups(this.node.config.string('client-output-buffer-limit'));
    this.normal = groups.get('normal') ?? null;
    this.pubsub = groups.get('pubsub') ?? null;
    this.replica = groups.get('replica') ?? null;
  }

  /** Returns true when the client was closed for its output buffer. */
  check(client: Client): boolean {
    if (client.closed || client.isReplica || client.isMaster || !client.socket) return false;
    const used = client.socketBacklogBytes;
    // The common case, everything written: nothing to check and no clock to read.
    if (used === 0 && client.outputSoftLimitSince === null) return false;
    const limits = client.subscriptionCount > 0 ? this.pubsub : this.normal;
    if (!limits || (limits.hardBytes === 0 && limits.softBytes === 0)) return false;
    const now = Date.now();
    let exceeded = limits.hardBytes > 0 && used >= limits.hardBytes;
    if (!exceeded && limits.softBytes > 0 && used >= limits.softBytes) {
      if (client.outputSoftLimitSince === null) client.outputSoftLimitSince = now;
      else if (now - client.outputSoftLimitSince > limits.softSeconds * 1000) exceeded = true;
    } else if (!exceeded) {
      client.outputSoftLimitSince = null;
    }
    if (!exceeded) return false;
    this.node.log.warning(`Client id=${client.id} addr=${client.address} ${client.subscriptionCount > 0 ? 'pubsub' : 'normal'} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.node.stats.outputBufferDisconnections++;
    this.node.killClient(client);
    return true;
  }
}
