/**
 * CLIENT PAUSE / UNPAUSE as commands see it. Implemented by
 * server/client-pause.ts (which also pauses for FAILOVER and SHUTDOWN).
 */

export type PausePurpose = 'client-command' | 'failover' | 'shutdown';
export type PauseType = 'off' | 'write' | 'all';

export interface ClientPausePort {
  /** Pauses until `end` (ms; 0 = until unpaused) for `purpose`. */
  pause(purpose: PausePurpose, end: number, type: Exclude<PauseType, 'off'>): void;
  unpause(purpose: PausePurpose): void;
}
