/**
 * MIGRATE's cached connections (cluster.c migrateGetSocket and friends):
 * one connection per "host:port", reused by later MIGRATEs, remembering the
 * database last SELECTed there so the next MIGRATE to the same database
 * sends no SELECT. At most 64 are kept (a random one is closed to make
 * room); the cron closes those unused for more than 10 s. INFO's
 * migrate_cached_sockets counts them.
 *
 * Redis talks to the target with blocking reads and writes under the
 * MIGRATE timeout. Here I/O is asynchronous: a MIGRATE holds its
 * connection (one at a time per connection, so replies never interleave)
 * and every read and write has the same timeout.
 */
import net from 'node:net';

/** MIGRATE_SOCKET_CACHE_ITEMS. */
const CACHE_ITEMS = 64;
/** MIGRATE_SOCKET_CACHE_TTL, seconds. */
const CACHE_TTL_SECONDS = 10;

export class MigrateTimeout extends Error {
  constructor() {
    super('timeout');
    this.name = 'MigrateTimeout';
  }
}

/** One cached connection to a MIGRATE target. */
export class MigrateSocket {
  /** The database last SELECTed on the target; -1: unknown (send SELECT). */
  lastDbid = -1;
  lastUse = Date.now();
  private buffered = '';
  private readonly waiting: Array<(line: string | null) => void> = [];
  private closed = false;
  /** The MIGRATE using the connection now; the next one waits for it. */
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('latin1');
      this.deliver();
    });
    const end = (): void => {
      this.closed = true;
      for (const waiter of this.waiting.splice(0)) waiter(null);
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs `work` once every earlier user of this connection is done. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.then(() => undefined, () => undefined);
    return result;
  }

  /** Writes `bytes` (connSyncWrite): rejects on a closed connection or after `timeoutMs`. */
  write(bytes: Buffer, timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('closed'));
    return withTimeout(new Promise<void>((resolve, reject) => {
      this.socket.write(bytes, (failure) => (failure ? reject(failure) : resolve()));
    }), timeoutMs);
  }

  /** Reads one reply line without its CRLF (connSyncReadLine); rejects when closed or after `timeoutMs`. */
  readLine(timeoutMs: number): Promise<string> {
    return withTimeout(new Promise<string>((resolve, reject) => {
      this.waiting.push((line) => (line === null ? reject(new Error('closed')) : resolve(line)));
      this.deliver();
    }), timeoutMs);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private deliver(): void {
    while (this.waiting.length > 0) {
      const end = this.buffered.indexOf('\r\n');
      if (end < 0) {
        if (this.closed) for (const waiter of this.waiting.splice(0)) waiter(null);
        return;
      }
      const line = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      this.waiting.shift()!(line);
    }
  }
}

export class MigrateSockets {
  private readonly cache = new Map<string, MigrateSocket>();

  get size(): number {
    return this.cache.size;
  }

  /** The cached connection to host:port, or a new one (rejects with the connect failure or MigrateTimeout). */
  async get(host: string, port: string, timeoutMs: number): Promise<MigrateSocket> {
    const name = `${host}:${port}`;
    const cached = this.cache.get(name);
    if (cached !== undefined && !cached.isClosed) {
      cached.lastUse = Date.now();
      return cached;
    }
    if (cached !== undefined) this.cache.delete(name);
    if (this.cache.size >= CACHE_ITEMS) {
      const names = [...this.cache.keys()];
      this.close(names[Math.floor(Math.random() * names.length)]!);
    }
    const connection = net.createConnection({ host, port: Number(port) });
    const socket = await withTimeout(new Promise<net.Socket>((resolve, reject) => {
      connection.once('connect', () => {
        connection.off('error', reject);
        resolve(connection);
      });
      connection.once('error', reject);
    }), timeoutMs).catch((failure: unknown) => {
      connection.destroy();
      throw failure;
    });
    const created = new MigrateSocket(socket);
    this.cache.set(name, created);
    return created;
  }

  /** migrateCloseSocket: after an I/O error the next MIGRATE connects afresh. */
  close(name: string): void {
    this.cache.get(name)?.close();
    this.cache.delete(name);
  }

  /** migrateCloseTimedoutSockets, from the cron. */
  closeIdle(now: number): void {
    for (const [name, socket] of this.cache) {
      if (Math.floor((now - socket.lastUse) / 1000) > CACHE_TTL_SECONDS || socket.isClosed) this.close(name);
    }
  }

  closeAll(): void {
    for (const name of [...this.cache.keys()]) this.close(name);
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new MigrateTimeout()), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (failure: unknown) => {
        clearTimeout(timer);
        reject(failure instanceof Error ? failure : new Error(String(failure)));
      },
    );
  });
}
