/**
 * A loopback TCP proxy that carries one replication link of the demo
 * (replica -> proxy -> upstream master), so the link can be broken and
 * degraded on purpose:
 *
 *   cut(seconds)   drop every connection and refuse new ones for a while
 *                  (the replica sees its master vanish, then PSYNCs back)
 *   latency(ms)    delay every chunk in both directions
 *   bandwidth(b/s) cap the upstream -> replica direction (token bucket)
 *   pause(seconds) stop forwarding to the replica; the TCP link stays up,
 *                  so the replica's offset freezes while the master goes on
 *   heal()         remove every fault
 *
 * Bytes are forwarded in order and never altered: the proxy must be
 * invisible to the replication protocol.
 */
import net from 'node:net';

interface Pair {
  readonly downstream: net.Socket;
  readonly upstream: net.Socket;
}

export interface ProxyFaults {
  cutUntil: number;
  latencyMs: number;
  bandwidthBytesPerSec: number;
  pausedUntil: number;
}

/** Delivers chunks to a socket in order, after a delay and within a byte rate. */
class ShapedPipe {
  private queue: Array<{ chunk: Buffer; readyAt: number }> = [];
  private timer: NodeJS.Timeout | null = null;
  private tokens = 0;
  private lastRefill = Date.now();

  constructor(
    private readonly target: net.Socket,
    private readonly faults: () => ProxyFaults,
    private readonly shapeBandwidth: boolean,
  ) {}

  push(chunk: Buffer): void {
    this.queue.push({ chunk, readyAt: Date.now() + this.faults().latencyMs });
    this.pump();
  }

  get queuedBytes(): number {
    let total = 0;
    for (const entry of this.queue) total += entry.chunk.length;
    return total;
  }

  pump(): void {
    if (this.timer) return;
    const now = Date.now();
    const faults = this.faults();
    while (this.queue.length > 0) {
      if (this.target.destroyed) {
        this.queue = [];
        return;
      }
      if (this.shapeBandwidth && faults.pausedUntil > now) return this.wake(faults.pausedUntil - now);
      const head = this.queue[0]!;
      if (head.readyAt > now) return this.wake(head.readyAt - now);
      let chunk = head.chunk;
      const rate = this.shapeBandwidth ? faults.bandwidthBytesPerSec : 0;
      if (rate > 0) {
        this.tokens = Math.min(rate, this.tokens + ((now - this.lastRefill) / 1000) * rate);
        this.lastRefill = now;
        if (this.tokens < 1) return this.wake(Math.ceil((1 / rate) * 1000) + 5);
        const allowed = Math.floor(this.tokens);
        if (chunk.length > allowed) {
          head.chunk = chunk.subarray(allowed);
          chunk = chunk.subarray(0, allowed);
        } else {
          this.queue.shift();
        }
        this.tokens -= chunk.length;
      } else {
        this.queue.shift();
      }
      this.target.write(chunk);
    }
  }

  /** Re-evaluates the queue now (faults changed), dropping any pending wake-up. */
  resume(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pump();
  }

  private wake(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, Math.max(1, delayMs));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}

export class ChaosProxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<Pair>();
  private readonly pipes = new Set<ShapedPipe>();
  readonly faults: ProxyFaults = { cutUntil: 0, latencyMs: 0, bandwidthBytesPerSec: 0, pausedUntil: 0 };
  port = 0;
  bytesToReplica = 0;

  constructor(
    private readonly upstreamHost: string,
    private upstreamPort: number,
  ) {}

  async listen(port = 0): Promise<number> {
    const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  /** Points the proxy at another upstream (a restarted master on a new port). */
  retarget(port: number): void {
    this.upstreamPort = port;
  }

  private accept(downstream: net.Socket): void {
    if (Date.now() < this.faults.cutUntil) {
      downstream.destroy();
      return;
    }
    const upstream = net.createConnection({ host: this.upstreamHost, port: this.upstreamPort, noDelay: true });
    const pair: Pair = { downstream, upstream };
    this.pairs.add(pair);
    const toUpstream = new ShapedPipe(upstream, () => this.faults, false);
    const toReplica = new ShapedPipe(downstream, () => this.faults, true);
    this.pipes.add(toUpstream);
    this.pipes.add(toReplica);
    downstream.on('data', (chunk: Buffer) => toUpstream.push(chunk));
    upstream.on('data', (chunk: Buffer) => {
      this.bytesToReplica += chunk.length;
      toReplica.push(chunk);
    });
    const close = (): void => {
      downstream.destroy();
      upstream.destroy();
      toUpstream.stop();
      toReplica.stop();
      this.pipes.delete(toUpstream);
      this.pipes.delete(toReplica);
      this.pairs.delete(pair);
    };
    downstream.on('close', close);
    upstream.on('close', close);
    downstream.on('error', close);
    upstream.on('error', close);
  }

  /** Breaks the link now and refuses reconnections for `seconds`. */
  cut(seconds: number): void {
    this.faults.cutUntil = Date.now() + seconds * 1000;
    for (const pair of [...this.pairs]) {
      pair.downstream.destroy();
      pair.upstream.destroy();
    }
  }

  latency(ms: number): void {
    this.faults.latencyMs = ms;
  }

  bandwidth(bytesPerSec: number): void {
    this.faults.bandwidthBytesPerSec = bytesPerSec;
    this.kick();
  }

  pause(seconds: number): void {
    this.faults.pausedUntil = Date.now() + seconds * 1000;
  }

  heal(): void {
    this.faults.cutUntil = 0;
    this.faults.latencyMs = 0;
    this.faults.bandwidthBytesPerSec = 0;
    this.faults.pausedUntil = 0;
    this.kick();
  }

  private kick(): void {
    for (const pipe of this.pipes) pipe.resume();
  }

  /** Human-readable active faults ("cut 3s left", "latency 200ms", ...). */
  activeFaults(): string[] {
    const now = Date.now();
    const out: string[] = [];
    if (this.faults.cutUntil > now) out.push(`cut (${Math.ceil((this.faults.cutUntil - now) / 1000)} s left)`);
    if (this.faults.latencyMs > 0) out.push(`latency ${this.faults.latencyMs} ms`);
    if (this.faults.bandwidthBytesPerSec > 0) out.push(`bandwidth ${this.faults.bandwidthBytesPerSec} B/s`);
    if (this.faults.pausedUntil > now) out.push(`paused (${Math.ceil((this.faults.pausedUntil - now) / 1000)} s left)`);
    return out;
  }

  /**
   * The local address of the upstream connection that forwards the
   * connection coming from `downstreamAddress` ("ip:port", the replica's
   * local end): the address the master sees that replica at.
   */
  upstreamAddressFor(downstreamAddress: string): string | null {
    for (const pair of this.pairs) {
      if (`${pair.downstream.remoteAddress}:${pair.downstream.remotePort}` !== downstreamAddress) continue;
      const { localAddress, localPort } = pair.upstream;
      return localAddress && localPort ? `${localAddress}:${localPort}` : null;
    }
    return null;
  }

  get connectionCount(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    for (const pair of [...this.pairs]) {
      pair.downstream.destroy();
      pair.upstream.destroy();
    }
    for (const pipe of this.pipes) pipe.stop();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
