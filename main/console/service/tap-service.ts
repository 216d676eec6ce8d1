/**
 * The console's stream taps: at most one per (session, node), each started
 * only after a fresh preflight allows it, with the min-replicas consent when
 * the preflight asks for it. While a tap streams, its report is pushed once
 * a second; its last report (why it stopped) stays until the next start or
 * until the session goes, so the view can show it.
 */
import type { TapConfigureRequest, TapPreflight, TapReport, TapStartRequest } from '../../../shared/contract/tap';
import { DEFAULT_TAP_OPTIONS } from '../../../shared/contract/tap';
import type { ProfileFields } from '../../../shared/contract/profiles';
import type { DeploymentMonitor } from '../monitor/deployment-monitor';
import { keyNamesFor } from '../tap/key-labels';
import { StreamTap } from '../tap/stream-tap';
import { tapPreflight } from '../tap/tap-preflight';
import type { ConsoleLogger } from '../service-types';

export const REPORT_PUSH_MS = 1000;

export interface TapSessionContext {
  readonly sessionId: string;
  readonly profile: ProfileFields;
  readonly monitor: DeploymentMonitor;
  /** The embedded demo's session (its own nodes are told by the snapshot's `embedded`). */
  readonly embedded: boolean;
}

export class TapRequestError extends Error {
  constructor(readonly code: 'not-found' | 'conflict' | 'confirmation-required', message: string) {
    super(message);
  }
}

interface Entry {
  readonly tap: StreamTap;
  last: TapReport;
}

const keyOf = (sessionId: string, nodeId: string): string => `${sessionId}\u0000${nodeId}`;

export class TapService {
  private readonly taps = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly push: (report: TapReport) => void,
    private readonly logger: ConsoleLogger,
  ) {
    this.timer = setInterval(() => this.pushStreaming(), REPORT_PUSH_MS);
    this.timer.unref?.();
  }

  async preflight(context: TapSessionContext, nodeId: string): Promise<TapPreflight> {
    return (await this.runPreflight(context, nodeId)).preflight;
  }

  async start(context: TapSessionContext, request: TapStartRequest): Promise<TapReport> {
    const { nodeId } = request;
    const { preflight } = await this.runPreflight(context, nodeId);
    if (!preflight.allowed) {
      const refusals = preflight.checks.filter((check) => check.status === 'refuse').map((check) => check.detail);
      throw new TapRequestError('conflict', `The tap cannot start on ${nodeId}: ${refusals.join(' ')}`);
    }
    if (preflight.needsConfirmation && !request.confirmMinReplicas) {
      throw new TapRequestError('confirmation-required', `${nodeId} has min-replicas-to-write in force: the tap would count as a good replica. Confirm to attach anyway.`);
    }
    const target = await context.monitor.connectionTarget(nodeId);
    const client = context.monitor.client(nodeId);
    if (!target || !client) throw new TapRequestError('not-found', `${nodeId} is not a node of this session`);
    const key = keyOf(context.sessionId, nodeId);
    const tap = await StreamTap.start({
      sessionId: context.sessionId, nodeId, client, target,
      options: request.options ?? DEFAULT_TAP_OPTIONS,
      keyNames: keyNamesFor(context.profile.safetyMode),
      // The master counts the tap's PSYNC in its sync counters: not a replica's resync.
      onPsync: () => context.monitor.noteTapPsync(nodeId),
      onEnd: (report) => {
        const entry = this.taps.get(key);
        if (entry?.tap === tap) entry.last = report;
        if (report.message) this.logger.info(`stream tap ${nodeId}: ${report.state}: ${report.message}`);
        this.push(report);
      },
    });
    const report = tap.report();
    this.taps.set(key, { tap, last: report });
    if (report.state === 'streaming') this.logger.info(`stream tap ${nodeId}: streaming from offset ${report.startOffset}`);
    this.push(report);
    return report;
  }

  async stop(sessionId: string, nodeId: string): Promise<TapReport> {
    const entry = this.taps.get(keyOf(sessionId, nodeId));
    if (!entry) throw new TapRequestError('not-found', `${nodeId} is not tapped in this session`);
    await entry.tap.stop();
    entry.last = entry.tap.report();
    return entry.last;
  }

  configure(request: TapConfigureRequest): TapReport {
    const entry = this.taps.get(keyOf(request.sessionId, request.nodeId));
    if (!entry) throw new TapRequestError('not-found', `${request.nodeId} is not tapped in this session`);
    entry.tap.configure(request.options);
    entry.last = entry.tap.report();
    return entry.last;
  }

  /** The session's taps: live reports of running ones, the last report of ended ones. */
  list(sessionId: string): TapReport[] {
    const reports: TapReport[] = [];
    for (const entry of this.taps.values()) {
      if (entry.last.sessionId !== sessionId) continue;
      reports.push(entry.tap.current === 'streaming' ? entry.tap.report() : entry.last);
    }
    return reports;
  }

  /** Stops and forgets the session's taps (the session is going). */
  async closeSession(sessionId: string): Promise<void> {
    for (const [key, entry] of [...this.taps]) {
      if (entry.last.sessionId !== sessionId) continue;
      this.taps.delete(key);
      await entry.tap.stop();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const entry of [...this.taps.values()]) await entry.tap.stop();
    this.taps.clear();
  }

  private runPreflight(context: TapSessionContext, nodeId: string): ReturnType<typeof tapPreflight> {
    const client = context.monitor.client(nodeId);
    if (!client) throw new TapRequestError('not-found', `${nodeId} is not a node of this session`);
    const existing = this.taps.get(keyOf(context.sessionId, nodeId));
    // In the demo's session only its own engines are the demo's; a real node found there is not (actions.ts refuses it too).
    const embeddedNode = context.embedded && context.monitor.isEmbedded(nodeId);
    return tapPreflight({
      sessionId: context.sessionId, nodeId, profile: context.profile, embedded: embeddedNode, foreignInDemo: context.embedded && !embeddedNode, client,
      alreadyTapped: existing?.tap.current === 'streaming',
    });
  }

  private pushStreaming(): void {
    const now = Date.now();
    for (const entry of this.taps.values()) if (entry.tap.current === 'streaming') this.push(entry.tap.report(now));
  }
}
