/**
 * The set-up every end-to-end file shares: a fresh data directory, the
 * console started as a user starts it (`scripts/start.mjs --web`, which
 * builds the renderer when it is missing or stale, with or without the
 * embedded demo), and Debian's Chromium on its tokenised URL. `close()`
 * undoes all of it in the reverse order and may be called on a session that
 * was only half set up (an `afterAll` after a failed `beforeAll`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openConsolePage, startWebConsole, type ConsolePage, type WebConsoleProcess } from './web-console';

const root = path.resolve(import.meta.dirname, '../..');
/** Where the e2e screenshots go: test artifacts, never committed. */
export const E2E_ARTIFACTS = path.join(root, 'test-artifacts/e2e');

export interface ConsoleSessionOptions {
  /** Names the data directory (`replscope-e2e-<name>-XXXXXX` in the OS temp dir). */
  readonly name: string;
  /** false starts web mode without the embedded demo (`--no-demo`); default true. */
  readonly demo?: boolean;
  /** An existing data directory to start on (a restart); it is then not removed by close(). */
  readonly dataDir?: string;
}

export interface ConsoleSession extends ConsolePage {
  readonly process: WebConsoleProcess;
  readonly dataDir: string;
  /** A screenshot of the page as `test-artifacts/e2e/<name>.png`. */
  shoot(name: string): Promise<void>;
  /** Closes Chromium, stops the console, removes the data directory it made. */
  close(): Promise<void>;
}

/** First start of the console builds the renderer, which can take most of two minutes on the shared machine. */
const START_TIMEOUT_MS = 110_000;

export async function openConsoleSession(options: ConsoleSessionOptions): Promise<ConsoleSession> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), `replscope-e2e-${options.name}-`));
  const args = ['scripts/start.mjs', '--web', ...(options.demo === false ? ['--no-demo'] : []), '--data-dir', dataDir];
  const removeDataDir = (): void => {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  let consoleProcess: WebConsoleProcess;
  try {
    consoleProcess = await startWebConsole(args, { timeoutMs: START_TIMEOUT_MS });
  } catch (failure) {
    removeDataDir();
    throw failure;
  }
  let consolePage: ConsolePage;
  try {
    consolePage = await openConsolePage(consoleProcess.url);
  } catch (failure) {
    await consoleProcess.stop();
    removeDataDir();
    throw failure;
  }
  return {
    ...consolePage,
    process: consoleProcess,
    dataDir,
    async shoot(name: string): Promise<void> {
      mkdirSync(E2E_ARTIFACTS, { recursive: true });
      await consolePage.page.screenshot({ path: path.join(E2E_ARTIFACTS, `${name}.png`) });
    },
    async close(): Promise<void> {
      await consolePage.browser.close();
      await consoleProcess.stop();
      removeDataDir();
    },
  };
}
