/**
 * Seeded random multi-client scripts for differential runs against
 * redis-server 7.0: several connections share one keyspace, so what one
 * client does reaches the others.
 *
 *  - actors (clients 0-2, each RESP2 or RESP3 by the seed) run the
 *    single-client generator's commands plus blocking pops and reads
 *    (BLPOP ... XREADGROUP BLOCK: forever, or a short timeout the runner
 *    waits out before the next step), MULTI/EXEC/DISCARD blocks with
 *    WATCH/UNWATCH across clients, commands that abort EXEC (EXECABORT),
 *    FLUSHALL/FLUSHDB/SWAPDB, and keys made to expire (active expiry is off,
 *    so a key expires when it is next touched, at the same step on both);
 *  - a keyspace-notification subscriber (PSUBSCRIBE __key*__:*, the seed's
 *    notify-keyspace-events classes);
 *  - client-side tracking: a RESP3 client in default mode (OPTIN, OPTOUT,
 *    NOLOOP by the seed), a RESP2 client redirecting to a subscriber of
 *    __redis__:invalidate, and a RESP3 BCAST client with prefixes; the
 *    tracking clients read keys (so they track them), write now and then
 *    (NOLOOP), and turn tracking off and on.
 *
 * The runner (fuzz-clients-runner.ts) compares, step by step, everything
 * every connection received.
 */
import { seededRandom } from '../seeded-random';
import type { Compare } from './fuzz-compare';
import { anyCommand, CONFIG_DEFAULTS, GeneratorState } from './fuzz-generator';
import { type Arg, FuzzValues, ALL_KEYS } from './fuzz-values';

export const ACTORS = 3;
/** Connection roles by index: 0..ACTORS-1 actors, then the observers. */
export const KEYSPACE_SUBSCRIBER = 3;
export const TRACKING_DEFAULT = 4;
export const REDIRECT_SUBSCRIBER = 5;
export const TRACKING_REDIRECTED = 6;
export const TRACKING_BCAST = 7;
export const CLIENTS = 8;

export type ClientOp =
  /** A command on one connection. waitServed: a blocking command with a timeout, waited out before the next step. */
  | { readonly kind: 'send'; readonly client: number; readonly cmd: ReadonlyArray<Arg>; readonly compare?: Compare; readonly waitServed?: boolean }
  /** Lets keys given a 1 ms expiry expire (they are deleted when next accessed). */
  | { readonly kind: 'sleep'; readonly ms: number };

export interface ClientScript {
  /** Protocol of each connection. */
  readonly protocols: ReadonlyArray<2 | 3>;
  /** CONFIG SET pairs (and DEBUG SET-ACTIVE-EXPIRE 0) applied before the connections open. */
  readonly config: ReadonlyArray<readonly [string, string]>;
  /** Tracking options of the three tracking clients (REDIRECT added by the runner). */
  readonly tracking: { readonly default: ReadonlyArray<string>; readonly redirected: ReadonlyArray<string>; readonly bcast: ReadonlyArray<string> };
  readonly ops: ReadonlyArray<ClientOp>;
}

/** Every setting a client script may change, with the value the runner restores. */
export const CLIENT_CONFIG_DEFAULTS: ReadonlyArray<readonly [string, string]> = [...CONFIG_DEFAULTS, ['notify-keyspace-events', '']];

const NOTIFY_CLASSES = ['KEA', 'KA', 'EA', 'Kl', 'Eg$', 'Elshzxe', 'KEAm', 'Ent', 'AKEtdm', 'Exe', 'Kgl'];

const LIST_KEYS = ['l1', 'l2', 'l3'];
const ZSET_KEYS = ['z1', 'z2', 'z3'];
const STREAM_KEYS = ['x1', 'x2'];

function some(v: FuzzValues, keys: ReadonlyArray<string>, max: number): string[] {
  const count = 1 + v.int(max);
  return Array.from({ length: count }, () => (v.chance(0.1) ? v.pick(ALL_KEYS) : v.pick(keys)));
}

/** A blocking command; a timeout other than 0 is waited out by the runner (waitServed). */
function blocking(v: FuzzValues): { cmd: Arg[]; waitServed: boolean } {
  const forever = v.chance(0.5);
  const seconds = forever ? '0' : v.pick(['0.05', '0.1']);
  const ms = forever ? '0' : v.pick(['50', '100']);
  const side = (): string => v.pick(['LEFT', 'RIGHT']);
  const count = (): Arg[] => (v.chance(0.4) ? ['COUNT', v.pick(['1', '2', '5', '0', '-1'])] : []);
  let cmd: Arg[];
  switch (v.int(9)) {
    case 0: cmd = [v.pick(['BLPOP', 'BRPOP']), ...some(v, LIST_KEYS, 2), seconds]; break;
    case 1: cmd = ['BLMOVE', v.pick(LIST_KEYS), v.pick(LIST_KEYS), side(), side(), seconds]; break;
    case 2: cmd = ['BRPOPLPUSH', v.pick(LIST_KEYS), v.pick([...LIST_KEYS, 's1']), seconds]; break;
    case 3: {
      const keys = some(v, LIST_KEYS, 2);
      cmd = ['BLMPOP', seconds, String(keys.length), ...keys, side(), ...count()];
      break;
    }
    case 4: cmd = [v.pick(['BZPOPMIN', 'BZPOPMAX']), ...some(v, ZSET_KEYS, 2), seconds]; break;
    case 5: {
      const keys = some(v, ZSET_KEYS, 2);
      cmd = ['BZMPOP', seconds, String(keys.length), ...keys, v.pick(['MIN', 'MAX']), ...count()];
      break;
    }
    case 6: {
      const keys = some(v, STREAM_KEYS, 2);
      cmd = ['XREAD', ...count(), 'BLOCK', ms, 'STREAMS', ...keys, ...keys.map(() => v.pick(['$', '$', '0', '1-0']))];
      break;
    }
    case 7: {
      const keys = some(v, STREAM_KEYS, 1);
      cmd = ['XREADGROUP', 'GROUP', v.pick(['g1', 'g2']), v.pick(['c1', 'c2']), ...count(), 'BLOCK', ms, ...(v.chance(0.2) ? ['NOACK'] : []), 'STREAMS', ...keys, ...keys.map(() => v.pick(['>', '>', '0']))];
      break;
    }
    default: cmd = ['BLPOP', v.pick(LIST_KEYS), seconds];
  }
  return { cmd, waitServed: !forever };
}

/** A write that may serve blocked clients (or retype or delete what they wait on). */
function feeder(v: FuzzValues, state: GeneratorState): Arg[] {
  switch (v.int(9)) {
    case 0: case 1: return [v.pick(['LPUSH', 'RPUSH']), v.pick(LIST_KEYS), ...Array.from({ length: 1 + v.int(3) }, () => v.pick(['a', 'b', 'c', '1', '2']))];
    case 2: return ['LMOVE', v.pick(LIST_KEYS), v.pick(LIST_KEYS), v.pick(['LEFT', 'RIGHT']), v.pick(['LEFT', 'RIGHT'])];
    case 3: case 4: return ['ZADD', v.pick(ZSET_KEYS), ...Array.from({ length: 1 + v.int(2) }, () => [v.pick(['1', '2', '-1', '3.5']), v.pick(['a', 'b', 'c', 'd'])]).flat()];
    case 5: state.streamMs += 1; return ['XADD', v.pick(STREAM_KEYS), `${state.streamMs}-1`, 'f', v.pick(['1', '2'])];
    case 6: return ['XGROUP', 'CREATE', v.pick(STREAM_KEYS), v.pick(['g1', 'g2']), v.pick(['$', '0']), ...(v.chance(0.5) ? ['MKSTREAM'] : [])];
    case 7: return [v.pick(['DEL', 'UNLINK']), v.pick([...LIST_KEYS, ...ZSET_KEYS, ...STREAM_KEYS])];
    default: return ['SET', v.pick([...LIST_KEYS, ...ZSET_KEYS, ...STREAM_KEYS]), 'retyped'];
  }
}

/** What a tracking client reads (each read makes it track the key in default mode). */
function trackedRead(v: FuzzValues): { cmd: Arg[]; compare?: Compare } {
  switch (v.int(9)) {
    case 0: return { cmd: ['GET', v.pick(['s1', 's2', 's3'])] };
    case 1: return { cmd: ['MGET', v.pick(['s1', 's2']), v.pick(['s3', 'l1', 'missing'])] };
    case 2: return { cmd: ['HGETALL', v.pick(['h1', 'h2'])], compare: 'pairs' };
    case 3: return { cmd: ['LRANGE', v.pick(LIST_KEYS), '0', '-1'] };
    case 4: return { cmd: ['SMEMBERS', v.pick(['S1', 'S2'])], compare: 'unordered' };
    case 5: return { cmd: ['ZRANGE', v.pick(ZSET_KEYS), '0', '-1', 'WITHSCORES'] };
    case 6: return { cmd: ['XRANGE', v.pick(STREAM_KEYS), '-', '+'] };
    case 7: return { cmd: [v.pick(['EXISTS', 'TYPE', 'STRLEN', 'LLEN', 'SCARD', 'ZCARD']), v.pick(ALL_KEYS)] };
    default: return { cmd: ['GETBIT', v.pick(['b1', 'b2']), '7'] };
  }
}

function trackingOps(v: FuzzValues, client: number, options: ReadonlyArray<string>): ClientOp[] {
  const roll = v.rng.next();
  if (roll < 0.05) {
    // Off and on again: the tracked keys are forgotten.
    return [{ kind: 'send', client, cmd: ['CLIENT', 'TRACKING', 'OFF'] }, { kind: 'send', client, cmd: ['CLIENT', 'TRACKING', 'ON', ...options] }];
  }
  if (roll < 0.15) {
    const k = v.pick(['s1', 'l1', 'h1', 'z1']);
    return [{ kind: 'send', client, cmd: k === 's1' ? ['SET', k, 'own'] : k === 'l1' ? ['RPUSH', k, 'own'] : k === 'h1' ? ['HSET', k, 'f', 'own'] : ['ZADD', k, '9', 'own'] }];
  }
  const ops: ClientOp[] = [];
  if (options.includes('OPTIN') && v.chance(0.5)) ops.push({ kind: 'send', client, cmd: ['CLIENT', 'CACHING', 'YES'] });
  if (options.includes('OPTOUT') && v.chance(0.3)) ops.push({ kind: 'send', client, cmd: ['CLIENT', 'CACHING', 'NO'] });
  const read = trackedRead(v);
  ops.push({ kind: 'send', client, cmd: read.cmd, ...(read.compare ? { compare: read.compare } : {}) });
  return ops;
}

/** Commands that act on the connection rather than the keyspace: not given to actors from the shared vocabulary. */
const NOT_FOR_ACTORS = new Set(['SELECT', 'BLPOP', 'BRPOP']);

/** One seed's multi-client script: `length` steps. */
export function generateClientScript(seed: number, length: number): ClientScript {
  const v = new FuzzValues(seededRandom(seed));
  const state = new GeneratorState();
  const protocols: Array<2 | 3> = [];
  for (let i = 0; i < CLIENTS; i++) protocols.push(v.chance(0.5) ? 2 : 3);
  protocols[TRACKING_DEFAULT] = 3;
  protocols[TRACKING_BCAST] = 3;
  protocols[REDIRECT_SUBSCRIBER] = 2;
  protocols[TRACKING_REDIRECTED] = 2;
  const config: Array<readonly [string, string]> = [['notify-keyspace-events', v.pick(NOTIFY_CLASSES)]];
  if (v.chance(0.3)) config.push(['list-max-listpack-size', v.pick(['3', '-1'])]);
  if (v.chance(0.3)) config.push(['zset-max-listpack-entries', '3']);
  const tracking = {
    default: v.pick([[], ['OPTIN'], ['OPTOUT'], ['NOLOOP'], ['OPTOUT', 'NOLOOP']]),
    redirected: v.pick([[], ['NOLOOP'], ['OPTIN']]),
    bcast: [...v.pick([[], ['PREFIX', 's'], ['PREFIX', 'l', 'PREFIX', 'h'], ['PREFIX', 'x', 'PREFIX', 'z'], ['PREFIX', 'S', 'PREFIX', 'zz']]), ...(v.chance(0.3) ? ['NOLOOP'] : [])],
  };
  const ops: ClientOp[] = [];
  const inMulti = new Array<boolean>(ACTORS).fill(false);
  while (ops.length < length) {
    const roll = v.rng.next();
    const actor = v.int(ACTORS);
    const send = (cmd: Arg[], compare?: Compare, waitServed?: boolean): void => {
      ops.push({ kind: 'send', client: actor, cmd, ...(compare ? { compare } : {}), ...(waitServed ? { waitServed } : {}) });
    };
    if (roll < 0.12) {
      const { cmd, waitServed } = blocking(v);
      send(cmd, undefined, waitServed);
    } else if (roll < 0.15) {
      // Another actor's blocked command ends by CLIENT UNBLOCK (the runner puts in its client id).
      send(['CLIENT', 'UNBLOCK', `$ID${(actor + 1 + v.int(ACTORS - 1)) % ACTORS}`, ...v.pick([[], ['TIMEOUT'], ['ERROR'], ['error'], ['BOGUS']])]);
    } else if (roll < 0.37) {
      send(feeder(v, state));
    } else if (roll < 0.43) {
      // Transactions: WATCH first (any client may touch the key before EXEC), then MULTI, later EXEC.
      if (inMulti[actor]) {
        send([v.chance(0.85) ? 'EXEC' : 'DISCARD']);
        // A PEXPIRE k 2 sent just before may still have its milliseconds to run: let them pass.
        ops.push({ kind: 'sleep', ms: 4 });
        inMulti[actor] = false;
      } else if (v.chance(0.4)) {
        send(v.chance(0.85) ? ['WATCH', ...Array.from({ length: 1 + v.int(2) }, () => v.pick(ALL_KEYS))] : ['UNWATCH']);
      } else {
        send(['MULTI']);
        inMulti[actor] = true;
      }
    } else if (roll < 0.45) {
      // A queued command that fails before EXEC (wrong arity, unknown): EXECABORT.
      send(v.pick<Arg[]>([['LPUSH', 'l1'], ['NOSUCHCOMMAND'], ['ZADD', 'z1', '1'], ['GET']]));
    } else if (roll < 0.47) {
      send(v.pick<Arg[]>([['FLUSHALL'], ['FLUSHDB'], ['SWAPDB', '0', '1'], ['SELECT', v.pick(['0', '1'])], ['FLUSHALL', 'ASYNC']]));
    } else if (roll < 0.5) {
      // A key expires: active expiry is off, so it is deleted (and notified) where it is next accessed.
      // Not inside a transaction: EXEC's commands check expiry at its start, but a script queued after the
      // PEXPIRE reads the clock at its own start (scriptPrepareForRun), so whether the millisecond has
      // passed for it depends on how fast the server runs the queue (--clients seed 30).
      // 2 ms, not 1: redis-server reads mstime() twice (the base, then checkAlreadyExpired), and with
      // 1 ms a millisecond ticking between the two reads makes it delete the key at once ("del", not
      // "expire": --clients seed 4175 on a loaded machine, not on replay); with 2 only a stall of a
      // whole millisecond between them does.
      send(['PEXPIRE', v.pick(ALL_KEYS), inMulti[actor] ? '100000000' : '2']);
      ops.push({ kind: 'sleep', ms: 4 });
    } else if (roll < 0.62) {
      const client = v.pick([TRACKING_DEFAULT, TRACKING_REDIRECTED, TRACKING_BCAST]);
      ops.push(...trackingOps(v, client, trackingOptions(client, tracking)));
    } else {
      const generated = anyCommand(v, state);
      if (generated.cmd.length === 0 || NOT_FOR_ACTORS.has(String(generated.cmd[0]).toUpperCase())) continue;
      send(generated.cmd, generated.compare);
    }
  }
  return { protocols, config, tracking, ops };
}

/** The options a tracking client turns tracking on with (the runner adds REDIRECT for the redirected one). */
export function trackingOptions(client: number, tracking: ClientScript['tracking']): ReadonlyArray<string> {
  return client === TRACKING_DEFAULT ? tracking.default : client === TRACKING_BCAST ? ['BCAST', ...tracking.bcast] : tracking.redirected;
}
