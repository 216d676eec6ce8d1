/**
 * The preload: exposes ONE typed object (ReplscopeBridge) to the sandboxed,
 * context-isolated renderer. No raw ipcRenderer, no Node: only `call` over
 * the one invoke channel and `onPush` on the one push channel.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiMethod, ApiRequest, ApiResponse, PushMessage } from '../../shared/contract/api';
import { IPC_INVOKE_CHANNEL, IPC_PUSH_CHANNEL } from '../../shared/contract/ipc-channels';
import { BRIDGE_GLOBAL, type ReplscopeBridge } from '../../shared/contract/bridge';
import type { Envelope } from '../../shared/contract/envelope';

const bridge: ReplscopeBridge = {
  transport: 'ipc',
  call<M extends ApiMethod>(method: M, payload: ApiRequest<M>): Promise<Envelope<ApiResponse<M>>> {
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, payload) as Promise<Envelope<ApiResponse<M>>>;
  },
  onPush(listener: (message: PushMessage) => void): () => void {
    const handler = (_event: IpcRendererEvent, message: PushMessage): void => listener(message);
    ipcRenderer.on(IPC_PUSH_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_PUSH_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
