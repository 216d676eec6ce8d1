/**
 * Electron IPC for the console API, written against the few structural bits
 * of ipcMain/webContents it needs (so it is unit-tested with fakes and never
 * imports electron itself).
 *
 *  - one invoke channel (IPC_INVOKE_CHANNEL): (method, payload) -> Envelope;
 *    the sender frame must be our own page (`isTrustedFrame`, checked on
 *    every call: a navigated or injected frame gets `permission-denied`);
 *    the method must be in the API table and the payload must validate
 *    against its schema, else a clear `invalid-request` / `unknown-method`;
 *  - one push channel (IPC_PUSH_CHANNEL): every PushMessage goes to every
 *    live window.
 */
import { API, IPC_INVOKE_CHANNEL, IPC_PUSH_CHANNEL, isApiMethod } from '../../shared/contract/api';
import { fail, type Envelope } from '../../shared/contract/envelope';
import { describePayloadError } from '../../shared/contract/payload-problem';
import type { ApiHandler } from './api-handler';

export interface InvokeEvent {
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface PushTarget {
  isDestroyed(): boolean;
  send(channel: string, message: unknown): void;
}

export interface IpcRouterOptions {
  readonly ipcMain: IpcMainLike;
  readonly handler: ApiHandler;
  /** True for the URL of our own renderer page (file:// of the packaged index.html, or the dev server). */
  readonly isTrustedFrame: (url: string) => boolean;
  /** The windows to push to. */
  readonly targets: () => ReadonlyArray<PushTarget>;
}

export function registerIpc(options: IpcRouterOptions): () => void {
  options.ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method, payload): Promise<Envelope<unknown>> => {
    const url = event.senderFrame?.url ?? '';
    if (!options.isTrustedFrame(url)) return fail('permission-denied', 'requests are only accepted from the Replscope window');
    if (!isApiMethod(method)) return fail('unknown-method', `unknown method ${String(method).slice(0, 100)}`);
    const parsed = API[method].request.safeParse(payload ?? {});
    if (!parsed.success) {
      return fail('invalid-request', describePayloadError(method, API[method].request, payload ?? {}, parsed.error));
    }
    return options.handler.call(method, parsed.data);
  });
  const unsubscribe = options.handler.onPush((message) => {
    for (const target of options.targets()) if (!target.isDestroyed()) target.send(IPC_PUSH_CHANNEL, message);
  });
  return () => {
    unsubscribe();
    options.ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}

/** Our page: the packaged file (exact path) or, in development, the dev server origin. */
export function trustedFrameMatcher(rendererFileUrl: string, devServerUrl: string | null): (url: string) => boolean {
  const file = new URL(rendererFileUrl);
  const dev = devServerUrl ? new URL(devServerUrl).origin : null;
  return (candidate) => {
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') return url.pathname === file.pathname;
    return dev !== null && url.origin === dev;
  };
}
