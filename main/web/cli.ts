/**
 * `npm run web [-- --port N] [--no-demo] [--data-dir DIR] [--renderer-dir DIR]`:
 * the console in a browser. Starts the console service (the embedded demo
 * running, unless --no-demo), serves it on 127.0.0.1 behind a random token
 * and prints `Replscope console: http://127.0.0.1:<port>/?token=<token>`.
 * Secrets are kept in memory only in this mode (no OS keychain here).
 * Ctrl-C stops everything cleanly (the demo's engines release their ports).
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_READY_LINE_PREFIX } from '../../shared/contract/web-protocol';
import { createConsoleService } from '../console/create-console-service';
import { MEMORY_ONLY_SECRETS, type ConsoleLogger } from '../console/service-types';
import { startWebServer } from '../transport/web-server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function defaultDataDir(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'replscope-web');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portText = option(args, '--port');
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${portText}`);
  const dataDir = option(args, '--data-dir') ?? defaultDataDir();
  mkdirSync(dataDir, { recursive: true });
  const logger: ConsoleLogger = {
    info: (message) => process.stderr.write(`[info] ${message}\n`),
    warn: (message) => process.stderr.write(`[warn] ${message}\n`),
    error: (message) => process.stderr.write(`[error] ${message}\n`),
  };
  const service = await createConsoleService({
    dataDir, mode: 'web', version: process.env.npm_package_version ?? '0.1.0', secretStore: MEMORY_ONLY_SECRETS, logger,
    demo: { autoStart: !args.includes('--no-demo') },
  });
  const server = await startWebServer({ handler: service, staticDir: option(args, '--renderer-dir') ?? path.join(root, 'out/renderer'), port });
  process.stdout.write(`${WEB_READY_LINE_PREFIX}${server.url}\n`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((failure: unknown) => {
  process.stderr.write(`Replscope web mode could not start: ${failure instanceof Error ? failure.message : String(failure)}\n`);
  process.exit(1);
});
