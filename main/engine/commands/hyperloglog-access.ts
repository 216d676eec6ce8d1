/**
 * What the PF* command files share: the sparse size limit, the lookups that
 * leave a dense HLL held as bytes (held-bytes.ts), and the unsharing every
 * PF command that may write does first.
 */
import type { CommandContext } from './command-context';
import { ENCODING_RAW } from '../keyspace/key-entry';
import type { HeldBytes } from '../keyspace/held-bytes';
import type { RedisValue } from '../keyspace/values';

export function sparseMaxBytes(ctx: CommandContext): number {
  return ctx.node.hot.hllSparseMaxBytes;
}

/**
 * dbUnshareStringValue: the PF commands that may change a value first make
 * it a private raw sds, so OBJECT ENCODING says "raw" afterwards even when
 * nothing changed (an HLL set or loaded short is "embstr" until then).
 */
export function unshareHll(ctx: CommandContext, key: string): void {
  ctx.keyspace.setEncoding(ctx.db, key, ENCODING_RAW);
}

/** lookupKeyRead for a PF command: a dense HLL held as bytes comes as its HllBuffer, not as a string. */
export function readHll(ctx: CommandContext, key: string): RedisValue | HeldBytes | undefined {
  return ctx.keyspace.lookupRead(ctx.db, key, ctx, true);
}

/** lookupKeyWrite for a PF command: a dense HLL held as bytes comes as its HllBuffer, to be edited in place. */
export function writeHll(ctx: CommandContext, key: string): RedisValue | HeldBytes | undefined {
  return ctx.keyspace.lookupWrite(ctx.db, key, ctx, true);
}
