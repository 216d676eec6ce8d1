/**
 * A real stall between clock readings, for commands that must read the
 * clock once: from the call on, every reading of the engine's request
 * clock (Dispatcher.clock.wallAt: each command's fixed time, and every
 * CommandContext.mstime() inside EXEC or a script) is followed by a busy
 * wait of `stallMs` before its caller gets it, so any two readings are at
 * least that far apart, as on a loaded machine when a GC pause or a
 * preempted thread falls between them. Nothing is faked: each reading is
 * the clock's own, taken when asked. Returns the function that undoes it.
 */
import { afterEach } from 'vitest';
import type { EngineNode } from '../../main/engine/node';

export function stallEveryClockReading(node: EngineNode, stallMs: number): () => void {
  const clock = node.dispatcher.clock;
  const original = clock.wallAt;
  clock.wallAt = function stalledWallAt(monotonic: number): number {
    const reading = original.call(clock, monotonic);
    const until = performance.now() + stallMs;
    while (performance.now() < until) { /* the stall */ }
    return reading;
  };
  return () => { clock.wallAt = original; };
}

/**
 * For a test file: returns a function that stalls a node's clock readings
 * by `stallMs` (stallEveryClockReading) until the end of the current test;
 * every stall is undone after each test.
 */
export function useClockStallPerTest(stallMs: number): (node: EngineNode) => void {
  let unstall: (() => void) | null = null;
  afterEach(() => {
    unstall?.();
    unstall = null;
  });
  return (node) => {
    unstall?.();
    unstall = stallEveryClockReading(node, stallMs);
  };
}
