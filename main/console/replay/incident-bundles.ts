/**
 * The incident bundles of the console service: the topology states of each
 * session (topology-trail.ts), and the three API methods on bundles.
 *
 *  - export: a session's range written as one file (bundle-writer.ts), its
 *    series from the on-disk history or, for a deployment without one, the
 *    monitor's in-memory hour;
 *  - open: a file the renderer read (web mode: uploaded), validated
 *    (bundle-reader.ts);
 *  - choose: the host's file dialog (Electron), then the chosen file read
 *    and validated the same way; null when cancelled.
 *
 * Every refusal is an IncidentError (`invalid-request`) whose message names
 * the file or the range and what is wrong; nothing here keeps a bundle.
 */
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { HistoryRange, HistoryRangeRequest } from '../../../shared/contract/history-archive';
import type { BundleSeries, IncidentExport, IncidentExportRequest, IncidentOpenRequest, OpenedBundle } from '../../../shared/contract/incident-bundle';
import type { SessionInfo } from '../../../shared/contract/sessions';
import type { HistoryBlock, TopologySnapshot } from '../../../shared/contract/snapshots';
import type { ConsoleServiceOptions } from '../service-types';
import { BundleError, parseBundle, readBundleFile } from './bundle-reader';
import { BundleRangeError, bundleRange, writeBundle } from './bundle-writer';
import { TopologyTrail } from './topology-trail';

export class IncidentError extends Error {
  readonly code = 'invalid-request' as const;
}

/** What a bundle is exported from: a session and its monitor. */
export interface BundledSession {
  readonly info: SessionInfo;
  readonly monitor: {
    snapshot(): TopologySnapshot;
    historyBlock(request: { sinceMs?: number }): HistoryBlock;
  };
}

export interface IncidentSources {
  readonly version: string;
  readonly chooseFile: ConsoleServiceOptions['chooseFile'];
  /** The session's events from fromMs, each as it stood at toMs (the event log, BundleSources.events). */
  events(sessionId: string, fromMs: number, toMs: number): ReplicationEvent[];
  /** The on-disk history of the range; null when the session's deployment has no archive. */
  archived(request: HistoryRangeRequest): HistoryRange | null;
}

export class IncidentBundles {
  private readonly trail = new TopologyTrail();

  constructor(private readonly sources: IncidentSources) {}

  /** Every snapshot of every session passes here (the trail keeps the changes). */
  record(snapshot: TopologySnapshot): void {
    this.trail.record(snapshot);
  }

  forget(sessionId: string): void {
    this.trail.forget(sessionId);
  }

  export(session: BundledSession, request: IncidentExportRequest): IncidentExport {
    const now = Date.now();
    const { sessionId } = session.info;
    return refusing(BundleRangeError, () => writeBundle({
      session: session.info,
      exportedBy: `Replscope ${this.sources.version}`,
      now,
      events: (fromMs, toMs) => this.sources.events(sessionId, fromMs, toMs),
      topology: (fromMs, toMs) => this.trail.between(sessionId, fromMs, toMs),
      current: () => session.monitor.snapshot(),
      series: (fromMs, toMs, resolution) => this.series(session, fromMs, toMs, resolution),
    }, bundleRange(request, now, this.trail.earliest(sessionId))));
  }

  open(request: IncidentOpenRequest): OpenedBundle {
    return refusing(BundleError, () => parseBundle(request.fileName, request.text));
  }

  async choose(): Promise<OpenedBundle | null> {
    const chooseFile = this.sources.chooseFile;
    if (!chooseFile) throw new IncidentError('this console has no file dialog (web mode): upload the bundle with Open incident bundle');
    const file = await chooseFile({ title: 'Open an incident bundle', extensions: ['json'] });
    if (file === null) return null;
    try {
      return await readBundleFile(file);
    } catch (failure) {
      if (failure instanceof BundleError) throw new IncidentError(failure.message);
      throw failure;
    }
  }

  /** The on-disk series of the range, or the in-memory hour when the deployment has no archive. */
  private series(session: BundledSession, fromMs: number, toMs: number, resolution: BundleSeries['resolution']): BundleSeries {
    const archived = this.sources.archived({ sessionId: session.info.sessionId, fromMs, toMs, resolution });
    if (archived !== null) return { resolution: archived.resolution, times: archived.times, series: archived.series };
    const block = session.monitor.historyBlock({ sinceMs: fromMs });
    const keep = block.times.filter((time) => time <= toMs).length;
    return { resolution: 'second', times: block.times.slice(0, keep), series: Object.fromEntries(Object.entries(block.series).map(([id, values]) => [id, values.slice(0, keep)])) };
  }
}

/** Runs `work`, turning the given error class into an IncidentError (its message is already the user's sentence). */
function refusing<T>(kind: new (...args: never[]) => Error, work: () => T): T {
  try {
    return work();
  } catch (failure) {
    if (failure instanceof kind) throw new IncidentError(failure.message);
    throw failure;
  }
}
