/**
 * The alerts of each deployment on disk, so what fired, what was
 * acknowledged and what is silenced outlives a restart of the console (and a
 * disconnect): one file per profile, `<dataDir>/alerts/<profile id>.json`,
 * rewritten atomically whenever its alerts change (they change rarely: one
 * alert per rule and subject until it clears, no storms).
 *
 *   { "version": 1,
 *     "savedAt": 1764780000000,
 *     "alerts":   [Alert, ...],        oldest first, at most KEPT_ALERTS
 *     "silences": [AlertSilence, ...]  those not yet over }
 *
 * Bounded: at most KEPT_ALERTS alerts per deployment (the oldest cleared go
 * first, as in memory), and an alert cleared more than KEPT_FOR_MS ago (the
 * on-disk history's 30 days) is dropped when read. The `sessionId` stored in
 * each entry is the session that wrote it; a later session of the same
 * profile adopts them (alert-center.ts).
 *
 * Read defensively: every alert and silence is parsed on its own with the
 * shared schema, and a bad one is skipped (and counted in one warning)
 * without losing the others. A file that is not JSON, or of another version,
 * is kept aside as `<name>.corrupt-…` / `<name>.version-…` and the
 * deployment starts with no alerts. The demo is not kept: each of its runs
 * has new nodes on new ports (console-service.ts), so a past run's alerts
 * would name nodes that are gone.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Alert, AlertSilence } from '../../../shared/contract/alerts';
import type { ConsoleLogger } from '../service-types';
import { deploymentKey } from '../service/deployment-key';
import { keepBackup, readJson, writeJsonAtomic } from '../service/json-file';

export const ALERT_FILE_VERSION = 1;
/** Alerts kept per deployment, in memory and on disk. */
export const KEPT_ALERTS = 200;
/** A cleared alert is kept this long (the on-disk history's minute tier: 30 days). */
export const KEPT_FOR_MS = 30 * 24 * 60 * 60 * 1000;

export interface StoredAlerts {
  /** Oldest first. */
  readonly alerts: Alert[];
  readonly silences: AlertSilence[];
}

export class AlertStore {
  private readonly dir: string;

  constructor(dataDir: string, private readonly logger: ConsoleLogger) {
    this.dir = path.join(dataDir, 'alerts');
  }

  /** What a profile's earlier sessions left: nothing when there is no file (or it could not be used). */
  load(profileId: string, now = Date.now()): StoredAlerts {
    const file = this.fileOf(profileId);
    const name = `alerts/${path.basename(file)}`;
    const read = readJson(file);
    if (read.kind === 'corrupt') this.logger.warn(`${name} could not be read (${read.reason}); the profile starts with no alerts and the file was kept as ${path.basename(read.backup)}`);
    if (read.kind !== 'ok') return { alerts: [], silences: [] };
    const stored = (typeof read.value === 'object' && read.value !== null ? read.value : {}) as { version?: unknown; alerts?: unknown; silences?: unknown };
    if (stored.version !== ALERT_FILE_VERSION) {
      const backup = keepBackup(file, 'version');
      this.logger.warn(`${name} has format version ${String(stored.version)}, this console reads ${ALERT_FILE_VERSION}; the profile starts with no alerts and the file was kept as ${path.basename(backup)}`);
      return { alerts: [], silences: [] };
    }
    let skipped = 0;
    const alerts: Alert[] = [];
    for (const entry of Array.isArray(stored.alerts) ? stored.alerts : []) {
      const parsed = Alert.safeParse(entry);
      if (!parsed.success) skipped++;
      else if (parsed.data.clearedAt === null || parsed.data.clearedAt > now - KEPT_FOR_MS) alerts.push(parsed.data);
    }
    const silences: AlertSilence[] = [];
    for (const entry of Array.isArray(stored.silences) ? stored.silences : []) {
      const parsed = AlertSilence.safeParse(entry);
      if (!parsed.success) skipped++;
      else if (parsed.data.until > now) silences.push(parsed.data);
    }
    if (skipped > 0) this.logger.warn(`${name}: ${skipped} entr${skipped === 1 ? 'y is' : 'ies are'} not valid and were left out`);
    return { alerts: alerts.slice(-KEPT_ALERTS), silences };
  }

  save(profileId: string, state: StoredAlerts, now = Date.now()): void {
    try {
      writeJsonAtomic(this.fileOf(profileId), {
        version: ALERT_FILE_VERSION,
        savedAt: now,
        alerts: state.alerts.slice(-KEPT_ALERTS),
        silences: state.silences.filter((silence) => silence.until > now),
      });
    } catch (failure) {
      this.logger.warn(`alerts of profile ${profileId} could not be saved: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  /** A deleted profile's alerts go with it. */
  forget(profileId: string): void {
    rmSync(this.fileOf(profileId), { force: true });
  }

  private fileOf(profileId: string): string {
    return path.join(this.dir, `${deploymentKey(profileId)}.json`);
  }
}
