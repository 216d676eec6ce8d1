/**
 * The console service attached to a scenario's nodes the way the app does
 * it: createConsoleService (what the Electron shell and web mode call), a
 * profile saved through the API, `sessions.connect`, and the push channel
 * the renderer listens to. Every snapshot and event pushed is recorded with
 * the time it arrived, so a scenario can ask both "what does the console
 * say now" and "what did it say while X was happening".
 *
 * Calls go through `service.call` (schema-checked, enveloped) exactly as
 * requests from the renderer do; a failed envelope throws ApiFailure with
 * its code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConsoleService } from '../../../main/console/create-console-service';
import { MEMORY_ONLY_SECRETS, type ConsoleService } from '../../../main/console/service-types';
import type { ActionRequest, ActionResult, Preflight } from '../../../shared/contract/actions';
import type { Alert } from '../../../shared/contract/alerts';
import type { ApiMethod, ApiRequest, ApiResponse, PushMessage } from '../../../shared/contract/api';
import type { DemoSpec } from '../../../shared/contract/demo';
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { ProfileFields, ProfileSecrets } from '../../../shared/contract/profiles';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import { DEFAULT_SETTINGS } from '../../../shared/contract/settings';
import { waitFor } from '../../support/wait';

export class ApiFailure extends Error {
  constructor(readonly method: string, readonly code: string, message: string) {
    super(`${method} failed (${code}): ${message}`);
  }
}

export interface ReceivedSnapshot {
  readonly receivedAt: number;
  readonly snapshot: TopologySnapshot;
}

export interface AttachOptions {
  /** Seeds as "host:port" ids or nodes; default: the first node given to attach(). */
  readonly profile?: Partial<ProfileFields>;
  readonly secrets?: ProfileSecrets;
  /** The poll interval setting (the app's default is 1 s). */
  readonly pollIntervalMs?: number;
}

type Action = ActionRequest extends infer A ? (A extends { sessionId: string } ? Omit<A, 'sessionId'> : never) : never;

const consoles = new Set<ConsoleUnderTest>();

export class ConsoleUnderTest {
  readonly snapshots: ReceivedSnapshot[] = [];
  readonly events: ReplicationEvent[] = [];
  readonly logs: string[] = [];
  /** Every alert push (fired, cleared, acknowledged, silenced), in order. */
  readonly alertPushes: Array<{ alert: Alert; notify: boolean }> = [];
  /** The session the scenario looks at (the attached profile's, or the demo's). */
  sessionId = '';
  /** The profile attach() saved and connected (null: none). */
  profileId: string | null = null;
  private readonly unsubscribe: () => void;

  private constructor(readonly service: ConsoleService, readonly dataDir: string) {
    this.unsubscribe = service.onPush((message) => this.receive(message));
  }

  /**
   * A console service with no session yet (the demo scenarios start it
   * themselves), or with `demoAutoStart` as `npm start` creates it: the demo
   * running with its load generator, on screen.
   */
  static async start(options: { pollIntervalMs?: number; dataDir?: string; demoAutoStart?: boolean } = {}): Promise<ConsoleUnderTest> {
    const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'replscope-scenario-console-'));
    const logger = { info: () => {}, warn: () => {}, error: () => {} };
    if (options.pollIntervalMs !== undefined) {
      // Settings are read at start: the autostarted demo polls at this interval from its first tick.
      writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, pollIntervalMs: options.pollIntervalMs }));
    }
    const service = await createConsoleService({ dataDir, mode: 'web', version: 'scenario', secretStore: MEMORY_ONLY_SECRETS, logger, ...(options.demoAutoStart ? { demo: { autoStart: true } } : {}) });
    const underTest = new ConsoleUnderTest(service, dataDir);
    consoles.add(underTest);
    if (options.demoAutoStart) {
      const status = await underTest.call('demo.status', {});
      if (status.sessionId === null) throw new Error('the demo did not start with the console');
      underTest.sessionId = status.sessionId;
    }
    return underTest;
  }

  /** Saves a standalone profile seeded with `seed` and connects it, as Connections → Connect does. */
  static async attach(seed: { port: number; host?: string }, options: AttachOptions = {}): Promise<ConsoleUnderTest> {
    const underTest = await ConsoleUnderTest.start(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {});
    const fields: ProfileFields = {
      name: 'scenario', kind: 'standalone', seeds: [{ host: seed.host ?? '127.0.0.1', port: seed.port }], environment: 'staging', safetyMode: 'ops',
      ...options.profile,
    };
    const saved = await underTest.call('profiles.save', { fields, ...(options.secrets ? { secrets: options.secrets } : {}) });
    const session = await underTest.call('sessions.connect', { profileId: saved.id });
    underTest.sessionId = session.sessionId;
    underTest.profileId = saved.id;
    return underTest;
  }

  /**
   * Quits this console and starts a new one on the same data directory, as a
   * user closing and reopening the app, then connects the attached profile
   * again (a new session id). This one is closed; use the one returned.
   */
  async restart(): Promise<ConsoleUnderTest> {
    consoles.delete(this);
    this.unsubscribe();
    await this.service.close();
    const next = await ConsoleUnderTest.start({ dataDir: this.dataDir });
    if (this.profileId !== null) {
      next.profileId = this.profileId;
      next.sessionId = (await next.call('sessions.connect', { profileId: this.profileId })).sessionId;
    }
    return next;
  }

  /** Starts the embedded demo through the API (Demo → Start) and looks at its session. */
  async startDemo(spec: Partial<DemoSpec>): Promise<ApiResponse<'demo.status'>> {
    const status = await this.call('demo.start', spec);
    if (status.sessionId === null) throw new Error('the demo started without a session');
    this.sessionId = status.sessionId;
    return status;
  }

  async call<M extends ApiMethod>(method: M, payload: ApiRequest<M>): Promise<ApiResponse<M>> {
    const envelope = await this.service.call(method, payload);
    if (!envelope.ok) throw new ApiFailure(method, envelope.code, envelope.message);
    return envelope.data;
  }

  private receive(message: PushMessage): void {
    switch (message.type) {
      case 'topology':
        this.snapshots.push({ receivedAt: Date.now(), snapshot: message.snapshot });
        if (this.snapshots.length > 5000) this.snapshots.shift();
        break;
      case 'event': {
        // An event with a known id is that line updated (the renderer's mergeEvents does the same).
        const index = this.events.findIndex((event) => event.id === message.event.id);
        if (index >= 0) this.events[index] = message.event;
        else this.events.push(message.event);
        break;
      }
      case 'log':
        this.logs.push(`${message.nodeId ?? ''} ${message.line}`);
        break;
      case 'alert':
        this.alertPushes.push({ alert: message.alert, notify: message.notify });
        break;
      default:
        break;
    }
  }

  /** The latest snapshot pushed for the session under test. */
  snapshot(): TopologySnapshot {
    for (let index = this.snapshots.length - 1; index >= 0; index--) {
      const received = this.snapshots[index]!;
      if (received.snapshot.sessionId === this.sessionId) return received.snapshot;
    }
    throw new Error(`no snapshot of session ${this.sessionId} yet`);
  }

  /** The session's snapshots received at or after `since` (ms). */
  snapshotsSince(since: number): ReceivedSnapshot[] {
    return this.snapshots.filter((received) => received.receivedAt >= since && received.snapshot.sessionId === this.sessionId);
  }

  node(id: string, snapshot: TopologySnapshot = this.snapshot()): NodeSnapshot {
    const found = snapshot.nodes.find((node) => node.id === id);
    if (!found) throw new Error(`the console shows no node ${id} (it shows ${snapshot.nodes.map((node) => node.id).join(', ')})`);
    return found;
  }

  link(replicaId: string, snapshot: TopologySnapshot = this.snapshot()): LinkSnapshot {
    const found = snapshot.links.find((link) => link.replicaId === replicaId);
    if (!found) throw new Error(`the console shows no link to ${replicaId}`);
    return found;
  }

  /** Waits for a pushed snapshot of the session that satisfies `check`; returns it. */
  async waitForSnapshot(check: (snapshot: TopologySnapshot) => boolean, what: string, timeoutMs = 20_000): Promise<TopologySnapshot> {
    let matched: TopologySnapshot | null = null;
    await waitFor(() => {
      const latest = this.latestOrNull();
      if (latest && check(latest)) matched = latest;
      return matched !== null;
    }, { timeoutMs, intervalMs: 50, what });
    return matched!;
  }

  /** Waits until the console shows every given node up and every link online. */
  async waitForSteadyGroup(nodeIds: readonly string[], timeoutMs = 20_000): Promise<TopologySnapshot> {
    return this.waitForSnapshot((snapshot) => nodeIds.every((id) => snapshot.nodes.some((node) => node.id === id && node.health === 'up'))
      && snapshot.links.length === nodeIds.length - 1 && snapshot.links.every((link) => link.state === 'online' && link.replicaOffset !== null), `the console to show ${nodeIds.join(', ')} up with every link online`, timeoutMs);
  }

  /** Alert pushes of the session so far that match. */
  alertPushesWhere(match: (alert: Alert) => boolean): Array<{ alert: Alert; notify: boolean }> {
    return this.alertPushes.filter((push) => push.alert.sessionId === this.sessionId && match(push.alert));
  }

  /** Waits for an alert push of the session that matches; returns the alert as pushed. */
  async waitForAlert(match: (alert: Alert) => boolean, what: string, timeoutMs = 20_000): Promise<Alert> {
    let found: Alert | undefined;
    await waitFor(() => {
      found = this.alertPushesWhere(match)[0]?.alert;
      return found !== undefined;
    }, { timeoutMs, intervalMs: 50, what });
    return found!;
  }

  /** Events of the session pushed so far that match. */
  eventsWhere(match: (event: ReplicationEvent) => boolean): ReplicationEvent[] {
    return this.events.filter((event) => event.sessionId === this.sessionId && match(event));
  }

  async waitForEvent(match: (event: ReplicationEvent) => boolean, what: string, timeoutMs = 20_000): Promise<ReplicationEvent> {
    let found: ReplicationEvent | undefined;
    try {
      await waitFor(() => {
        found = this.eventsWhere(match)[0];
        return found !== undefined;
      }, { timeoutMs, intervalMs: 50, what });
    } catch (failure) {
      throw new Error(`${(failure as Error).message}\nevents so far:\n${this.describeEvents()}`);
    }
    return found!;
  }

  /** The session's events so far, one line each (for failure messages). */
  describeEvents(): string {
    return this.eventsWhere(() => true).map((event) => `${event.kind} ${event.nodeId} <- ${event.peerId ?? '-'} [${event.cause}] ${event.message}`).join('\n');
  }

  /** The persisted timeline of the session, as the Events view lists it. */
  listEvents(): Promise<ReplicationEvent[]> {
    return this.call('events.list', { sessionId: this.sessionId, limit: 5000 });
  }

  preflight(action: Action): Promise<Preflight> {
    return this.call('actions.preflight', { ...action, sessionId: this.sessionId } as ActionRequest);
  }

  async run(preflight: Preflight, confirmation?: string): Promise<ActionResult> {
    if (!preflight.allowed) throw new Error(`the preflight refused the action: ${preflight.deniedReason}`);
    return this.call('actions.run', { token: preflight.token, ...(confirmation !== undefined ? { confirmation } : {}) });
  }

  async close(): Promise<void> {
    consoles.delete(this);
    this.unsubscribe();
    await this.service.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private latestOrNull(): TopologySnapshot | null {
    try {
      return this.snapshot();
    } catch {
      return null;
    }
  }
}

/** Closes every console a test file attached (call from afterEach). */
export async function closeAllConsoles(): Promise<void> {
  await Promise.all([...consoles].map((underTest) => underTest.close()));
}
