/**
 * An action's name and its observed outcome in words, as the controls say
 * them ("Re-point replica", "partial resync"): the page's notices and the
 * timeline's action lines use the same words. The contract keeps its ids
 * ('repoint', 'partial-resync'). Kept apart from the schema so the renderer
 * imports them without zod.
 */
import type { ActionOutcome, ActionRequest } from './actions';
import type { ChaosSpec } from './demo';
import type { NodeRole } from './snapshots';

const OUTCOMES: Record<ActionOutcome, string> = {
  'partial-resync': 'partial resync',
  'full-resync': 'full resync',
  promoted: 'promoted',
  repointed: 're-pointed',
  'config-changed': 'configuration changed',
  disconnected: 'disconnected',
  'no-change': 'no change',
  failed: 'failed',
  'timed-out': 'timed out',
};

const ACTIONS: Record<ActionRequest['kind'], string> = {
  'disconnect-link': 'Disconnect link',
  'force-full-resync': 'Force full resync',
  promote: 'Promote to master',
  repoint: 'Re-point replica',
  'set-backlog-size': 'Set backlog size',
};

/**
 * An action's name as its control says it: "Disconnect link". `targetRole`: the role the target
 * answered when the action was chosen (null if not known). A re-point of a master (one of two
 * after a promotion by REPLICAOF NO ONE) demotes it, and its control says "Make replica of".
 */
export function actionTitle(kind: ActionRequest['kind'], targetRole: NodeRole | null): string {
  if (kind === 'repoint' && targetRole === 'master') return 'Make replica of';
  return ACTIONS[kind];
}

/** An action's observed outcome in words: "partial resync", "timed out". */
export function outcomeText(outcome: ActionOutcome): string {
  return OUTCOMES[outcome];
}

/** The demo's chaos restart as its button says it: "Restart master", "Restart without replid". */
export function chaosTitle(spec: Extract<ChaosSpec, { kind: 'restart-master' }>): string {
  return spec.keepReplid ? 'Restart master' : 'Restart without replid';
}
