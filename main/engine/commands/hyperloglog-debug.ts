/**
 * PFDEBUG GETREG|DECODE|ENCODING|TODENSE <key> and PFSELFTEST
 * (hyperloglog.c), Redis's internal HLL inspection commands, which its test
 * suite relies on.
 *
 * PFDEBUG looks the key up for writing before it reads the subcommand, so a
 * missing key or a non-HLL is reported before an unknown subcommand.
 * GETREG and TODENSE turn a sparse value dense in place (no WATCH touch, as
 * Redis) and are then propagated, so replicas change representation too.
 */
import { defineCommand, cString } from './define';
import { array, bulk, error, integer, OK, ONE, simple, ZERO } from '../resp/reply';
import { hllValueError, INVALID_HLL, isDense } from '../hll/hll-layout';
import { decodeSparse } from '../hll/hll-sparse';
import { denseOf, registersOf, type HllValue } from '../hll/hll-operations';
import { hllSelfTest } from '../hll/hll-self-test';
import type { CommandContext } from './command-context';
import { sparseMaxBytes, unshareHll, writeHll } from './hyperloglog-access';

/** The dense form of the HLL at key, converting (and marking the change dirty) when sparse; null if corrupt. */
function denseInPlace(ctx: CommandContext, key: string, value: HllValue): HllValue | null {
  if (isDense(value)) return value;
  const dense = denseOf(value);
  if (dense === null) return null;
  // Dense now, so held as bytes like any dense HLL a PF command wrote.
  ctx.keyspace.replaceValueQuietly(ctx.db, key, dense);
  ctx.addDirty();
  return dense;
}

export const pfdebugCommand = defineCommand({
  name: 'pfdebug', arity: 3, flags: ['write', 'denyoom', 'admin'], acl: ['hyperloglog'], keys: [2, 2, 1],
  doc: { summary: 'Internal commands for debugging HyperLogLog values', since: '2.8.9', group: 'hyperloglog' },
  handler: (ctx) => {
    const subcommand = ctx.arg(1);
    const key = ctx.arg(2);
    const value = writeHll(ctx, key);
    if (value === undefined) return error('ERR The specified key does not exist');
    const invalid = hllValueError(value);
    if (invalid) return invalid;
    const hll = value as HllValue;
    unshareHll(ctx, key);
    switch (cString(subcommand).toLowerCase()) {
      case 'getreg': {
        const dense = denseInPlace(ctx, key, hll);
        return dense === null ? INVALID_HLL : array(registersOf(dense).map((register) => integer(register)));
      }
      case 'decode': {
        if (isDense(hll)) return error('ERR HLL encoding is not sparse');
        // Only dense HLLs are held as bytes: a sparse one is a string.
        const bytes = Buffer.from(hll as string, 'latin1');
        return bulk(decodeSparse(bytes, bytes.length));
      }
      case 'encoding':
        return simple(isDense(hll) ? 'dense' : 'sparse');
      case 'todense': {
        if (isDense(hll)) return ZERO;
        return denseInPlace(ctx, key, hll) === null ? INVALID_HLL : ONE;
      }
      default:
        return error(`ERR Unknown PFDEBUG subcommand '${cString(subcommand)}'`);
    }
  },
});

export const pfselftestCommand = defineCommand({
  name: 'pfselftest', arity: 1, flags: ['admin'], acl: ['hyperloglog'], keys: null,
  doc: { summary: 'An internal command for testing HyperLogLog values', since: '2.8.9', group: 'hyperloglog' },
  handler: (ctx) => {
    const failure = hllSelfTest(sparseMaxBytes(ctx));
    return failure === null ? OK : error(failure);
  },
});
