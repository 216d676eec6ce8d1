/**
 * The preflight -> confirm -> run flow of one operator action.
 *
 *   idle --open--> preflighting --> ready --run--> running --> done
 *                       |             |              |
 *                       +--> failed <-+--------------+
 *
 * Confirmation: when the preflight names a confirmation text (prod profiles:
 * the node name), or the session is tagged prod, Run stays disabled until the
 * operator has typed it exactly. A preflight answer that arrives after the
 * card was closed or reopened for another action is dropped (version).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { ApiError } from '../api/api-error';
import type { ActionRequest, ActionResult, ErrorCode, Preflight } from '../api/contract';
import { actionTitle, outcomeText } from '../utils/figure-labels';
import { describeError } from '../utils/guards';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';
import { useSessionsStore } from './sessions';
import { useTopologyStore } from './topology';

export type ActionFlowState = 'idle' | 'preflighting' | 'ready' | 'running' | 'done' | 'failed';

/** The node an action is about (what a prod confirmation asks to type). */
export function actionTarget(action: ActionRequest): string {
  switch (action.kind) {
    case 'disconnect-link':
    case 'force-full-resync':
    case 'repoint':
      return action.replicaId;
    case 'promote':
    case 'set-backlog-size':
      return action.nodeId;
  }
}

/** What must be typed to run, or null when no typed confirmation is needed. */
export function requiredConfirmation(preflight: Preflight, environment: string | null): string | null {
  if (preflight.confirmationText !== null && preflight.confirmationText !== '') return preflight.confirmationText;
  return environment === 'prod' ? actionTarget(preflight.action) : null;
}

export const useActionsStore = defineStore('actions', () => {
  const state = ref<ActionFlowState>('idle');
  const request = shallowRef<ActionRequest | null>(null);
  /** The action's name as the control the user chose said it (from the target's role at open); the result's own title once it arrives. */
  const title = ref('Action');
  const preflight = shallowRef<Preflight | null>(null);
  const result = shallowRef<ActionResult | null>(null);
  const typed = ref('');
  const errorMessage = ref<string | null>(null);
  const errorCode = ref<ErrorCode | null>(null);
  const sessions = useSessionsStore();
  let version = 0;

  const confirmationText = computed(() => (preflight.value === null ? null : requiredConfirmation(preflight.value, sessions.active?.environment ?? null)));
  const confirmationMatches = computed(() => confirmationText.value === null || typed.value.trim() === confirmationText.value);
  const canRun = computed(() => state.value === 'ready' && preflight.value !== null && preflight.value.allowed && confirmationMatches.value);

  function fail(error: unknown): void {
    state.value = 'failed';
    errorCode.value = error instanceof ApiError ? error.code : 'internal';
    errorMessage.value = describeError(error);
  }

  async function open(action: ActionRequest): Promise<void> {
    const ticket = ++version;
    state.value = 'preflighting';
    request.value = action;
    title.value = actionTitle(action.kind, useTopologyStore().snapshot?.nodes.find((node) => node.id === actionTarget(action))?.role ?? null);
    preflight.value = null;
    result.value = null;
    typed.value = '';
    errorMessage.value = null;
    errorCode.value = null;
    try {
      const answer = await useBridgeStore().call('actions.preflight', action);
      if (ticket !== version) return;
      preflight.value = answer;
      state.value = 'ready';
    } catch (error) {
      if (ticket === version) fail(error);
    }
  }

  async function run(): Promise<void> {
    const current = preflight.value;
    if (!canRun.value || current === null) return;
    const ticket = version;
    state.value = 'running';
    const confirmation = confirmationText.value === null ? {} : { confirmation: typed.value.trim() };
    try {
      const outcome = await useBridgeStore().call('actions.run', { token: current.token, ...confirmation });
      if (ticket !== version) return;
      result.value = outcome;
      title.value = outcome.title;
      state.value = 'done';
      const failed = outcome.outcome === 'failed' || outcome.outcome === 'timed-out';
      useNotificationsStore().notify(failed ? 'error' : 'success', `${outcome.title}: ${outcomeText(outcome.outcome)}`, outcome.message);
    } catch (error) {
      // A pushed result may already have completed the card (the reply was lost with the socket).
      if (ticket === version && state.value === 'running') fail(error);
    }
  }

  /** Preflight the same action again (after an expired token or a topology change). */
  async function retry(): Promise<void> {
    if (request.value !== null) await open(request.value);
  }

  function close(): void {
    version += 1;
    state.value = 'idle';
    request.value = null;
    title.value = 'Action';
    preflight.value = null;
    result.value = null;
    typed.value = '';
    errorMessage.value = null;
    errorCode.value = null;
  }

  /** Results pushed by main: ours fills the card if the run call was cut off; others are announced. */
  function receive(pushed: ActionResult): void {
    const mine = request.value !== null && state.value === 'running' && JSON.stringify(pushed.action) === JSON.stringify(request.value);
    if (mine) {
      result.value = pushed;
      title.value = pushed.title;
      state.value = 'done';
      return;
    }
    if (state.value === 'done' && result.value !== null && result.value.startedAt === pushed.startedAt) return;
    useNotificationsStore().notify('info', `${pushed.title}: ${outcomeText(pushed.outcome)}`, pushed.message);
  }

  return { state, request, title, preflight, result, typed, errorMessage, errorCode, confirmationText, confirmationMatches, canRun, open, run, retry, close, receive };
});
