/**
 * Every API result crosses the process boundary in this envelope, so the
 * renderer never meets a raw Error: `{ ok: true, data }` or
 * `{ ok: false, code, message }`.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'invalid-request',
  'unknown-method',
  'not-found',
  'unreachable',
  'auth-failed',
  'permission-denied',
  'forbidden-by-safety-mode',
  'confirmation-required',
  'stale-preflight',
  'conflict',
  'timeout',
  'internal',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export type Envelope<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

export function ok<T>(data: T): Envelope<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, code, message };
}

/** Schema of an envelope around a data schema (used to validate responses in tests and clients). */
export function envelopeSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), code: ErrorCode, message: z.string() }),
  ]);
}
