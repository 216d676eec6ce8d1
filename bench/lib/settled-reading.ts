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
 * pages after a delay.
 *
 * Rule: wait `firstMs`, then read every `stepMs` until a reading falls by
 * less than 1% from the one before (or `maxMs` have passed since the
 * first); the last reading is the figure.
 */
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function settledReading(read: () => number | Promise<number>, options: { firstMs?: number; stepMs?: number; maxMs?: number } = {}): Promise<number> {
  const { firstMs = 2000, stepMs = 1000, maxMs = 10_000 } = options;
  await sleep(firstMs);
  let previous = await read();
  for (let waited = 0; waited < maxMs; waited += stepMs) {
    await sleep(stepMs);
    const reading = await read();
    if (reading > previous * 0.99) return reading;
    previous = reading;
  }
  return previous;
}
