/**
 * A memory figure read once the server has settled after a load, the same
 * rule for both servers.
 *
 * A fixed wait is not enough on a loaded machine: V8 returns the pages a
 * full collection freed (an outgrown dict table, promoted garbage) from a
 * background thread, which on a busy 2-core machine can run seconds after
 * the collection. Measured on the engine at 5M keys (scaling's memory axis,
 * load average ~20): RSS 817.7 MB 2 s after the load, 705.7 MB one second
 * later, V8's heap total the same 602.9 MB at both readings; at 1M keys the
 * two readings were equal. redis-server's jemalloc likewise purges dirty
 * pages after a delay. A rule that stops at the first reading that did not
 * fall would stop on two equal readings taken before such a late drop, so
 * the window is fixed instead.
 *
 * Rule: read at `firstMs` after the load and then every `stepMs` up to
 * `lastMs` (by default every second from 2 s to 10 s, nine readings); the
 * figure is the smallest reading. A drop later than `lastMs` is not seen.
 */
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function settledReading(read: () => number | Promise<number>, options: { firstMs?: number; stepMs?: number; lastMs?: number } = {}): Promise<number> {
  const { firstMs = 2000, stepMs = 1000, lastMs = 10_000 } = options;
  await sleep(firstMs);
  let smallest = await read();
  for (let at = firstMs + stepMs; at <= lastMs; at += stepMs) {
    await sleep(stepMs);
    smallest = Math.min(smallest, await read());
  }
  return smallest;
}
