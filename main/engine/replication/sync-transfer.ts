/**
 * Replica side: receiving the full-sync payload (readSyncBulkPayload).
 *
 * The preamble line decides the form: `$EOF:<40 chars>` (diskless: the RDB
 * then the same 40 chars) or `$<length>` (exactly that many RDB bytes; what
 * follows is already the command stream). Empty lines before it are the
 * master's keepalives; a line starting with '-' is the master aborting.
 *
 * The payload is loaded while it arrives (streaming RDB loader) into fresh
 * databases; the old dataset keeps serving clients until the new one is
 * complete (replica-serve-stale-data), then the caller swaps them. The
 * loader reports how many bytes belong to the RDB, so in EOF form the 40
 * bytes after it are checked against the mark.
 */
import type { LoadedDataset, StreamingLoader } from './snapshot-port';

const EOF_MARK_SIZE = 40;

export type TransferResult =
  | { readonly kind: 'pending' }
  | { readonly kind: 'done'; readonly dataset: LoadedDataset; readonly rest: Buffer }
  | { readonly kind: 'failed'; readonly reason: string };

export class SyncTransfer {
  /** null until the preamble line was read. */
  form: 'eof' | 'length' | null = null;
  total: number | null = null;
  received = 0;
  readonly startedAt = Date.now();
  private mark = '';
  private markBytes: Buffer[] = [];
  private markLength = 0;
  private rdbDone = false;

  constructor(private readonly loader: StreamingLoader) {}

  /**
   * Handles the preamble line. Returns null when accepted, 'keepalive' for an
   * empty line, or an error message.
   */
  preamble(line: string): null | 'keepalive' | string {
    if (line.length === 0) return 'keepalive';
    if (line.startsWith('-')) return `MASTER aborted replication with an error: ${line.slice(1)}`;
    if (!line.startsWith('$')) {
      return `Bad protocol from MASTER, the first byte is not '$' (we received '${line.slice(0, 40)}'), are you sure the host and port are right?`;
    }
    if (line.startsWith('$EOF:') && line.length >= 5 + EOF_MARK_SIZE) {
      this.form = 'eof';
      this.mark = line.slice(5, 5 + EOF_MARK_SIZE);
      return null;
    }
    const length = Number(line.slice(1));
    if (!Number.isSafeInteger(length) || length < 0) return `Bad protocol from MASTER: invalid payload length '${line.slice(0, 40)}'`;
    this.form = 'length';
    this.total = length;
    return null;
  }

  /** Feeds payload bytes; returns whether the payload is complete. */
  feed(chunk: Buffer): TransferResult {
    try {
      return this.form === 'eof' ? this.feedEof(chunk) : this.feedLength(chunk);
    } catch (failure) {
      return { kind: 'failed', reason: failure instanceof Error ? failure.message : String(failure) };
    }
  }

  private feedLength(chunk: Buffer): TransferResult {
    const wanted = this.total! - this.received;
    const take = Math.min(wanted, chunk.length);
    const part = chunk.subarray(0, take);
    this.received += take;
    let consumed = 0;
    while (consumed < part.length) {
      const used = this.loader.feed(part.subarray(consumed));
      if (used === 0) break;
      consumed += used;
    }
    if (consumed < part.length) {
      return { kind: 'failed', reason: `the RDB ended ${part.length - consumed} bytes before the announced payload length` };
    }
    if (this.received < this.total!) return { kind: 'pending' };
    return { kind: 'done', dataset: this.loader.finish(), rest: chunk.subarray(take) };
  }

  private feedEof(chunk: Buffer): TransferResult {
    let rest = chunk;
    this.received += chunk.length;
    if (!this.rdbDone) {
      let consumed = 0;
      while (consumed < rest.length && !this.loader.isComplete) {
        const used = this.loader.feed(rest.subarray(consumed));
        if (used === 0) break;
        consumed += used;
      }
      rest = rest.subarray(consumed);
      if (!this.loader.isComplete) return { kind: 'pending' };
      this.rdbDone = true;
    }
    const need = EOF_MARK_SIZE - this.markLength;
    const take = Math.min(need, rest.length);
    this.markBytes.push(rest.subarray(0, take));
    this.markLength += take;
    if (this.markLength < EOF_MARK_SIZE) return { kind: 'pending' };
    const mark = Buffer.concat(this.markBytes).toString('latin1');
    if (mark !== this.mark) return { kind: 'failed', reason: 'Replication stream EOF marker is broken' };
    this.received -= EOF_MARK_SIZE;
    return { kind: 'done', dataset: this.loader.finish(), rest: rest.subarray(take) };
  }
}
