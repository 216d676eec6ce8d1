/** A failed API call, carrying the envelope's code and message. */
import type { ApiMethod, ErrorCode } from './contract';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly method: ApiMethod,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A short title for a notification about this code. */
export function errorTitle(code: ErrorCode): string {
  switch (code) {
    case 'unreachable':
      return 'Not reachable';
    case 'auth-failed':
      return 'Authentication failed';
    case 'permission-denied':
      return 'Permission denied';
    case 'forbidden-by-safety-mode':
      return 'Blocked by the safety mode';
    case 'confirmation-required':
      return 'Confirmation required';
    case 'stale-preflight':
      return 'The preflight expired';
    case 'timeout':
      return 'Timed out';
    case 'not-found':
      return 'Not found';
    case 'conflict':
      return 'Conflict';
    case 'invalid-request':
    case 'unknown-method':
      return 'Request refused';
    case 'internal':
      return 'Internal error';
  }
}
