/**
 * A steady write load on a master, as a staging application would put on
 * it: SETs of `valueBytes` over a key space, sent in small pipelined batches
 * every 10 ms so the rate is even (2,000 writes/s is 20 writes per batch).
 *
 * It counts what the master acknowledged and keeps the error replies (a
 * master that became a replica answers READONLY), so a scenario can assert
 * what clients writing to a node saw. It never throws: a load that cannot
 * connect counts connection errors and retries on the next batch.
 */
import { RespConnection, RespError } from '../../support/resp-connection';
import type { ScenarioNode } from './scenario-node';

export interface WriteLoadOptions {
  readonly opsPerSec: number;
  readonly valueBytes?: number;
  readonly keySpace?: number;
  readonly keyPrefix?: string;
}

export interface WriteLoadReport {
  readonly acknowledged: number;
  readonly errors: number;
  /** Distinct error replies seen, with how many times each (first word of the message). */
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly lastError: string | null;
}

const BATCH_EVERY_MS = 10;
const MAX_BATCH = 1000;

export class WriteLoad {
  private connection: RespConnection | null = null;
  private running = true;
  private readonly loop: Promise<void>;
  private acknowledged = 0;
  private errors = 0;
  private readonly errorKinds: Record<string, number> = {};
  private lastError: string | null = null;

  private constructor(private readonly target: ScenarioNode, private readonly options: WriteLoadOptions) {
    this.loop = this.run();
  }

  static start(target: ScenarioNode, options: WriteLoadOptions): WriteLoad {
    return new WriteLoad(target, options);
  }

  report(): WriteLoadReport {
    return { acknowledged: this.acknowledged, errors: this.errors, errorKinds: { ...this.errorKinds }, lastError: this.lastError };
  }

  /** Stops sending and waits for the batch in flight. */
  async stop(): Promise<WriteLoadReport> {
    this.running = false;
    await this.loop;
    this.connection?.close();
    this.connection = null;
    return this.report();
  }

  private async run(): Promise<void> {
    const value = 'v'.repeat(this.options.valueBytes ?? 100);
    const keySpace = this.options.keySpace ?? 10_000;
    const prefix = this.options.keyPrefix ?? 'load';
    const started = Date.now();
    let sent = 0;
    while (this.running) {
      // Behind schedule (a slow reply), it catches up in batches of at most MAX_BATCH.
      const due = Math.min(MAX_BATCH, Math.floor(((Date.now() - started) * this.options.opsPerSec) / 1000) - sent);
      if (due > 0) {
        const batch: string[][] = [];
        for (let i = 0; i < due; i++) batch.push(['SET', `${prefix}:${(sent + i) % keySpace}`, value]);
        sent += due;
        await this.send(batch);
      }
      await new Promise((resolve) => setTimeout(resolve, BATCH_EVERY_MS));
    }
  }

  private async send(batch: string[][]): Promise<void> {
    try {
      if (!this.connection || this.connection.closed) this.connection = new RespConnection('127.0.0.1', this.target.port);
      const replies = await this.connection.pipeline(batch);
      for (const reply of replies) {
        if (reply instanceof RespError) this.recordError(reply.message);
        else this.acknowledged++;
      }
    } catch (failure) {
      this.connection?.close();
      this.connection = null;
      this.recordError(`connection: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  private recordError(message: string): void {
    this.errors++;
    const kind = message.split(/[\s:]/)[0] ?? message;
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
    this.lastError = message;
  }
}
