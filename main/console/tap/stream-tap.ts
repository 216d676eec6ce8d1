/**
 * One tap of one master, from PSYNC to its end: the handshake and PSYNC
 * (tap-link.ts), the live stream and its ACKs (tap-stream.ts), the figures
 * (stream-stats.ts), and the end said in words.
 *
 * Lifecycle (state in the report):
 *   starting  -> streaming   the master answered +CONTINUE
 *   starting  -> declined    it offered a full resync (the tap closed without reading an RDB)
 *   starting  -> failed      no connection, AUTH or PSYNC refused
 *   streaming -> stopped     stopped here, or the master ended it (the message says why)
 *
 * Why a stream ended is read from the master itself, over the session's own
 * connection, right after the tap's connection closed:
 *  - it is no longer a master: a promotion elsewhere; the new master is named
 *    (it is also checked every ROLE_CHECK_MS while streaming, because a
 *    demoted master may keep its replicas and go on streaming its new
 *    master's writes);
 *  - its offset is past the tap's by at least the replica output-buffer
 *    limit: the master dropped the tap for client-output-buffer-limit (Redis
 *    logs it; INFO in 7.0 has no counter for it, so this is inferred and
 *    worded so);
 *  - otherwise: closed by the master, with the socket's error when there was one.
 */
import type { Redis } from 'ioredis';
import type { TapOptions, TapReport, TapState } from '../../../shared/contract/tap';
import { KeyLabeler, type KeyNames } from './key-labels';
import { DEFAULT_REPL_TIMEOUT, effectiveHardLimit, readReplicationConfig, readReplicationFacts, type ReplicationConfig, type ReplicationFacts } from './master-facts';
import { StreamStats } from './stream-stats';
import { TapLink, TapLinkError, type PsyncAnswer, type TapLinkTarget } from './tap-link';
import { TapStream, type StreamEnd } from './tap-stream';
import { bytesText } from './tap-wording';

export const ROLE_CHECK_MS = 5000;

export interface StreamTapOptions {
  readonly sessionId: string;
  readonly nodeId: string;
  /** The session's connection to the master (INFO, CONFIG GET); the tap's own connection sends only the handshake, PSYNC and ACKs. */
  readonly client: Redis;
  readonly target: TapLinkTarget;
  readonly options: TapOptions;
  readonly keyNames: KeyNames;
  /** Where to ask PSYNC to continue; by default the master's replid and master_repl_offset + 1, read just before. */
  readonly position?: { readonly replid: string; readonly offset: number };
  /** Called once when the tap leaves `streaming` (or never reaches it). */
  readonly onEnd?: (report: TapReport) => void;
  /** Called just before the tap's PSYNC; what it returns gets the answer's kind ('unknown' when none came). */
  readonly onPsync?: () => (kind: PsyncAnswer['kind'] | 'unknown') => void;
  /**
   * The time the figures are counted and reported at (Date.now by default).
   * Breakdowns cover the last WINDOW_SECONDS of this clock; a test that must
   * count a whole workload on a loaded machine slows it down so the workload
   * stays inside one window.
   */
  readonly clock?: () => number;
}

export class StreamTap {
  private state: TapState = 'starting';
  private message: string | null = null;
  private readonly clock: () => number;
  private readonly startedAt: number;
  private stoppedAt: number | null = null;
  private replid: string | null = null;
  private startOffset: number | null = null;
  private newMasterId: string | null = null;
  private facts: ReplicationFacts | null = null;
  private config: ReplicationConfig | null = null;
  private options: TapOptions;
  private readonly stats: StreamStats;
  private stream: TapStream | null = null;
  private roleTimer: NodeJS.Timeout | null = null;
  private ending: Promise<void> | null = null;

  private constructor(private readonly settings: StreamTapOptions) {
    this.options = settings.options;
    this.clock = settings.clock ?? Date.now;
    this.startedAt = this.clock();
    this.stats = new StreamStats(new KeyLabeler(settings.keyNames), settings.options, this.startedAt);
  }

  /**
   * Attaches and returns the tap in whatever state it reached: streaming,
   * or declined/failed with the reason (never throws for the master's answer).
   */
  static async start(settings: StreamTapOptions): Promise<StreamTap> {
    const tap = new StreamTap(settings);
    await tap.attach();
    return tap;
  }

  get current(): TapState {
    return this.state;
  }

  private async attach(): Promise<void> {
    const { client, nodeId } = this.settings;
    let link: TapLink;
    try {
      this.facts = await readReplicationFacts(client);
      this.config = await readReplicationConfig(client);
      link = await TapLink.open(this.settings.target);
    } catch (failure) {
      this.finish('failed', `The tap could not attach to ${nodeId}: ${reason(failure)}`);
      return;
    }
    const position = this.settings.position ?? { replid: this.facts.replid, offset: this.facts.masterReplOffset + 1 };
    this.replid = position.replid;
    this.startOffset = position.offset;
    let answer: PsyncAnswer;
    const answered = this.settings.onPsync?.();
    try {
      answer = await link.psync(position.replid, position.offset);
      answered?.(answer.kind);
    } catch (failure) {
      answered?.('unknown');
      this.finish('failed', `PSYNC ${position.replid} ${position.offset} got no usable answer from ${nodeId}: ${reason(failure)}`);
      return;
    }
    if (answer.kind !== 'continue') {
      this.finish(answer.kind === 'error' ? 'failed' : 'declined', declineMessage(nodeId, position, answer));
      return;
    }
    this.state = 'streaming';
    this.message = null;
    this.stream = new TapStream(link, {
      startOffset: position.offset,
      replTimeoutSeconds: this.config?.replTimeout ?? DEFAULT_REPL_TIMEOUT,
      // The stream reads Date.now once per chunk; another clock is read per command.
      onCommand: this.settings.clock ? (command) => this.stats.record(command, this.clock()) : (command, now) => this.stats.record(command, now),
      onEnd: (end) => void this.streamEnded(end),
    });
    this.roleTimer = setInterval(() => void this.checkRole(), ROLE_CHECK_MS);
    this.roleTimer.unref?.();
  }

  /** New prefix separator or top N; takes effect for the next report (prefixes are recounted from now when the separator changes). */
  configure(options: TapOptions): void {
    this.options = options;
    this.stats.setOptions(options);
  }

  /** Closes the tap's connection (the master frees the replica) and waits until the end is reported. */
  async stop(): Promise<void> {
    if (this.state === 'streaming' && this.stream) this.stream.stop();
    await this.ending;
  }

  report(now = this.clock()): TapReport {
    const figures = this.stats.report(this.stoppedAt ?? now);
    const backlogSize = this.config?.backlogSize ?? this.facts?.backlogSize ?? null;
    const fill = (rate: number): number | null => (backlogSize !== null && rate > 0 ? backlogSize / rate : null);
    return {
      sessionId: this.settings.sessionId,
      nodeId: this.settings.nodeId,
      state: this.state,
      message: this.message,
      startedAt: this.startedAt,
      stoppedAt: this.stoppedAt,
      replid: this.replid,
      startOffset: this.startOffset,
      offset: this.stream ? this.stream.offset : null,
      options: this.options,
      keyNames: this.settings.keyNames,
      windowSeconds: figures.windowSeconds,
      totalBytes: figures.totalBytes,
      totalCommands: figures.totalCommands,
      bytesPerSec: figures.bytesPerSec,
      commandsPerSec: figures.commandsPerSec,
      peakBytesPerSec: figures.peakBytesPerSec,
      byCommand: figures.byCommand,
      byDb: figures.byDb,
      byPrefix: figures.byPrefix,
      backlogSizeBytes: backlogSize,
      backlogFillSeconds: fill(figures.bytesPerSec),
      backlogFillSecondsAtPeak: fill(figures.peakBytesPerSec),
      samples: figures.samples,
      newMasterId: this.newMasterId,
    };
  }

  private async checkRole(): Promise<void> {
    if (this.state !== 'streaming') return;
    const facts = await readReplicationFacts(this.settings.client).catch(() => null);
    if (!facts || facts.role === 'master' || this.state !== 'streaming') return;
    this.newMasterId = facts.masterHost !== null ? `${facts.masterHost}:${facts.masterPort ?? '?'}` : null;
    this.stream?.stop();
  }

  private streamEnded(end: StreamEnd): Promise<void> {
    this.ending ??= this.explainEnd(end);
    return this.ending;
  }

  private async explainEnd(end: StreamEnd): Promise<void> {
    if (this.roleTimer) clearInterval(this.roleTimer);
    const nodeId = this.settings.nodeId;
    const offset = this.stream?.offset ?? 0;
    const facts = await readReplicationFacts(this.settings.client).catch(() => null);
    if (facts && facts.role !== 'master') {
      this.newMasterId ??= facts.masterHost !== null ? `${facts.masterHost}:${facts.masterPort ?? '?'}` : null;
      const master = this.newMasterId ?? 'a master the INFO does not name';
      this.finish('stopped', `${nodeId} is now a replica of ${master} (a promotion elsewhere): the tap stopped at offset ${offset}. Tap ${master} to go on watching the writes.`);
      return;
    }
    switch (end.kind) {
      case 'stopped':
        this.finish('stopped', `Stopped; the tap's connection to ${nodeId} is closed (offset ${offset}).`);
        return;
      case 'timeout':
        this.finish('stopped', `No byte from ${nodeId} for ${end.seconds} s (repl-timeout ${this.config?.replTimeout ?? DEFAULT_REPL_TIMEOUT} s): the tap gave up at offset ${offset}, as a replica would.`);
        return;
      case 'protocol':
        this.finish('failed', `The stream from ${nodeId} was not a replication stream: ${end.message}. The tap closed its connection.`);
        return;
      case 'closed': {
        const behind = facts ? facts.masterReplOffset - offset : null;
        const limit = this.config?.replicaOutputLimit;
        const hard = limit && this.config ? effectiveHardLimit(limit, this.config.backlogSize) : 0;
        const soft = limit?.softBytes ?? 0;
        const over = behind !== null && ((hard > 0 && behind >= hard) || (soft > 0 && behind >= soft));
        if (over && limit) {
          this.finish('stopped', `${nodeId} closed the tap's connection when the tap was ${bytesText(behind)} behind (offset ${offset}, master at ${facts?.masterReplOffset}): past client-output-buffer-limit replica (hard ${bytesText(hard)}${soft > 0 ? `, soft ${bytesText(soft)} for ${limit.softSeconds} s` : ''}), so the master most likely dropped it for its output buffer ("scheduled to be closed ASAP for overcoming of output buffer limits" in its log). The console did not read the stream fast enough; start again to resume from the master's offset now.`);
        } else {
          this.finish('stopped', `${nodeId} closed the tap's connection at offset ${offset}${end.error ? ` (${end.error})` : ''}${behind !== null ? `; the master is at ${facts?.masterReplOffset}` : ''}.`);
        }
        return;
      }
    }
  }

  private finish(state: TapState, message: string): void {
    if (this.roleTimer) clearInterval(this.roleTimer);
    this.state = state;
    this.message = message;
    this.stoppedAt = this.clock();
    this.settings.onEnd?.(this.report(this.stoppedAt));
  }
}

function reason(failure: unknown): string {
  return failure instanceof TapLinkError || failure instanceof Error ? failure.message : String(failure);
}

function declineMessage(nodeId: string, position: { replid: string; offset: number }, answer: Exclude<PsyncAnswer, { kind: 'continue' }>): string {
  const asked = `PSYNC ${position.replid} ${position.offset}`;
  switch (answer.kind) {
    case 'full-resync':
      return `${nodeId} answered ${asked} with +FULLRESYNC ${answer.replid} ${answer.offset}: it cannot continue from there (its backlog moved on, or its replication id changed). The tap closed the connection at once and read no RDB; the snapshot the master started for it is abandoned. Start again to ask from the master's offset now.`;
    case 'full-resync-queued':
      return `${nodeId} queued a full resync for ${asked} (a diskless master waiting repl-diskless-sync-delay): the tap closed the connection before the snapshot started, so nothing was forked and no RDB read. Start again to ask from the master's offset now.`;
    case 'error':
      return `${nodeId} refused ${asked}: ${answer.message}`;
  }
}
