/**
 * The console API: one request/response table and one push channel, served
 * identically over Electron IPC (main/app) and HTTP+WebSocket (web mode).
 * Every request is validated against its schema at the boundary; responses
 * travel in the Envelope.
 */
import { z } from 'zod';
import { ActionRequest, ActionResult, Preflight, RunActionRequest } from './actions';
import { Alert, AlertRulesAnswer, AlertRulesRef, AlertSilence, AlertSummary, SetAlertRulesRequest, SilenceRef, SilenceRequest } from './alerts';
import { ChaosSpec, DemoSpec, DemoStatus, LoadSpec } from './demo';
import { EventFilter, ReplicationEvent } from './events';
import { FleetRow } from './fleet';
import { HistoryCsv, HistoryRange, HistoryRangeRequest, HistoryUsage } from './history-archive';
import { IncidentExport, IncidentExportRequest, IncidentOpenRequest, OpenedBundle } from './incident-bundle';
import { MetricsStatus } from './metrics';
import { NodeFacts, NodeFactsRequest } from './node-facts';
import { ConnectionProfile, SaveProfileRequest, SecretStorage } from './profiles';
import { Capabilities, SessionInfo, TestConnectionResult } from './sessions';
import { Settings } from './settings';
import { HistoryBlock, TopologySnapshot } from './snapshots';
import { TapConfigureRequest, TapPreflight, TapReport, TapStartRequest, TapTarget } from './tap';

const Empty = z.object({}).strict();
const SessionRef = z.object({ sessionId: z.string().min(1).max(64) }).strict();

export const API = {
  'app.info': {
    request: Empty,
    response: z.object({ version: z.string(), mode: z.enum(['electron', 'web']), secretStorage: SecretStorage, platform: z.string() }),
  },
  'settings.get': { request: Empty, response: Settings },
  'settings.set': { request: Settings, response: Settings },

  'profiles.list': { request: Empty, response: z.array(ConnectionProfile) },
  'profiles.save': { request: SaveProfileRequest, response: ConnectionProfile },
  'profiles.delete': { request: z.object({ id: z.string().min(1).max(64) }).strict(), response: z.object({ deleted: z.boolean() }) },
  'profiles.test': { request: SaveProfileRequest, response: TestConnectionResult },
  'profiles.export': { request: z.object({ includeSecrets: z.boolean(), ids: z.array(z.string()).optional() }).strict(), response: z.object({ json: z.string() }) },
  'profiles.import': { request: z.object({ json: z.string().max(5_000_000) }).strict(), response: z.object({ imported: z.number(), warnings: z.array(z.string()) }) },

  'sessions.connect': { request: z.object({ profileId: z.string().min(1).max(64) }).strict(), response: SessionInfo },
  'sessions.disconnect': { request: SessionRef, response: z.object({ disconnected: z.boolean() }) },
  'sessions.list': { request: Empty, response: z.array(SessionInfo) },
  'sessions.capabilities': { request: SessionRef, response: Capabilities },

  'topology.get': { request: SessionRef, response: TopologySnapshot },
  'history.get': {
    request: z.object({ sessionId: z.string().min(1).max(64), sinceMs: z.number().optional(), series: z.array(z.string()).max(500).optional() }).strict(),
    response: HistoryBlock,
  },
  /** The on-disk history (24 h at 1 s, 30 days at 1 min), across console restarts. */
  'history.range': { request: HistoryRangeRequest, response: HistoryRange },
  'history.csv': { request: HistoryRangeRequest, response: HistoryCsv },
  /** Bytes the on-disk history takes, per deployment, and the bound in force (Settings). */
  'history.usage': { request: Empty, response: HistoryUsage },
  'events.list': { request: EventFilter, response: z.array(ReplicationEvent) },
  'nodes.facts': { request: NodeFactsRequest, response: NodeFacts },
  /** One row per attached session (the fleet view). */
  'fleet.get': { request: Empty, response: z.array(FleetRow) },
  /** The Prometheus exposition: enabled, listening where, or why not. */
  'metrics.status': { request: Empty, response: MetricsStatus },
  /** The incident bundle of a session's range (default: the last 15 minutes), as one JSON file. */
  'incident.export': { request: IncidentExportRequest, response: IncidentExport },
  /** Validates a bundle file the renderer read (web mode: an upload through the socket), for replay. */
  'incident.open': { request: IncidentOpenRequest, response: OpenedBundle },
  /** Electron: the native open dialog, then the chosen file validated as incident.open does; null when cancelled. */
  'incident.choose': { request: Empty, response: OpenedBundle.nullable() },

  'actions.preflight': { request: ActionRequest, response: Preflight },
  'actions.run': { request: RunActionRequest, response: ActionResult },

  'tap.preflight': { request: TapTarget, response: TapPreflight },
  'tap.start': { request: TapStartRequest, response: TapReport },
  'tap.stop': { request: TapTarget, response: TapReport },
  'tap.configure': { request: TapConfigureRequest, response: TapReport },
  'tap.list': { request: SessionRef, response: z.array(TapReport) },
  'alerts.list': { request: z.object({ sessionId: z.string().min(1).max(64).optional() }).strict(), response: z.array(Alert) },
  /** Acknowledges the alerts named, or every alert of the session when alertIds is left out. */
  'alerts.acknowledge': {
    request: z.object({ sessionId: z.string().min(1).max(64), alertIds: z.array(z.string().max(64)).max(1000).optional() }).strict(),
    response: z.object({ acknowledged: z.number() }),
  },
  /** Silences a rule on one node, or on every node of the session (subject null), for a time. */
  'alerts.silence': { request: SilenceRequest, response: AlertSilence },
  /** The silences running now, of one session or of every live session. */
  'alerts.silences': { request: z.object({ sessionId: z.string().min(1).max(64).optional() }).strict(), response: z.array(AlertSilence) },
  /** Ends a silence early (alerts it already covered stay marked silenced). */
  'alerts.unsilence': { request: SilenceRef, response: z.object({ lifted: z.boolean() }) },
  /** One row per session (what a fleet view shows). */
  'alerts.summary': { request: Empty, response: z.array(AlertSummary) },
  'alerts.rules.get': { request: AlertRulesRef, response: AlertRulesAnswer },
  'alerts.rules.set': { request: SetAlertRulesRequest, response: AlertRulesAnswer },

  'demo.start': { request: DemoSpec, response: DemoStatus },
  'demo.stop': { request: Empty, response: DemoStatus },
  'demo.status': { request: Empty, response: DemoStatus },
  'demo.load': { request: LoadSpec, response: DemoStatus },
  'demo.chaos': { request: ChaosSpec, response: DemoStatus },
} as const;

export type ApiMethod = keyof typeof API;
export type ApiRequest<M extends ApiMethod> = z.input<(typeof API)[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.infer<(typeof API)[M]['response']>;
export const API_METHODS = Object.keys(API) as ApiMethod[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(API, name);
}

/** Messages pushed from main to the renderer on the one push channel. */
export const PushMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('topology'), snapshot: TopologySnapshot }),
  z.object({ type: z.literal('event'), event: ReplicationEvent }),
  z.object({ type: z.literal('sessions'), sessions: z.array(SessionInfo) }),
  z.object({ type: z.literal('demo'), status: DemoStatus }),
  z.object({ type: z.literal('action'), result: ActionResult }),
  z.object({ type: z.literal('tap'), report: TapReport }),
  z.object({ type: z.literal('log'), sessionId: z.string().nullable(), nodeId: z.string().nullable(), line: z.string() }),
  /** An alert fired, cleared, was acknowledged or silenced; `notify` only when it just fired unsilenced (one OS notification per alert). */
  z.object({ type: z.literal('alert'), alert: Alert, notify: z.boolean() }),
]);
export type PushMessage = z.infer<typeof PushMessage>;

export { IPC_INVOKE_CHANNEL, IPC_PUSH_CHANNEL } from './ipc-channels';
