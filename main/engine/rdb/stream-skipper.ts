/**
 * Streams are not a data type of ours yet, but a stream in an RDB must be
 * parsed entirely to stay in sync with the file. This walks the layout of
 * types 15/19/21 one item at a time (a big stream may not fit in one chunk),
 * validating what a 7.0 loader validates:
 *
 *   len N, N x (string 16-byte node key, string listpack)   nodes
 *   len length, len last ms, len last seq                   (all versions)
 *   len first ms, len first seq, len max-deleted ms,
 *   len max-deleted seq, len entries-added                  (19, 21)
 *   len G, G x ( string name, len last ms, len last seq,
 *                [len entries-read (19, 21)],
 *                len P, P x (16-byte id, 8-byte LE ms, len count),
 *                len C, C x ( string name, 8-byte seen,
 *                             [8-byte active (21)],
 *                             len K, K x 16-byte id ) )
 */
import { RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_3 } from './constants';
import { decodeListpack } from './listpack';
import type { RdbReader } from './rdb-reader';

type Phase = 'node-count' | 'node' | 'meta' | 'group-count' | 'group' | 'group-pel' | 'consumer-count' | 'consumer' | 'consumer-pel' | 'done';

export class StreamSkipper {
  private phase: Phase = 'node-count';
  private nodes = 0;
  private groups = 0;
  private pending = 0;
  private consumers = 0;

  constructor(private readonly type: number) {}

  /** Consumes one item; returns true when the whole stream has been read. */
  step(r: RdbReader): boolean {
    const v2 = this.type !== RDB_TYPE_STREAM_LISTPACKS;
    switch (this.phase) {
      case 'node-count':
        this.nodes = r.length();
        this.phase = this.nodes > 0 ? 'node' : 'meta';
        return false;
      case 'node': {
        const nodeKey = r.blob();
        if (nodeKey.length !== 16) r.fail(`stream node key of ${nodeKey.length} bytes, expected 16`);
        const entries = decodeListpack(r.blob());
        if (entries.length === 0) r.fail('Empty listpack inside stream');
        if (--this.nodes === 0) this.phase = 'meta';
        return false;
      }
      case 'meta':
        r.length();
        r.length();
        r.length();
        if (v2) {
          r.length();
          r.length();
          r.length();
          r.length();
          r.length();
        }
        this.phase = 'group-count';
        return false;
      case 'group-count':
        this.groups = r.length();
        this.phase = this.groups > 0 ? 'group' : 'done';
        return this.phase === 'done';
      case 'group':
        r.string();
        r.length();
        r.length();
        if (v2) r.length();
        this.pending = r.length();
        this.phase = this.pending > 0 ? 'group-pel' : 'consumer-count';
        return false;
      case 'group-pel':
        r.raw(16);
        r.raw(8);
        r.length();
        if (--this.pending === 0) this.phase = 'consumer-count';
        return false;
      case 'consumer-count':
        this.consumers = r.length();
        if (this.consumers > 0) this.phase = 'consumer';
        else return this.endGroup();
        return false;
      case 'consumer':
        r.string();
        r.raw(8);
        if (this.type === RDB_TYPE_STREAM_LISTPACKS_3) r.raw(8);
        this.pending = r.length();
        if (this.pending > 0) this.phase = 'consumer-pel';
        else return this.endConsumer();
        return false;
      case 'consumer-pel':
        r.raw(16);
        if (--this.pending === 0) return this.endConsumer();
        return false;
      case 'done':
        return true;
    }
  }

  private endConsumer(): boolean {
    if (--this.consumers > 0) {
      this.phase = 'consumer';
      return false;
    }
    return this.endGroup();
  }

  private endGroup(): boolean {
    if (--this.groups > 0) {
      this.phase = 'group';
      return false;
    }
    this.phase = 'done';
    return true;
  }
}
