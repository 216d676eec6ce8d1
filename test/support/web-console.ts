/**
 * The console as a user starts it (`npm start` / `npm run web`): a child
 * process that prints `Replscope console: <url>` once it serves, and a
 * Chromium page on that URL that records what the page logs as errors
 * (console errors, CSP violations, uncaught exceptions).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WEB_READY_LINE_PREFIX } from '../../shared/contract/web-protocol';

const root = path.resolve(import.meta.dirname, '../..');

export interface WebConsoleProcess {
  readonly child: ChildProcess;
  /** The URL of the ready line, token included. */
  readonly url: URL;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then the exit code once it has exited (null when killed by a signal). */
  stop(): Promise<number | null>;
}

/**
 * Spawns `node <args>` in the project root and resolves once the ready line
 * is printed; rejects (and kills the child) if it exits or stays silent for
 * `timeoutMs`.
 */
export async function startWebConsole(args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<WebConsoleProcess> {
  const child = spawn(process.execPath, args, { cwd: root, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no ready line within ${options.timeoutMs ?? 60_000} ms: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = out.split('\n').find((candidate) => candidate.startsWith(WEB_READY_LINE_PREFIX));
      if (found === undefined) return;
      clearTimeout(timer);
      resolve(found);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${code}: ${stderr}`));
    });
  });
  return { child, url: new URL(line.slice(WEB_READY_LINE_PREFIX.length).trim()), stderr: () => stderr, stop };
}

export interface ConsolePage {
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors, CSP violations and uncaught exceptions, in order. */
  readonly problems: string[];
}

/** Debian's Chromium, headless and without its sandbox (the tests run as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'], headless: true });
}

/** Debian's Chromium on `url`. */
export async function openConsolePage(url: URL | string): Promise<ConsolePage> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (failure) => problems.push(`pageerror: ${failure.message}`));
  await page.goto(String(url));
  return { browser, page, problems };
}
