/** What an action will do, decided at preflight from the topology snapshot and checked again before it runs. */
import type { ResyncPrediction } from '../../../shared/contract/actions';

export interface ActionPlan {
  readonly steps: string[];
  readonly commands: string[];
  readonly aclNames: string[];
  readonly prediction: ResyncPrediction;
  readonly predictionReason: string;
  /** The node whose role must not change between preflight and run. */
  readonly guardNodeId: string;
  /** Why this action cannot be run on this deployment at all. */
  readonly refusal?: string | null;
}
