/**
 * A ReplscopeBridge for store and component tests: every call is recorded
 * and answered by a handler the test sets per method, or held open until
 * the test resolves it (to order results and check stale-result dropping).
 */
import type { ApiMethod, ApiRequest, Envelope, PushMessage, ReplscopeBridge } from '../src/api/contract';

export interface RecordedCall {
  readonly method: ApiMethod;
  readonly payload: unknown;
  resolve(result: Envelope<unknown>): void;
}

type Handler = (payload: unknown) => Envelope<unknown> | null;

export class FakeBridge implements ReplscopeBridge {
  readonly transport = 'ipc' as const;
  readonly calls: RecordedCall[] = [];
  readonly handlers = new Map<ApiMethod, Handler>();
  readonly #listeners = new Set<(message: PushMessage) => void>();

  /** Answer `method` with `data` (or a failure) right away. */
  answer(method: ApiMethod, data: unknown): this {
    this.handlers.set(method, () => ({ ok: true, data }));
    return this;
  }

  fail(method: ApiMethod, code: Extract<Envelope<unknown>, { ok: false }>['code'], message: string): this {
    this.handlers.set(method, () => ({ ok: false, code, message }));
    return this;
  }

  call<M extends ApiMethod>(method: M, payload: ApiRequest<M>): Promise<never> {
    return new Promise((resolve) => {
      const recorded: RecordedCall = { method, payload, resolve: (result) => resolve(result as never) };
      this.calls.push(recorded);
      const handler = this.handlers.get(method);
      const result = handler?.(payload) ?? null;
      if (result !== null) recorded.resolve(result);
    });
  }

  onPush(listener: (message: PushMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  push(message: PushMessage): void {
    for (const listener of this.#listeners) listener(message);
  }

  callsTo(method: ApiMethod): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}
