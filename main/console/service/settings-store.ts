/**
 * Console settings in `<dataDir>/settings.json`: read with defaults for
 * anything missing or invalid (the bad file is kept aside), saved
 * atomically; listeners apply changes to live sessions (poll interval).
 */
import path from 'node:path';
import { DEFAULT_SETTINGS, Settings } from '../../../shared/contract/settings';
import type { ConsoleLogger } from '../service-types';
import { keepBackup, readJson, writeJsonAtomic } from './json-file';

export class SettingsStore {
  private value: Settings = DEFAULT_SETTINGS;
  private readonly listeners = new Set<(settings: Settings) => void>();
  private readonly file: string;

  constructor(dataDir: string, logger: ConsoleLogger) {
    this.file = path.join(dataDir, 'settings.json');
    const read = readJson(this.file);
    if (read.kind === 'corrupt') logger.warn(`settings.json could not be read (${read.reason}); defaults are used and the file was kept as ${path.basename(read.backup)}`);
    if (read.kind === 'ok') {
      const parsed = Settings.safeParse({ ...DEFAULT_SETTINGS, ...(read.value as object), thresholds: { ...DEFAULT_SETTINGS.thresholds, ...((read.value as { thresholds?: object }).thresholds ?? {}) } });
      if (parsed.success) this.value = parsed.data;
      else {
        const backup = keepBackup(this.file, 'invalid');
        logger.warn(`settings.json is not valid (${parsed.error.issues[0]?.message ?? 'unknown'}); defaults are used and the file was kept as ${path.basename(backup)}`);
      }
    }
  }

  get(): Settings {
    return this.value;
  }

  set(settings: Settings): Settings {
    this.value = settings;
    writeJsonAtomic(this.file, settings);
    for (const listener of this.listeners) listener(settings);
    return settings;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
