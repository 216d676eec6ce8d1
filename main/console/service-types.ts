/**
 * The seam between the console service (main/console) and whoever hosts it:
 * the Electron shell (main/app) and web mode (main/transport/web-server).
 * Hosts create the service with createConsoleService (create-console-service.ts)
 * and serve it through the ApiHandler interface; nothing here imports electron.
 */
import type { DemoSpec, SecretStorage } from '../../shared/contract';
import type { ApiHandler } from '../transport/api-handler';

/** Encrypts profile secrets at rest. Electron: safeStorage. Web mode: none (secrets stay in memory). */
export interface SecretStore {
  readonly kind: SecretStorage;
  /** True when encrypt/decrypt work; when false, secrets are never written to disk. */
  readonly available: boolean;
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
}

/** Where the service writes its lines; hosts send them to a rotating file and/or stderr. Never given secrets. */
export interface ConsoleLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ConsoleServiceOptions {
  /** Directory for profiles.json, settings.json, the persisted event log (created when missing). */
  readonly dataDir: string;
  readonly mode: 'electron' | 'web';
  readonly version: string;
  readonly secretStore: SecretStore;
  readonly logger: ConsoleLogger;
  /** Start the embedded demo at once (npm start does); spec defaults to a master and one replica. */
  readonly demo?: { readonly autoStart: boolean; readonly spec?: Partial<DemoSpec> };
  /**
   * A native open-file dialog (the Electron shell's); resolves to the chosen
   * path, or null when cancelled. Absent in web mode, where the renderer
   * uploads the file instead (incident.open).
   */
  readonly chooseFile?: (request: { readonly title: string; readonly extensions: readonly string[] }) => Promise<string | null>;
}

export interface ConsoleService extends ApiHandler {
  /** Stops pollers, closes every connection and tunnel, stops the demo's engines (ports released). */
  close(): Promise<void>;
}

/** A SecretStore that keeps nothing on disk (web mode, or safeStorage unavailable). */
export const MEMORY_ONLY_SECRETS: SecretStore = {
  kind: 'memory-only',
  available: false,
  encrypt: () => { throw new Error('secret storage is not available: secrets are kept in memory only'); },
  decrypt: () => { throw new Error('secret storage is not available: secrets are kept in memory only'); },
};
