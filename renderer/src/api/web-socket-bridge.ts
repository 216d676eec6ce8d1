/**
 * ReplscopeBridge over the web-mode WebSocket (shared/contract/web-protocol.ts):
 *
 *   client -> server  { kind: "request", id, method, payload }
 *   server -> client  { kind: "response", id, result: Envelope }
 *                     { kind: "push", message: PushMessage }
 *
 * Guarantees:
 *  - `call` never rejects: every failure is an Envelope (`unreachable`,
 *    `timeout`, `internal`), so stores handle one shape.
 *  - Requests made while the socket is down are queued and sent on reconnect
 *    (or time out). A request already SENT when the socket drops fails with
 *    `unreachable`, never re-sent: actions.run must not run twice.
 *  - The socket reconnects with exponential backoff until `close()`;
 *    `onStatus` listeners hear every transition, so the app can show a banner
 *    and refetch what it missed while disconnected.
 *  - Push listeners run isolated: one throwing does not starve the others,
 *    and its error is rethrown asynchronously for the global error handler.
 *  - The token never appears in status messages (the URL is redacted).
 */
import type { ApiMethod, ApiRequest, ApiResponse, Envelope, ErrorCode, PushMessage, ReplscopeBridge } from './contract';
import { KNOWN_ERROR_CODES } from './contract';

export type BridgeConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface BridgeStatus {
  readonly state: BridgeConnectionState;
  /** Failed attempts since the last successful open. */
  readonly attempt: number;
  readonly lastError: string | null;
  /** True once the socket has been open at least once. */
  readonly everOpened: boolean;
}

export interface WebSocketBridgeOptions {
  readonly url: string;
  readonly createSocket?: (url: string) => WebSocket;
  readonly requestTimeoutMs?: number;
  readonly initialRetryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Where a throwing push listener's error goes; by default rethrown asynchronously (window 'error'). */
  readonly onListenerError?: (error: unknown) => void;
}

interface PendingRequest {
  readonly method: string;
  readonly text: string;
  sent: boolean;
  readonly resolve: (result: Envelope<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

export class WebSocketBridge implements ReplscopeBridge {
  readonly transport = 'websocket' as const;

  readonly #url: string;
  readonly #createSocket: (url: string) => WebSocket;
  readonly #requestTimeoutMs: number;
  readonly #initialRetryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #onListenerError: (error: unknown) => void;
  readonly #pending = new Map<number, PendingRequest>();
  readonly #pushListeners = new Set<(message: PushMessage) => void>();
  readonly #statusListeners = new Set<(status: BridgeStatus) => void>();
  #socket: WebSocket | null = null;
  #nextId = 1;
  #closed = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #status: BridgeStatus = { state: 'connecting', attempt: 0, lastError: null, everOpened: false };

  constructor(options: WebSocketBridgeOptions) {
    this.#url = options.url;
    this.#createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#initialRetryDelayMs = options.initialRetryDelayMs ?? 250;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
    this.#onListenerError =
      options.onListenerError ??
      ((error) =>
        queueMicrotask(() => {
          throw error;
        }));
    this.#open();
  }

  get status(): BridgeStatus {
    return this.#status;
  }

  call<M extends ApiMethod>(method: M, payload: ApiRequest<M>): Promise<Envelope<ApiResponse<M>>> {
    if (this.#closed) return Promise.resolve(failure('unreachable', 'The console connection is closed.'));
    const id = this.#nextId++;
    let text: string;
    try {
      text = JSON.stringify({ kind: 'request', id, method, payload });
    } catch (error) {
      return Promise.resolve(failure('invalid-request', `Cannot encode ${method}: ${describe(error)}`));
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(failure('timeout', `${method} got no answer from the console within ${Math.round(this.#requestTimeoutMs / 1000)} s.`));
      }, this.#requestTimeoutMs);
      const pending: PendingRequest = {
        method,
        text,
        sent: false,
        resolve: (result) => resolve(result as Envelope<ApiResponse<M>>),
        timer,
      };
      this.#pending.set(id, pending);
      this.#trySend(pending);
    });
  }

  onPush(listener: (message: PushMessage) => void): () => void {
    this.#pushListeners.add(listener);
    return () => this.#pushListeners.delete(listener);
  }

  onStatus(listener: (status: BridgeStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Stops reconnecting, closes the socket and fails every outstanding request. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(1000, 'closed by the console page');
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.resolve(failure('unreachable', 'The console connection is closed.'));
    }
    this.#setStatus({ ...this.#status, state: 'closed' });
  }

  #open(): void {
    let socket: WebSocket;
    try {
      socket = this.#createSocket(this.#url);
    } catch (error) {
      this.#scheduleReconnect(`Cannot open ${redact(this.#url)}: ${describe(error)}`);
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#setStatus({ state: 'open', attempt: 0, lastError: null, everOpened: true });
      for (const pending of this.#pending.values()) this.#trySend(pending);
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (this.#socket !== socket) return;
      if (typeof event.data === 'string') this.#receive(event.data);
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#failSentRequests();
      if (this.#closed) return;
      const why = this.#status.everOpened
        ? `Lost the connection to the console (${event.code}${event.reason ? `: ${event.reason}` : ''}).`
        : `Cannot reach the console at ${redact(this.#url)}: it is not running, or the page was opened without its access token.`;
      this.#scheduleReconnect(why);
    });
  }

  #trySend(pending: PendingRequest): void {
    const socket = this.#socket;
    if (pending.sent || socket === null || socket.readyState !== OPEN) return;
    try {
      socket.send(pending.text);
      pending.sent = true;
    } catch {
      // The close event follows; the request stays queued for the next socket.
    }
  }

  #failSentRequests(): void {
    for (const [id, pending] of this.#pending) {
      if (!pending.sent) continue;
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.resolve(failure('unreachable', `The connection to the console dropped before ${pending.method} answered; it may or may not have run.`));
    }
  }

  #scheduleReconnect(reason: string): void {
    const attempt = this.#status.attempt + 1;
    this.#setStatus({ state: this.#status.everOpened ? 'reconnecting' : 'connecting', attempt, lastError: reason, everOpened: this.#status.everOpened });
    const delay = Math.min(this.#maxRetryDelayMs, this.#initialRetryDelayMs * 2 ** Math.min(attempt - 1, 16));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (!this.#closed) this.#open();
    }, delay);
  }

  #receive(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!isRecord(frame)) return;
    if (frame['kind'] === 'response' && typeof frame['id'] === 'number') {
      const pending = this.#pending.get(frame['id']);
      if (pending === undefined) return;
      this.#pending.delete(frame['id']);
      clearTimeout(pending.timer);
      pending.resolve(toEnvelope(frame['result'], pending.method));
    } else if (frame['kind'] === 'push' && isRecord(frame['message']) && typeof frame['message']['type'] === 'string') {
      const message = frame['message'] as PushMessage;
      for (const listener of [...this.#pushListeners]) {
        try {
          listener(message);
        } catch (error) {
          this.#onListenerError(error);
        }
      }
    }
  }

  #setStatus(status: BridgeStatus): void {
    this.#status = status;
    for (const listener of [...this.#statusListeners]) listener(status);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the envelope's shape (main validated the data itself against the contract). */
function toEnvelope(result: unknown, method: string): Envelope<unknown> {
  if (isRecord(result)) {
    if (result['ok'] === true && 'data' in result) return { ok: true, data: result['data'] };
    if (result['ok'] === false && typeof result['message'] === 'string') {
      const code = (KNOWN_ERROR_CODES as readonly string[]).includes(String(result['code'])) ? (result['code'] as ErrorCode) : 'internal';
      return { ok: false, code, message: result['message'] };
    }
  }
  return failure('internal', `The console sent a malformed answer to ${method}.`);
}

function failure(code: ErrorCode, message: string): { readonly ok: false; readonly code: ErrorCode; readonly message: string } {
  return { ok: false, code, message };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The socket URL without its token, for messages. */
function redact(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
