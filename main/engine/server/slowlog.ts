/**
 * SLOWLOG: commands slower than slowlog-log-slower-than microseconds, newest
 * first, at most slowlog-max-len entries. Arguments are trimmed as Redis does
 * (at most 32 arguments, each at most 128 bytes).
 */
import type { HotConfig } from '../config/hot-config';
import type { Client } from './client';

const MAX_ARGC = 32;
const MAX_ARG_LENGTH = 128;

export interface SlowlogEntry {
  readonly id: number;
  readonly time: number;
  readonly micros: number;
  readonly argv: string[];
  readonly peer: string;
  readonly clientName: string;
}

export class Slowlog {
  entries: SlowlogEntry[] = [];
  private nextId = 0;

  constructor(private readonly config: HotConfig) {}

  /** True when a command of `micros` microseconds is logged (slowlog-log-slower-than). */
  logs(micros: number): boolean {
    const threshold = this.config.slowlogThresholdMicros;
    return threshold >= 0 && micros >= threshold;
  }

  record(client: Client, argv: ReadonlyArray<string>, micros: number): void {
    if (!this.logs(micros)) return;
    const trimmed: string[] = [];
    const argc = Math.min(argv.length, MAX_ARGC);
    for (let i = 0; i < argc; i++) {
      if (i === argc - 1 && argc !== argv.length) {
        trimmed.push(`... (${argv.length - argc + 1} more arguments)`);
        break;
      }
      const arg = argv[i]!;
      trimmed.push(arg.length > MAX_ARG_LENGTH ? `${arg.slice(0, MAX_ARG_LENGTH)}... (${arg.length - MAX_ARG_LENGTH} more bytes)` : arg);
    }
    this.entries.unshift({ id: this.nextId++, time: Math.floor(Date.now() / 1000), micros: Math.floor(micros), argv: trimmed, peer: client.address, clientName: client.name });
    const max = this.config.slowlogMaxLen;
    if (this.entries.length > max) this.entries.length = max;
  }

  reset(): void {
    this.entries = [];
  }
}
