/**
 * The tap's connection to a master, up to the first byte of the stream: the
 * replica handshake (§1.2 of the protocol reference) and the PSYNC answer.
 *
 *   connect (TCP, or TLS as the profile says, through the dialer's endpoint)
 *   AUTH [user] password                      only when the profile has one
 *   REPLCONF ip-address replscope-tap         the name INFO and ROLE show
 *   REPLCONF capa eof capa psync2
 *   ... every reply read (PSYNC is refused while replies are pending) ...
 *   PSYNC <replid> <offset>
 *
 * Protocol decisions:
 *  - No `REPLCONF listening-port`: the port stays 0 (nothing listens), and
 *    with the name instead of an IP address, INFO reads
 *    `slaveN:ip=replscope-tap,port=0,...`. A Sentinel learns replicas from
 *    those lines and would add (and persist) one at `<ip>:0`; a name that
 *    is not an IP address does not resolve, so a Sentinel (resolve-hostnames
 *    no, the default) adds nothing (it logs "Failed to resolve hostname").
 *  - `capa eof` is announced on purpose: a diskless master (the 7.0 default)
 *    that refuses a partial sync then waits repl-diskless-sync-delay before
 *    it forks, sending only keepalive newlines, and the tap hangs up at the
 *    first one. Without `capa eof` a refused PSYNC forks at once.
 *  - Errors to the REPLCONFs are ignored, as a replica does ("non critical");
 *    an error to AUTH ends the attempt.
 *  - Any answer to PSYNC but `+CONTINUE` closes the socket at once: the tap
 *    never reads an RDB. `+FULLRESYNC` means the master has started a
 *    snapshot for it (disk-based masters fork at once); a bare newline means
 *    one is queued (diskless delay) and closing now cancels it.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { TlsSettings } from '../../../shared/contract/profiles';
import { TAP_ANNOUNCED_NAME } from '../../../shared/contract/tap';
import type { Endpoint } from '../net/node-dialer';
import { tlsClientOptions } from '../net/tls-client-options';
import { printable } from './stream-decoder';

export const CONNECT_TIMEOUT_MS = 3000;
/** Each handshake reply and the PSYNC answer (Redis's repl_syncio_timeout is 5 s). */
export const REPLY_TIMEOUT_MS = 5000;

export interface TapLinkTarget {
  /** The node's own address (what TLS verifies). */
  readonly address: Endpoint;
  /** Where the socket goes: the address, or the SSH tunnel's loopback port for it. */
  readonly via: Endpoint;
  readonly tls?: TlsSettings | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

export type PsyncAnswer =
  | { readonly kind: 'continue'; readonly replid: string | null }
  /** The master started a snapshot for the tap (the line's replid and offset). */
  | { readonly kind: 'full-resync'; readonly replid: string; readonly offset: number }
  /** A keepalive newline: a full sync is queued, the snapshot not started yet. */
  | { readonly kind: 'full-resync-queued' }
  | { readonly kind: 'error'; readonly message: string };

export class TapLinkError extends Error {
  override readonly name = 'TapLinkError';
}

export function encodeCommand(args: ReadonlyArray<string>): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(''));
}

export class TapLink {
  private buffer: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private streaming: ((chunk: Buffer) => void) | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      if (this.streaming) this.streaming(chunk);
      else {
        this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
        this.wake();
      }
    });
    socket.on('error', (error: Error) => {
      this.failure ??= error;
      this.wake();
    });
    socket.on('close', () => {
      this.failure ??= new TapLinkError('the master closed the connection');
      this.wake();
    });
  }

  /** Connects and runs the handshake up to (not including) PSYNC. Throws a TlsFileError for an unusable TLS file. */
  static async open(target: TapLinkTarget): Promise<TapLink> {
    const secure = target.tls?.enabled === true;
    const options = secure ? tlsClientOptions(target.tls!, target.address, target.via) : null;
    const socket = options ? tls.connect({ host: target.via.host, port: target.via.port, ...options }) : net.createConnection({ host: target.via.host, port: target.via.port });
    socket.setNoDelay(true);
    const link = new TapLink(socket);
    const name = `${target.address.host}:${target.address.port}`;
    try {
      let connected = false;
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        connected = true;
        link.wake();
      });
      await link.waitFor(CONNECT_TIMEOUT_MS, `connection to ${name}`, () => (connected ? true : null)).catch((failure: Error) => {
        throw new TapLinkError(`could not connect to ${name}: ${failure.message}`);
      });
      const commands: Array<{ args: string[]; what: string }> = [];
      if (target.password) commands.push({ args: target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password], what: 'AUTH' });
      commands.push({ args: ['REPLCONF', 'ip-address', TAP_ANNOUNCED_NAME], what: 'REPLCONF ip-address' });
      commands.push({ args: ['REPLCONF', 'capa', 'eof', 'capa', 'psync2'], what: 'REPLCONF capa' });
      socket.write(Buffer.concat(commands.map((command) => encodeCommand(command.args))));
      for (const command of commands) {
        const reply = await link.line(REPLY_TIMEOUT_MS, `reply to ${command.what}`);
        // A REPLCONF refused for lack of permission means no REPLCONF ACK later either: the master would drop the tap.
        if (reply.startsWith('-') && (command.what === 'AUTH' || reply.startsWith('-NOPERM'))) throw new TapLinkError(`${command.what} was refused: ${reply.slice(1)}`);
      }
      return link;
    } catch (failure) {
      link.close();
      throw failure;
    }
  }

  /**
   * Sends PSYNC and reads the answer. Anything but +CONTINUE closes the
   * socket before another byte is read (no RDB is ever read).
   */
  async psync(replid: string, offset: number): Promise<PsyncAnswer> {
    this.socket.write(encodeCommand(['PSYNC', replid, String(offset)]));
    let answer: PsyncAnswer;
    try {
      const first = await this.firstByte(REPLY_TIMEOUT_MS);
      if (first === 0x0a) answer = { kind: 'full-resync-queued' };
      else {
        const line = await this.line(REPLY_TIMEOUT_MS, 'the answer to PSYNC');
        const fields = line.split(' ');
        if (fields[0] === '+CONTINUE') answer = { kind: 'continue', replid: fields[1] ?? null };
        else if (fields[0] === '+FULLRESYNC') answer = { kind: 'full-resync', replid: fields[1] ?? '?', offset: Number(fields[2]) };
        else if (line.startsWith('-')) answer = { kind: 'error', message: line.slice(1) };
        else throw new TapLinkError(`unexpected answer to PSYNC: ${printable(Buffer.from(line, 'latin1'))}`);
      }
    } catch (failure) {
      this.close();
      throw failure;
    }
    if (answer.kind !== 'continue') this.close();
    return answer;
  }

  /**
   * Hands the stream over: bytes already read after the +CONTINUE line, then
   * every chunk as it arrives, go to `onData`.
   */
  stream(onData: (chunk: Buffer) => void): void {
    this.streaming = onData;
    const leftover = this.buffer;
    this.buffer = Buffer.alloc(0);
    if (leftover.length > 0) onData(leftover);
  }

  /** REPLCONF ACK <offset>: the only thing the tap writes once it streams. */
  ack(offset: number): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(encodeCommand(['REPLCONF', 'ACK', String(offset)]));
  }

  /** Closes now: unread bytes are dropped (the kernel resets the connection if any were pending). */
  close(): void {
    this.streaming = null;
    this.socket.destroy();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  private async waitFor<T>(timeoutMs: number, what: string, take: () => T | null): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = take();
      if (value !== null) return value;
      if (this.failure) throw this.failure instanceof TapLinkError ? this.failure : new TapLinkError(this.failure.message);
      const left = deadline - Date.now();
      if (left <= 0) throw new TapLinkError(`no ${what} within ${timeoutMs / 1000} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private firstByte(timeoutMs: number): Promise<number> {
    return this.waitFor(timeoutMs, 'answer to PSYNC', () => (this.buffer.length > 0 ? this.buffer[0]! : null));
  }

  /** One CRLF-terminated line (without it); the bytes after it stay buffered. */
  private line(timeoutMs: number, what: string): Promise<string> {
    return this.waitFor(timeoutMs, what, () => {
      const end = this.buffer.indexOf('\r\n');
      if (end < 0) return null;
      const text = this.buffer.toString('latin1', 0, end);
      this.buffer = this.buffer.subarray(end + 2);
      return text;
    });
  }
}
