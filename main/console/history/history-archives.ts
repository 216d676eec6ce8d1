/**
 * The on-disk history of every attached session (series-archive.ts), kept
 * per deployment under `<dataDir>/history/<profile id>` (the demo: `demo`),
 * so a profile connected again after a restart of the console finds its
 * past day and month. Only one session of a profile is attached at a time
 * (connect reuses it), so one archive has one writer.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { seriesValuesOf } from '../../../shared/contract/series';
import type { HistoryCsv, HistoryRange, HistoryRangeRequest, HistoryUsage } from '../../../shared/contract/history-archive';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';
import type { ConsoleLogger } from '../service-types';
import { deploymentKey } from '../service/deployment-key';
import { rangeToCsv } from './csv-export';
import { archiveFiles, SeriesArchive } from './series-archive';

export const DEFAULT_HISTORY_MEGABYTES = 256;
const MB = 1024 * 1024;

export class HistoryArchives {
  private readonly archives = new Map<string, { archive: SeriesArchive; name: string }>();
  private maxBytes = DEFAULT_HISTORY_MEGABYTES * MB;

  constructor(private readonly dataDir: string, private readonly logger: ConsoleLogger) {}

  setMaxMegabytes(megabytes: number | undefined): void {
    this.maxBytes = (megabytes ?? DEFAULT_HISTORY_MEGABYTES) * MB;
    for (const { archive } of this.archives.values()) archive.setMaxBytes(this.maxBytes);
  }

  /** Starts (or resumes) the archive of a session's deployment: `profileId` null is the demo. */
  attach(sessionId: string, profileId: string | null, name: string): void {
    const key = deploymentKey(profileId);
    let warned = false;
    const archive = new SeriesArchive(path.join(this.dataDir, 'history', key), this.maxBytes, (message) => {
      // One warning per session: a full disk would otherwise log every second.
      if (!warned) this.logger.warn(message);
      warned = true;
    });
    this.archives.set(sessionId, { archive, name });
  }

  /**
   * Bytes on disk per deployment directory, attached or not (a profile not
   * connected since keeps its files until it is: it is pruned when attached).
   * `nameOf` names a directory key (profile id or `demo`), null when none.
   */
  usage(nameOf: (key: string) => string | null): HistoryUsage {
    let keys: string[] = [];
    try {
      keys = readdirSync(path.join(this.dataDir, 'history'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    } catch {
      // No history yet.
    }
    const deployments = keys.map((key) => {
      const files = archiveFiles(path.join(this.dataDir, 'history', key));
      return { key, name: nameOf(key) ?? 'deleted profile', bytes: files.reduce((sum, file) => sum + file.bytes, 0), files: files.length };
    }).sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
    return { maxMegabytes: this.maxBytes / MB, totalBytes: deployments.reduce((sum, deployment) => sum + deployment.bytes, 0), deployments };
  }

  record(snapshot: TopologySnapshot): void {
    this.archives.get(snapshot.sessionId)?.archive.record(snapshot.time, seriesValuesOf(snapshot));
  }

  detach(sessionId: string): void {
    this.archives.get(sessionId)?.archive.flush();
    this.archives.delete(sessionId);
  }

  range(request: HistoryRangeRequest): HistoryRange | null {
    const entry = this.archives.get(request.sessionId);
    if (!entry) return null;
    return { sessionId: request.sessionId, ...entry.archive.range(request.fromMs, request.toMs, request.series, Date.now(), request.resolution) };
  }

  csv(request: HistoryRangeRequest): HistoryCsv | null {
    const entry = this.archives.get(request.sessionId);
    if (!entry) return null;
    const range = entry.archive.range(request.fromMs, request.toMs, request.series, Date.now(), request.resolution);
    const ids = request.series ?? Object.keys(range.series);
    const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[:.]/g, '-');
    return {
      fileName: `replscope-${entry.name.replace(/[^a-z0-9-]+/gi, '_')}-${stamp(request.fromMs)}-${stamp(request.toMs)}.csv`,
      csv: rangeToCsv(range, ids),
      rows: range.times.length,
    };
  }
}
