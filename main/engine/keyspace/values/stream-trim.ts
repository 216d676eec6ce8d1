/**
 * streamTrim: XADD's and XTRIM's MAXLEN / MINID, from the head of the
 * stream (oldest entries first).
 *
 * Whole nodes go while they may (MAXLEN: the node's live entries can all
 * go without the length dropping below maxlen; MINID: the node's last ID,
 * tombstones included, is below minid). Then, unless approximate (`~`),
 * entries inside the next node are tombstoned one by one until the target
 * is met, and trimming stops there. `limit` (0: none) caps how many
 * entries may go: a node that would pass it stops the trimming.
 *
 * Trimming inside a node may leave a node of tombstones only (MINID, as in
 * Redis); such a node goes with the next whole-node trim or XADD-time
 * deletion of its node.
 */
import { compareIds, MIN_ID, type StreamId } from './stream-id';
import { newStreamEntry, STREAM_ITEM_FLAG_DELETED } from './stream-node';
import type { StreamValue } from './stream-value';

export type TrimStrategy =
  | { readonly kind: 'maxlen'; readonly maxlen: number }
  | { readonly kind: 'minid'; readonly minid: StreamId };

export interface TrimSpec {
  readonly strategy: TrimStrategy;
  readonly approx: boolean;
  /** Maximum entries to delete, 0 for no limit. */
  readonly limit: number;
}

/** Returns how many entries were deleted. */
export function trimStream(stream: StreamValue, spec: TrimSpec): number {
  const { strategy, approx, limit } = spec;
  const entry = newStreamEntry();
  let deleted = 0;
  for (let found = stream.nodes.first(); found; found = stream.nodes.first()) {
    if (strategy.kind === 'maxlen' && stream.length <= strategy.maxlen) break;
    const node = found.value;
    const entries = node.live;
    if (limit > 0 && deleted + entries > limit) break;

    let removeNode: boolean;
    if (strategy.kind === 'maxlen') removeNode = stream.length - entries >= strategy.maxlen;
    else {
      node.readEntry(node.totalEntries - 1, entry);
      removeNode = compareIds(entry.id, strategy.minid) < 0;
    }
    if (removeNode) {
      stream.removeNode(node);
      stream.length -= entries;
      deleted += entries;
      continue;
    }
    if (approx) break;

    let deletedHere = 0;
    for (let index = 0; index < node.totalEntries; index++) {
      node.readEntry(index, entry);
      const stop = strategy.kind === 'maxlen' ? stream.length <= strategy.maxlen : compareIds(entry.id, strategy.minid) >= 0;
      if (stop) break;
      if ((entry.flags & STREAM_ITEM_FLAG_DELETED) === 0) {
        node.setDeletedFlag(entry.flagsPos);
        deletedHere++;
        stream.length--;
      }
    }
    node.setCounts(entries - deletedHere, node.deleted + deletedHere);
    deleted += deletedHere;
    break;
  }
  if (stream.length === 0) stream.firstId = MIN_ID;
  else if (deleted > 0) stream.firstId = stream.edgeId(true, true);
  return deleted;
}
