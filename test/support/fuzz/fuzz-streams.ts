/**
 * Stream commands for the random differential generator. Entry ids are
 * explicit and grow with the script (never `*`, which reads the clock);
 * consumer groups are created at fixed ids or `$`; claims use a minimum
 * idle time of 0 and no IDLE/TIME option, so every reply is determined by
 * the commands alone. XPENDING's extended form is compared without its
 * idle times; XINFO CONSUMERS (idle, inactive) is not generated.
 */
import type { Compare } from './fuzz-compare';
import type { Arg, FuzzValues } from './fuzz-values';
import type { GeneratorState, Generated } from './fuzz-generator';

const GROUPS = ['g1', 'g2'];
const CONSUMERS = ['c1', 'c2', 'c3'];

function nextId(v: FuzzValues, state: GeneratorState): string {
  const roll = v.rng.next();
  if (roll < 0.05) return v.pick(['0-0', '0-1', '1-0', 'x', '-1', '18446744073709551615-18446744073709551615', '5-']);
  if (roll < 0.1) return `${Math.max(1, state.streamMs - 2)}-${v.int(3)}`;
  state.streamMs += 1 + v.int(2);
  return v.chance(0.3) ? `${state.streamMs}-*` : v.chance(0.2) ? String(state.streamMs) : `${state.streamMs}-${v.int(3)}`;
}

function anyId(v: FuzzValues, state: GeneratorState): string {
  if (v.chance(0.1)) return v.pick(['-', '+', '0', 'x', '0-0', '(0-1', '18446744073709551615-18446744073709551615']);
  const ms = 1 + v.int(state.streamMs + 1);
  return v.chance(0.15) ? `(${ms}-0` : v.chance(0.5) ? String(ms) : `${ms}-${v.int(2)}`;
}

function trimArgs(v: FuzzValues, state: GeneratorState): Arg[] {
  const out: Arg[] = [v.chance(0.7) ? 'MAXLEN' : 'MINID'];
  if (v.chance(0.4)) out.push(v.pick(['=', '~']));
  out.push(out[0] === 'MAXLEN' ? v.pick(['0', '1', '3', '5', '-1', 'x']) : anyId(v, state));
  if (out[1] === '~' && v.chance(0.3)) out.push('LIMIT', v.pick(['0', '1', '10', '-1']));
  return out;
}

function c(...cmd: Arg[]): Generated {
  return { cmd };
}

function withCompare(compare: Compare, ...cmd: Arg[]): Generated {
  return { cmd, compare };
}

export function streamCommand(v: FuzzValues, state: GeneratorState): Generated {
  const k = v.key('stream');
  const group = v.chance(0.9) ? v.pick(GROUPS) : 'nogroup';
  const consumer = v.pick(CONSUMERS);
  const count = (): Arg[] => (v.chance(0.5) ? ['COUNT', v.pick(['1', '2', '5', '0', '-1'])] : []);
  switch (v.int(22)) {
    case 0: case 1: case 2: case 3: {
      const cmd: Arg[] = ['XADD', k];
      if (v.chance(0.1)) cmd.push('NOMKSTREAM');
      if (v.chance(0.15)) cmd.push(...trimArgs(v, state));
      cmd.push(nextId(v, state));
      const fields = 1 + v.int(2);
      for (let i = 0; i < fields; i++) cmd.push(v.pick(['f', 'g', 'name', 'n']), v.value());
      if (v.chance(0.03)) cmd.pop();
      return c(...cmd);
    }
    case 4: return c('XLEN', k);
    case 5: return c('XRANGE', k, anyId(v, state), v.chance(0.3) ? '+' : anyId(v, state), ...count());
    case 6: return c('XREVRANGE', k, v.chance(0.3) ? '+' : anyId(v, state), anyId(v, state), ...count());
    case 7: return c('XDEL', k, anyId(v, state), ...(v.chance(0.3) ? [anyId(v, state)] : []));
    case 8: return c('XTRIM', k, ...trimArgs(v, state));
    case 9: case 10: {
      const cmd: Arg[] = ['XGROUP', 'CREATE', k, group, v.pick(['$', '0', '0-0', String(Math.max(1, state.streamMs - 3)), 'x'])];
      if (v.chance(0.3)) cmd.push('MKSTREAM');
      if (v.chance(0.2)) cmd.push('ENTRIESREAD', v.pick(['0', '2', '-1', '100', 'x']));
      return c(...cmd);
    }
    case 11: return c('XGROUP', 'SETID', k, group, v.pick(['$', '0', String(Math.max(1, state.streamMs - 2))]), ...(v.chance(0.2) ? ['ENTRIESREAD', v.pick(['1', '-1', '5'])] : []));
    case 12: return v.chance(0.3) ? c('XGROUP', 'DESTROY', k, group) : c('XGROUP', v.pick(['CREATECONSUMER', 'DELCONSUMER']), k, group, consumer);
    case 13: case 14: case 15: {
      const cmd: Arg[] = ['XREADGROUP', 'GROUP', group, consumer, ...count()];
      if (v.chance(0.2)) cmd.push('NOACK');
      const keys = v.chance(0.8) ? [k] : [k, v.key('stream')];
      cmd.push('STREAMS', ...keys, ...keys.map(() => (v.chance(0.75) ? '>' : v.pick(['0', '0-0', anyId(v, state)]))));
      return c(...cmd);
    }
    case 16: return c('XREAD', ...count(), 'STREAMS', k, v.pick(['0', '0-0', anyId(v, state), '$']));
    case 17: return c('XACK', k, group, anyId(v, state), ...(v.chance(0.4) ? [anyId(v, state)] : []));
    case 18: {
      if (v.chance(0.4)) return c('XPENDING', k, group);
      const cmd: Arg[] = ['XPENDING', k, group, v.pick(['-', anyId(v, state)]), v.pick(['+', anyId(v, state)]), v.pick(['10', '1', '0', '-1'])];
      if (v.chance(0.4)) cmd.push(consumer);
      return withCompare('pending', ...cmd);
    }
    case 19: {
      const cmd: Arg[] = ['XCLAIM', k, group, consumer, '0', anyId(v, state), ...(v.chance(0.3) ? [anyId(v, state)] : [])];
      if (v.chance(0.3)) cmd.push('JUSTID');
      if (v.chance(0.2)) cmd.push('RETRYCOUNT', v.pick(['5', '0']));
      if (v.chance(0.1)) cmd.push('FORCE');
      if (v.chance(0.1)) cmd.push('LASTID', anyId(v, state));
      return c(...cmd);
    }
    case 20: return c('XAUTOCLAIM', k, group, consumer, '0', v.pick(['0', '0-0', anyId(v, state)]), ...count(), ...(v.chance(0.3) ? ['JUSTID'] : []));
    default: {
      switch (v.int(4)) {
        case 0: return c('XINFO', 'STREAM', k);
        case 1: return c('XINFO', 'GROUPS', k);
        case 2: return c('XSETID', k, anyId(v, state), ...(v.chance(0.3) ? ['ENTRIESADDED', v.pick(['10', '0', '1000'])] : []), ...(v.chance(0.3) ? ['MAXDELETEDID', anyId(v, state)] : []));
        default: return c('TYPE', k);
      }
    }
  }
}
