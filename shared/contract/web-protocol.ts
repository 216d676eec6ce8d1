/**
 * Web mode wire protocol, over one WebSocket at /ws?token=<token> on
 * 127.0.0.1 (the page itself is served from the same origin, and every HTTP
 * request needs the token too: 401 without it, 403 from a foreign Origin).
 *
 *   client -> server  { kind: "request", id, method, payload }
 *   server -> client  { kind: "response", id, result: Envelope }
 *                     { kind: "push", message: PushMessage }
 */
import { z } from 'zod';

export const WebRequestFrame = z.object({
  kind: z.literal('request'),
  id: z.number().int().min(0),
  method: z.string().min(1).max(100),
  payload: z.unknown(),
});
export type WebRequestFrame = z.infer<typeof WebRequestFrame>;

export const WebResponseFrame = z.object({
  kind: z.literal('response'),
  id: z.number().int(),
  result: z.unknown(),
});
export type WebResponseFrame = z.infer<typeof WebResponseFrame>;

export const WebPushFrame = z.object({
  kind: z.literal('push'),
  message: z.unknown(),
});
export type WebPushFrame = z.infer<typeof WebPushFrame>;

/** Largest frame the server accepts from a browser. */
export const WEB_MAX_FRAME_BYTES = 8 * 1024 * 1024;
/** The line web mode prints once listening (tests and npm start parse it). */
export const WEB_READY_LINE_PREFIX = 'Replscope console: ';
