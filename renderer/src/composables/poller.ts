/**
 * A poller whose runs carry a version ticket. Stopping, restarting or
 * retargeting the poller bumps the version, and a run that finishes under
 * an old ticket sees isCurrent() === false and must drop its result: a slow
 * answer about session A never overwrites session B on screen.
 * Runs never overlap: the next one is scheduled when the previous settles.
 */
import { ref, type Ref } from 'vue';

export interface Poller {
  readonly running: Ref<boolean>;
  start(): void;
  stop(): void;
  /** Drop in-flight results and run again now. */
  restart(): void;
}

export interface PollerOptions {
  readonly intervalMs: () => number;
  readonly run: (isCurrent: () => boolean) => Promise<void>;
}

export function createPoller(options: PollerOptions): Poller {
  const running = ref(false);
  let version = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function clearTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  async function tick(ticket: number): Promise<void> {
    const isCurrent = (): boolean => ticket === version && running.value;
    try {
      await options.run(isCurrent);
    } finally {
      if (isCurrent()) timer = setTimeout(() => void tick(ticket), Math.max(50, options.intervalMs()));
    }
  }

  function start(): void {
    if (running.value) return;
    running.value = true;
    void tick(++version);
  }

  function stop(): void {
    running.value = false;
    version += 1;
    clearTimer();
  }

  function restart(): void {
    stop();
    start();
  }

  return { running, start, stop, restart };
}
