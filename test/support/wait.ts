/**
 * Polls a condition until it holds or a deadline passes (no fixed sleeps in tests). The condition is
 * looked at once more when the deadline has passed: on a starved test process one sleep between two
 * looks can outlast the whole limit (the timer fires seconds late), and a condition that came true
 * meanwhile must not fail unseen.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 25, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    const last = Date.now() >= deadline;
    try {
      if (await condition()) return;
    } catch (failure) {
      lastError = failure;
    }
    if (last) break;
    await sleep(intervalMs);
  }
  const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
