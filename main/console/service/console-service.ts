/**
 * The console service: every method of the API table (shared/contract/api.ts)
 * behind one ApiHandler, served the same way over Electron IPC and web mode.
 *
 * Every request is validated against its schema here too (defence in depth:
 * the transports validate first); every answer is an Envelope, never a
 * thrown error. Sessions are deployments being watched: one per connected
 * profile, plus the demo session while the embedded demo runs. Snapshots,
 * events, session lists, demo status and action results are pushed to
 * subscribers.
 */
import { API, isApiMethod, type ApiMethod, type ApiResponse, type PushMessage } from '../../../shared/contract/api';
import type { ActionRequest } from '../../../shared/contract/actions';
import { chaosTitle, outcomeText } from '../../../shared/contract/action-words';
import { DemoSpec, type ChaosSpec, type DemoStatus, type LoadSpec } from '../../../shared/contract/demo';
import { fail, ok, type Envelope, type ErrorCode } from '../../../shared/contract/envelope';
import { describePayloadError } from '../../../shared/contract/payload-problem';
import type { EventFilter, ReplicationEvent } from '../../../shared/contract/events';
import type { FleetRow } from '../../../shared/contract/fleet';
import type { HistoryRangeRequest } from '../../../shared/contract/history-archive';
import type { IncidentExportRequest, IncidentOpenRequest } from '../../../shared/contract/incident-bundle';
import type { NodeFacts, NodeFactsRequest } from '../../../shared/contract/node-facts';
import type { ProfileFields } from '../../../shared/contract/profiles';
import type { SessionInfo } from '../../../shared/contract/sessions';
import type { Settings } from '../../../shared/contract/settings';
import type { TapConfigureRequest, TapStartRequest, TapTarget } from '../../../shared/contract/tap';
import type { SetAlertRulesRequest, SilenceRef, SilenceRequest } from '../../../shared/contract/alerts';
import { AlertCenter } from '../alerts/alert-center';
import { AlertRulesStore } from '../alerts/alert-rules-store';
import { AlertStore } from '../alerts/alert-store';
import { EmbeddedDemo } from '../demo/embedded-demo';
import { chaosLinkProblem } from '../demo/chaos-link-problem';
import { liveDemoNodes, measuredStreamRate } from '../demo/demo-live-nodes';
import { testConnection } from '../monitor/connection-test';
import { DeploymentMonitor } from '../monitor/deployment-monitor';
import { makeEvent } from '../monitor/event-inference';
import { readNodeFacts } from '../monitor/node-facts';
import type { ConsoleService, ConsoleServiceOptions } from '../service-types';
import { ActionError, ActionRunner } from './actions';
import { EventLog } from './event-log';
import { fleetRow } from './fleet-summary';
import { HistoryArchives } from '../history/history-archives';
import { MetricsServer } from '../metrics/metrics-server';
import { formatExposition } from '../metrics/prometheus-format';
import { replicationFamilies } from '../metrics/replication-metrics';
import { ResyncCounters } from '../metrics/resync-counters';
import { IncidentBundles, IncidentError } from '../replay/incident-bundles';
import { eventLastTime } from '../replay/bundle-writer';
import { deploymentKey } from './deployment-key';
import { NodeLogBook } from './node-log-book';
import { ProfileStore } from './profile-store';
import { SettingsStore } from './settings-store';
import { TapRequestError, TapService, type TapSessionContext } from './tap-service';

/**
 * Each run of the demo is its own session ("demo-<n>-<time>"): a run's nodes
 * are new processes on new ports, so its timeline, history and selection
 * must not carry the previous run's (events naming ports that are gone).
 */
function demoSessionId(run: number): string {
  return `demo-${run}-${Date.now().toString(36)}`;
}

interface Session {
  info: SessionInfo;
  readonly profile: ProfileFields;
  readonly monitor: DeploymentMonitor;
  readonly unsubscribe: Array<() => void>;
}

class RequestError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

export class ConsoleServiceImpl implements ConsoleService {
  private readonly listeners = new Set<(message: PushMessage) => void>();
  private readonly sessions = new Map<string, Session>();
  private readonly profiles: ProfileStore;
  private readonly settings: SettingsStore;
  private readonly events: EventLog;
  private readonly actions = new ActionRunner();
  private readonly alertRules: AlertRulesStore;
  private readonly alerts: AlertCenter;
  private readonly demo = new EmbeddedDemo();
  private readonly taps: TapService;
  private readonly demoLogs = new NodeLogBook();
  private readonly archives: HistoryArchives;
  private readonly resyncs = new ResyncCounters();
  private readonly incidents: IncidentBundles;
  private readonly metrics: MetricsServer;
  private closed = false;
  /** The session of the demo run on screen, while the demo runs. */
  private demoSession: string | null = null;
  private demoRuns = 0;

  constructor(private readonly options: ConsoleServiceOptions) {
    this.profiles = new ProfileStore(options.dataDir, options.secretStore, options.logger);
    this.settings = new SettingsStore(options.dataDir, options.logger);
    this.events = new EventLog(options.dataDir, options.logger);
    this.archives = new HistoryArchives(options.dataDir, options.logger);
    this.archives.setMaxMegabytes(this.settings.get().historyMaxMegabytes);
    this.metrics = new MetricsServer(() => this.exposition(), options.logger);
    this.incidents = new IncidentBundles({
      version: options.version,
      chooseFile: options.chooseFile,
      events: (sessionId, fromMs, toMs) => this.events.list({ sessionId, limit: 10_000 }).map((event) => this.events.asOf(event, toMs, eventLastTime)).filter((event) => eventLastTime(event) >= fromMs),
      archived: (request) => this.archives.range(request),
    });
    void this.metrics.configure(this.settings.get().prometheus);
    this.taps = new TapService((report) => this.push({ type: 'tap', report }), options.logger);
    this.alertRules = new AlertRulesStore(options.dataDir, options.logger);
    this.alerts = new AlertCenter(this.alertRules, (alert, notify) => this.push({ type: 'alert', alert, notify }), new AlertStore(options.dataDir, options.logger));
    this.settings.onChange((settings) => {
      this.archives.setMaxMegabytes(settings.historyMaxMegabytes);
      for (const session of this.sessions.values()) {
        session.monitor.setPollInterval(settings.pollIntervalMs);
        session.monitor.setOutageSeconds(settings.outageSeconds);
      }
    });
    this.demo.onStatus((status) => this.push({ type: 'demo', status: this.withLiveNodes(status) }));
    this.demo.onLog((nodeId, line) => {
      this.demoLogs.add(nodeId, line);
      this.push({ type: 'log', sessionId: this.demoSession, nodeId, line });
    });
  }

  onPush(listener: (message: PushMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async call<M extends ApiMethod>(method: M, payload: unknown): Promise<Envelope<ApiResponse<M>>> {
    if (!isApiMethod(method)) return fail('unknown-method', `unknown method ${String(method)}`);
    const parsed = API[method].request.safeParse(payload ?? {});
    if (!parsed.success) {
      return fail('invalid-request', describePayloadError(method, API[method].request, payload ?? {}, parsed.error));
    }
    try {
      return ok((await this.dispatch(method, parsed.data)) as ApiResponse<M>);
    } catch (failure) {
      if (failure instanceof RequestError || failure instanceof ActionError || failure instanceof TapRequestError || failure instanceof IncidentError) return fail(failure.code, failure.message);
      const message = failure instanceof Error ? failure.message : String(failure);
      this.options.logger.warn(`${method} failed: ${message}`);
      return fail('internal', message);
    }
  }

  private async dispatch(method: ApiMethod, request: unknown): Promise<unknown> {
    switch (method) {
      case 'app.info':
        return { version: this.options.version, mode: this.options.mode, secretStorage: this.options.secretStore.kind, platform: process.platform };
      case 'settings.get':
        return this.settings.get();
      case 'settings.set': {
        const saved = this.settings.set(request as Settings);
        // Answered once the exposition is bound (or closed, or failed to bind: metrics.status says why).
        await this.metrics.configure(saved.prometheus);
        return saved;
      }
      case 'profiles.list':
        return this.profiles.list();
      case 'profiles.save':
        return this.profiles.save(request as Parameters<ProfileStore['save']>[0]);
      case 'profiles.delete': {
        const { id } = request as { id: string };
        const deleted = this.profiles.delete(id);
        if (deleted) {
          this.alertRules.forget(id);
          this.alerts.forget(id);
        }
        return { deleted };
      }
      case 'profiles.test': {
        const { fields, secrets, id } = request as Parameters<ProfileStore['save']>[0];
        return testConnection(fields, { ...(id ? this.profiles.secretsOf(id) : {}), ...(secrets ?? {}) }, this.options.logger);
      }
      case 'profiles.export': {
        const { includeSecrets, ids } = request as { includeSecrets: boolean; ids?: string[] };
        return { json: this.profiles.export(includeSecrets, ids) };
      }
      case 'profiles.import':
        return this.profiles.import((request as { json: string }).json);
      case 'sessions.connect':
        return this.connect((request as { profileId: string }).profileId);
      case 'sessions.disconnect':
        return { disconnected: await this.disconnect((request as { sessionId: string }).sessionId) };
      case 'sessions.list':
        return this.sessionList();
      case 'sessions.capabilities':
        return this.session((request as { sessionId: string }).sessionId).monitor.capabilities;
      case 'topology.get':
        return this.session((request as { sessionId: string }).sessionId).monitor.snapshot();
      case 'history.get': {
        const { sessionId, sinceMs, series } = request as { sessionId: string; sinceMs?: number; series?: string[] };
        return this.session(sessionId).monitor.historyBlock({ ...(sinceMs !== undefined ? { sinceMs } : {}), ...(series ? { series } : {}) });
      }
      case 'history.range':
      case 'history.csv': {
        const range = request as HistoryRangeRequest;
        this.session(range.sessionId);
        return method === 'history.range' ? this.archives.range(range) : this.archives.csv(range);
      }
      case 'history.usage':
        return this.archives.usage((key) => (key === deploymentKey(null) ? 'Local demo' : this.profiles.list().find((profile) => deploymentKey(profile.id) === key)?.name ?? null));
      case 'events.list':
        return this.events.list(request as EventFilter);
      case 'nodes.facts':
        return this.nodeFacts(request as NodeFactsRequest);
      case 'fleet.get':
        return this.fleet();
      case 'metrics.status':
        await this.metrics.configure(this.settings.get().prometheus);
        return this.metrics.status();
      case 'incident.export':
        return this.incidents.export(this.session((request as IncidentExportRequest).sessionId), request as IncidentExportRequest);
      case 'incident.open':
        return this.incidents.open(request as IncidentOpenRequest);
      case 'incident.choose':
        return this.incidents.choose();
      case 'actions.preflight': {
        const action = request as ActionRequest;
        const session = this.session(action.sessionId);
        return this.actions.preflight({ sessionId: action.sessionId, profile: session.profile, monitor: session.monitor }, action);
      }
      case 'actions.run': {
        const { token, confirmation } = request as { token: string; confirmation?: string };
        const result = await this.actions.run((sessionId) => {
          const session = this.sessions.get(sessionId);
          return session ? { sessionId, profile: session.profile, monitor: session.monitor } : undefined;
        }, token, confirmation);
        const session = this.sessions.get(result.action.sessionId);
        const nodeId = 'replicaId' in result.action ? result.action.replicaId : result.action.nodeId;
        const event = makeEvent(result.action.sessionId, result.finishedAt, 'action', nodeId, null, 'manual', false, `${result.title}: ${outcomeText(result.outcome)} — ${result.message}`, result.observed);
        session?.monitor.record(event);
        this.push({ type: 'action', result });
        return result;
      }
      case 'tap.preflight': {
        const { sessionId, nodeId } = request as TapTarget;
        return this.taps.preflight(this.tapContext(sessionId), nodeId);
      }
      case 'tap.start':
        return this.taps.start(this.tapContext((request as TapStartRequest).sessionId), request as TapStartRequest);
      case 'tap.stop': {
        const { sessionId, nodeId } = request as TapTarget;
        return this.taps.stop(sessionId, nodeId);
      }
      case 'tap.configure':
        return this.taps.configure(request as TapConfigureRequest);
      case 'tap.list':
        return this.taps.list(this.session((request as { sessionId: string }).sessionId).info.sessionId);
      case 'alerts.list':
        return this.alerts.list((request as { sessionId?: string }).sessionId);
      case 'alerts.acknowledge': {
        const { sessionId, alertIds } = request as { sessionId: string; alertIds?: string[] };
        this.session(sessionId);
        return { acknowledged: this.alerts.acknowledge(sessionId, alertIds) };
      }
      case 'alerts.silence': {
        const silence = request as SilenceRequest;
        this.session(silence.sessionId);
        return this.alerts.silence(silence);
      }
      case 'alerts.silences':
        return this.alerts.silencesOf((request as { sessionId?: string }).sessionId);
      case 'alerts.unsilence': {
        const ref = request as SilenceRef;
        this.session(ref.sessionId);
        return { lifted: this.alerts.unsilence(ref) };
      }
      case 'alerts.summary':
        return this.alerts.summary();
      case 'alerts.rules.get': {
        const { profileId } = request as { profileId: string | null };
        if (profileId !== null && !this.profiles.get(profileId)) throw new RequestError('not-found', `no profile ${profileId}`);
        return this.alertRules.get(profileId);
      }
      case 'alerts.rules.set': {
        const { profileId, rules } = request as SetAlertRulesRequest;
        if (profileId !== null && !this.profiles.get(profileId)) throw new RequestError('not-found', `no profile ${profileId}`);
        if (profileId === null && rules === null) throw new RequestError('invalid-request', 'the default rules cannot follow themselves: give the rules');
        return this.alertRules.set(profileId, rules);
      }
      case 'demo.start':
        return this.startDemo(request as DemoSpec);
      case 'demo.stop':
        return this.stopDemo();
      case 'demo.status':
        return this.demoStatus();
      case 'demo.load':
        await this.demo.setLoad(request as LoadSpec);
        return this.demoStatus();
      case 'demo.chaos': {
        const spec = request as ChaosSpec;
        // Stamped when asked: what the chaos causes (a link-down) is reported while it runs, and comes after it.
        const askedAt = Date.now();
        // Refused before anything is noted: a cut noted for a link chaos cannot reach would take the next link-down's cause.
        const unreachable = chaosLinkProblem(spec, (await this.demoStatus()).nodes);
        if (unreachable !== null) throw new RequestError('invalid-request', unreachable);
        const sessionId = this.liveDemoSession();
        const session = sessionId === null ? undefined : this.sessions.get(sessionId);
        // Noted before it runs: the engines report the link-down while the chaos call is still answering.
        if (session && spec.kind === 'cut-link') session.monitor.noteChaosCut(spec.replicaId, spec.seconds, describeChaos(spec), askedAt);
        // A restart is of the node that answers ROLE as master now (after a promotion, not the plan's), and
        // only that node's replicas are noted. Asked first: if no node is the master, nothing is noted.
        const restarted = spec.kind === 'restart-master' ? await this.demo.currentMasterId().catch((failure: unknown) => {
          throw new RequestError('invalid-request', `cannot restart the master: ${failure instanceof Error ? failure.message : String(failure)}`);
        }) : null;
        const restartNoted = session && restarted !== null ? session.monitor.noteChaosRestart(restarted, chaosTitle(spec as Extract<ChaosSpec, { kind: 'restart-master' }>), describeChaos(spec), askedAt) : [];
        let status: DemoStatus;
        try {
          status = await this.demo.chaos(spec);
        } catch (failure) {
          // It did not run (or not as asked): the link-downs and resyncs that follow are not its doing.
          if (session && spec.kind === 'cut-link') session.monitor.forgetChaosCut(spec.replicaId, askedAt);
          if (session && restarted !== null) session.monitor.forgetChaosRestart(restarted, restartNoted, askedAt);
          throw failure;
        }
        if (session && restarted !== null) session.monitor.chaosRestartFinished(restarted, askedAt, Date.now());
        if (session && sessionId !== null) session.monitor.record(makeEvent(sessionId, askedAt, 'chaos', restarted ?? ('replicaId' in spec ? spec.replicaId : 'nodeId' in spec ? spec.nodeId : 'demo'), null, 'chaos', false, `chaos: ${describeChaos(spec)}`));
        return { ...status, sessionId };
      }
    }
  }

  /** nodes.facts: read-only facts of one node of a session (node-facts.ts), with its log when the console runs it. */
  private async nodeFacts(request: NodeFactsRequest): Promise<NodeFacts> {
    const monitor = this.session(request.sessionId).monitor;
    const client = monitor.client(request.nodeId);
    if (!client) throw new RequestError('not-found', `no node ${request.nodeId} in session ${request.sessionId}`);
    const embedded = monitor.snapshot().nodes.find((node) => node.id === request.nodeId)?.embedded === true;
    return readNodeFacts(client, request.nodeId, { slowlogCount: request.slowlogCount ?? 32, log: embedded ? this.demoLogs.of(request.nodeId) : null });
  }

  /** fleet.get: every session's row, with its alerts from the alert center's per-session summary. */
  private fleet(): FleetRow[] {
    const alerts = new Map(this.alerts.summary().map((summary) => [summary.sessionId, summary]));
    return [...this.sessions.values()].map((session) => {
      const fullResyncs = this.events.list({ sessionId: session.info.sessionId, kinds: ['full-resync'], limit: 10_000 });
      const summary = alerts.get(session.info.sessionId);
      const fleetAlerts = summary === undefined ? null : { firing: summary.firing, unacknowledged: summary.unacknowledged, worstFiring: summary.worstFiring };
      return fleetRow(session.info, session.monitor.snapshot(), fullResyncs, fleetAlerts);
    });
  }

  private liveDemoSession(): string | null {
    return this.demoSession !== null && this.sessions.has(this.demoSession) ? this.demoSession : null;
  }

  private session(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new RequestError('not-found', `no session ${sessionId}`);
    return session;
  }

  private tapContext(sessionId: string): TapSessionContext {
    const session = this.session(sessionId);
    return { sessionId, profile: session.profile, monitor: session.monitor, embedded: session.info.kind === 'demo' };
  }

  private sessionList(): SessionInfo[] {
    return [...this.sessions.values()].map((session) => session.info);
  }

  private async connect(profileId: string): Promise<SessionInfo> {
    const profile = this.profiles.get(profileId);
    if (!profile) throw new RequestError('not-found', `no profile ${profileId}`);
    for (const session of this.sessions.values()) if (session.info.profileId === profileId) return session.info;
    const sessionId = `s-${profileId.slice(0, 8)}-${Date.now().toString(36)}`;
    const warnings = [...(this.options.secretStore.available ? [] : ['secrets are kept in memory only in this mode'])];
    let monitor: DeploymentMonitor;
    try {
      monitor = await DeploymentMonitor.open({
        sessionId, profile, secrets: this.profiles.secretsOf(profileId), pollIntervalMs: this.settings.get().pollIntervalMs, outageSeconds: this.settings.get().outageSeconds, logger: this.options.logger,
      });
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : String(failure);
      throw new RequestError(/WRONGPASS|NOAUTH|SSH .*authentication/i.test(message) ? 'auth-failed' : 'unreachable', `Could not connect to ${profile.name}: ${message}`);
    }
    const info: SessionInfo = {
      sessionId, profileId, name: profile.name, kind: profile.kind, environment: profile.environment, safetyMode: profile.safetyMode,
      connectedAt: Date.now(), capabilities: monitor.capabilities, warnings: [...warnings, ...monitor.warnings],
    };
    this.addSession(sessionId, info, profile, monitor);
    return info;
  }

  private addSession(sessionId: string, info: SessionInfo, profile: ProfileFields, monitor: DeploymentMonitor): void {
    const unsubscribe = [
      monitor.onSnapshot((snapshot) => {
        this.push({ type: 'topology', snapshot });
        this.alerts.onSnapshot(snapshot, (nodeId) => monitor.plannedRestart(nodeId, snapshot.time));
        this.archives.record(snapshot);
        this.incidents.record(snapshot);
      }),
      monitor.onEvent((event) => this.onEvent(event)),
    ];
    this.sessions.set(sessionId, { info, profile, monitor, unsubscribe });
    this.alerts.attach(sessionId, info.profileId);
    this.archives.attach(sessionId, info.profileId, info.name);
    // What the monitor recorded while it was opening (the demo's first full syncs) joins the timeline too.
    for (const event of monitor.recentEvents()) this.onEvent(event);
    // The snapshot of the first poll (made while opening) starts the session's topology states.
    this.incidents.record(monitor.snapshot());
    this.push({ type: 'topology', snapshot: monitor.snapshot() });
    this.push({ type: 'sessions', sessions: this.sessionList() });
  }

  private onEvent(event: ReplicationEvent): void {
    this.events.append(event);
    this.resyncs.count(event);
    this.push({ type: 'event', event });
    this.alerts.onEvent(event);
  }

  private async disconnect(sessionId: string): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    if (!session) return false;
    this.sessions.delete(sessionId);
    for (const unsubscribe of session.unsubscribe) unsubscribe();
    await this.taps.closeSession(sessionId);
    this.alerts.detach(sessionId);
    this.archives.detach(sessionId);
    this.resyncs.forget(sessionId);
    this.incidents.forget(sessionId);
    await session.monitor.close();
    this.push({ type: 'sessions', sessions: this.sessionList() });
    return true;
  }

  async startDemo(request: Partial<DemoSpec> = {}): Promise<ApiResponse<'demo.status'>> {
    const spec = DemoSpec.parse(request);
    if (this.demoSession !== null) await this.disconnect(this.demoSession);
    this.demoSession = null;
    this.demoLogs.clear();
    await this.demo.start(spec);
    const master = this.demo.plannedNodeInfos().find((node) => node.role === 'master');
    if (!master) throw new Error('the demo started without a master');
    const profile: ProfileFields = { name: 'Local demo', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: master.port }], environment: 'demo', safetyMode: 'demo' };
    const sessionId = demoSessionId(++this.demoRuns);
    const monitor = await DeploymentMonitor.open({
      sessionId, profile, secrets: {}, pollIntervalMs: this.settings.get().pollIntervalMs, outageSeconds: this.settings.get().outageSeconds,
      logger: this.options.logger, demo: this.demo,
    });
    this.demoSession = sessionId;
    this.addSession(sessionId, {
      sessionId, profileId: null, name: 'Local demo', kind: 'demo', environment: 'demo', safetyMode: 'demo',
      connectedAt: Date.now(), capabilities: monitor.capabilities, warnings: [],
    }, profile, monitor);
    return this.demoStatus();
  }

  private async stopDemo(): Promise<ApiResponse<'demo.status'>> {
    if (this.demoSession !== null) await this.disconnect(this.demoSession);
    this.demoSession = null;
    await this.demo.stop();
    return this.demoStatus();
  }

  private async demoStatus(): Promise<ApiResponse<'demo.status'>> {
    return this.withLiveNodes(await this.demo.status());
  }

  /** The demo's status with its session, and its nodes as the session's last poll found them (demo-live-nodes.ts). */
  private withLiveNodes(status: DemoStatus): DemoStatus {
    const sessionId = this.liveDemoSession();
    const snapshot = sessionId === null ? null : (this.sessions.get(sessionId)?.monitor.snapshot() ?? null);
    return { ...status, sessionId, nodes: liveDemoNodes(status.nodes, snapshot), ...measuredStreamRate(status.nodes, snapshot) };
  }

  /** The Prometheus exposition of every session now (metrics/replication-metrics.ts), from the snapshots the views show. */
  private exposition(): string {
    return formatExposition(replicationFamilies([...this.sessions.values()].map((session) => ({
      sessionId: session.info.sessionId, name: session.info.name, kind: session.info.kind, environment: session.info.environment,
      snapshot: session.monitor.snapshot(), resyncs: this.resyncs.of(session.info.sessionId),
    }))));
  }

  private push(message: PushMessage): void {
    if (this.closed) return;
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (failure) {
        this.options.logger.warn(`a push listener failed: ${failure instanceof Error ? failure.message : String(failure)}`);
      }
    }
  }

  async close(): Promise<void> {
    for (const sessionId of [...this.sessions.keys()]) await this.disconnect(sessionId);
    await this.taps.close();
    await this.metrics.close();
    this.closed = true;
    await this.demo.close();
    this.listeners.clear();
  }
}

function describeChaos(spec: ChaosSpec): string {
  switch (spec.kind) {
    case 'cut-link': return `cut the link of ${spec.replicaId} for ${spec.seconds} s`;
    case 'latency': return `${spec.ms} ms latency on the link of ${spec.replicaId}`;
    case 'bandwidth': return `bandwidth of the link of ${spec.replicaId} capped at ${spec.bytesPerSec} B/s`;
    case 'pause-replica': return `${spec.replicaId} stops reading its link for ${spec.seconds} s`;
    case 'restart-master': return `restart the master ${spec.keepReplid ? 'keeping' : 'without'} its replication id`;
    case 'shrink-backlog': return `repl-backlog-size of ${spec.nodeId} set to ${spec.bytes} bytes`;
    case 'heal': return 'every fault removed';
  }
}
