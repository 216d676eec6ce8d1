/**
 * The shapes of the local demo: which nodes exist and who replicates from
 * whom. Replicas reach their upstream through a chaos proxy.
 */
import type { DemoTopology } from '../../../shared/contract/demo';

export interface DemoNodePlan {
  readonly name: string;
  /** Name of the node this one replicates from (null for the master). */
  readonly upstream: string | null;
}

export function planTopology(topology: DemoTopology): DemoNodePlan[] {
  switch (topology) {
    case 'pair':
      return [{ name: 'master', upstream: null }, { name: 'replica-1', upstream: 'master' }];
    case 'two-replicas':
      return [
        { name: 'master', upstream: null },
        { name: 'replica-1', upstream: 'master' },
        { name: 'replica-2', upstream: 'master' },
      ];
    case 'chain':
      return [
        { name: 'master', upstream: null },
        { name: 'replica-1', upstream: 'master' },
        { name: 'replica-2', upstream: 'replica-1' },
      ];
  }
}
