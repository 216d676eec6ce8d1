/**
 * Electron IPC channel names (one invoke channel, one push channel). A module
 * without dependencies, so the sandboxed preload can bundle it without zod
 * (a sandboxed preload can require nothing but electron).
 */
export const IPC_INVOKE_CHANNEL = 'replscope:invoke';
export const IPC_PUSH_CHANNEL = 'replscope:push';
