/**
 * Collects the garbage a burst of commands left behind, once the node is
 * quiet. Redis frees a value the moment it is replaced; in V8 the dead
 * objects of a burst (argument strings and replaced values the scavenger
 * promoted to old space) stay resident until the next full collection, and
 * full collections are started by allocation: a node that goes quiet after
 * a bulk load keeps them indefinitely. V8's memory reducer is meant to
 * catch that case, but it waits 8 s and then only runs when its own idle
 * heuristics agree: after 1M small keys built by commands the engine's RSS
 * 2 s after the load was 243-262 MB and, in one run of two, still 260 MB
 * 10 s after it (heap used 201 MB, 185 MB once collected).
 *
 * Rule: on the server cron, once no command has been processed for
 * QUIET_MS and the V8 heap has grown by GROWTH_BYTES since the last such
 * collection, one full collection is started, asynchronously (incremental
 * and concurrent marking: the event loop keeps serving clients while it
 * runs). A node that keeps processing commands is never collected here;
 * V8's own heuristics run it as before.
 *
 * The collection function is V8's `gc` extension, made available for one
 * new context only (the flag is switched off again at once), so the
 * engine's own global object never has a `gc` property.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** No command processed for this long: the node counts as quiet. */
const QUIET_MS = 1000;
/** Heap growth since the last idle collection that makes one worth its cost. */
const GROWTH_BYTES = 32 * 1024 * 1024;

type MajorGc = (options: { type: 'major'; execution: 'async' }) => unknown;

let majorGc: MajorGc | null | undefined;

/** V8's gc function, or null when this V8 does not provide one. */
function obtainMajorGc(): MajorGc | null {
  if (majorGc !== undefined) return majorGc;
  setFlagsFromString('--expose-gc');
  try {
    const candidate: unknown = runInNewContext('gc');
    majorGc = typeof candidate === 'function' ? (candidate as MajorGc) : null;
  } catch {
    majorGc = null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return majorGc;
}

export class IdleCollector {
  private lastCommandCount = -1;
  private quietSince = 0;
  /** Heap used after the last idle collection (or at start). */
  private baseline = getHeapStatistics().used_heap_size;
  private collecting = false;
  /** Idle collections started, for tests and INFO-style reporting. */
  collections = 0;

  /** Called from the server cron with the node's commands-processed counter. */
  cron(commandCount: number, now: number): void {
    if (commandCount !== this.lastCommandCount) {
      this.lastCommandCount = commandCount;
      this.quietSince = now;
      return;
    }
    if (this.collecting || now - this.quietSince < QUIET_MS) return;
    const used = getHeapStatistics().used_heap_size;
    if (used - this.baseline < GROWTH_BYTES) {
      // The heap shrank (V8 collected on its own): measure growth from there.
      if (used < this.baseline) this.baseline = used;
      return;
    }
    const gc = obtainMajorGc();
    if (gc === null) return;
    this.collecting = true;
    this.collections++;
    void Promise.resolve(gc({ type: 'major', execution: 'async' })).finally(() => {
      this.collecting = false;
      this.baseline = getHeapStatistics().used_heap_size;
    });
  }
}
