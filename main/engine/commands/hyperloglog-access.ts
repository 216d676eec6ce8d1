/**
 * What the PF* command files share: the sparse size limit and the
 * unsharing every PF command that may write does first.
 */
import type { CommandContext } from './command-context';
import { ENCODING_RAW } from '../keyspace/key-entry';

export function sparseMaxBytes(ctx: CommandContext): number {
  return ctx.node.config.int('hll-sparse-max-bytes');
}

/**
 * dbUnshareStringValue: the PF commands that may change a value first make
 * it a private raw sds, so OBJECT ENCODING says "raw" afterwards even when
 * nothing changed (an HLL set or loaded short is "embstr" until then).
 */
export function unshareHll(ctx: CommandContext, key: string): void {
  ctx.keyspace.setEncoding(ctx.db, key, ENCODING_RAW);
}
