/**
 * A raw RESP connection for tests: send commands or arbitrary bytes, read
 * decoded replies or their exact bytes. Used against both real redis-server
 * and our engine, so the two can be compared byte for byte.
 */
import net from 'node:net';
import { encodeRequest, parseReply, RespError, RespPush } from './resp-reply-parser';

interface Waiter {
  resolve: (reply: { value: unknown; raw: Buffer }) => void;
  reject: (error: Error) => void;
}

export class RespConnection {
  private socket: net.Socket | null = null;
  private connecting: Promise<void> | null = null;
  private buffer = Buffer.alloc(0);
  private readonly waiters: Waiter[] = [];
  private readonly pushes: RespPush[] = [];
  /** Replies nobody was waiting for yet (pub/sub messages): handed to the next nextReply(). */
  private readonly unclaimed: Array<{ value: unknown; raw: Buffer }> = [];
  closed = false;
  private authed = false;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  connect(): Promise<void> {
    if (this.connecting) return this.connecting;
    this.connecting = new Promise((resolve, reject) => {
      const socket = net.createConnection({ host: this.host, port: this.port, noDelay: true });
      this.socket = socket;
      socket.once('connect', () => resolve());
      socket.once('error', (error) => {
        reject(error);
        this.failAll(error);
      });
      socket.on('data', (chunk: Buffer) => {
        this.buffer = Buffer.concat([this.buffer, chunk]);
        this.drain();
      });
      socket.on('close', () => {
        this.closed = true;
        this.failAll(new Error('connection closed'));
      });
    });
    return this.connecting;
  }

  /** Connects and authenticates once (if a password is given). */
  async ready(password?: string): Promise<void> {
    await this.connect();
    if (password && !this.authed) {
      this.authed = true;
      await this.call('AUTH', password);
    }
  }

  private failAll(error: Error): void {
    while (this.waiters.length > 0) this.waiters.shift()!.reject(error);
  }

  private drain(): void {
    for (;;) {
      const parsed = parseReply(this.buffer);
      if (!parsed) return;
      const raw = Buffer.from(this.buffer.subarray(0, parsed.end));
      this.buffer = this.buffer.subarray(parsed.end);
      const waiter = this.waiters.shift();
      if (waiter) {
        waiter.resolve({ value: parsed.value, raw });
        continue;
      }
      if (parsed.value instanceof RespPush) this.pushes.push(parsed.value);
      this.unclaimed.push({ value: parsed.value instanceof RespPush ? parsed.value.items : parsed.value, raw });
    }
  }

  /** Writes bytes without waiting for anything. */
  async writeRaw(bytes: Buffer | string): Promise<void> {
    await this.connect();
    this.socket!.write(bytes);
  }

  /** Resolves with the next reply (value and exact bytes). */
  nextReply(timeoutMs = 10_000): Promise<{ value: unknown; raw: Buffer }> {
    const ready = this.unclaimed.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
      this.drain();
    });
  }

  /** Sends a command and returns its decoded reply (errors are returned as RespError, not thrown). */
  async call(...args: Array<string | number | Buffer>): Promise<unknown> {
    return (await this.callRaw(...args)).value;
  }

  async callRaw(...args: Array<string | number | Buffer>): Promise<{ value: unknown; raw: Buffer }> {
    await this.connect();
    const reply = this.nextReply();
    this.socket!.write(encodeRequest(args));
    return reply;
  }

  /** Sends several commands in one write and returns their replies in order (errors as RespError). */
  async pipeline(commands: ReadonlyArray<ReadonlyArray<string | number | Buffer>>): Promise<unknown[]> {
    await this.connect();
    const replies = commands.map(() => this.nextReply(60_000));
    this.socket!.write(Buffer.concat(commands.map((args) => encodeRequest([...args]))));
    return (await Promise.all(replies)).map((reply) => reply.value);
  }

  /** Sends a command and throws if the reply is an error. */
  async ok(...args: Array<string | number | Buffer>): Promise<unknown> {
    const value = await this.call(...args);
    if (value instanceof RespError) throw value;
    return value;
  }

  takePushes(): RespPush[] {
    return this.pushes.splice(0);
  }

  /** Waits until the server closes the connection. */
  waitClosed(timeoutMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connection still open')), timeoutMs);
      this.socket!.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
  }
}

export { RespError, RespPush };
