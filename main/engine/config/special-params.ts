/**
 * Parameters with their own grammar. Each parser returns the value as CONFIG
 * GET prints it, or Redis's error text.
 */
import { parseMemory } from './memory-units';
import { formatFixed } from '../util/floats';

/**
 * "latency-tracking-info-percentiles": space-separated percentiles in
 * [0, 100] ("" for none), printed each as %f with trailing zeros trimmed.
 */
export function parseLatencyPercentiles(value: string): { value: string } | { error: string } {
  const parts = value.split(' ').filter((part) => part.length > 0);
  const printed: string[] = [];
  for (const part of parts) {
    const percentile = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(part) ? Number(part) : NaN;
    if (!Number.isFinite(percentile)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    if (percentile > 100 || percentile < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    printed.push(trimDouble(formatFixed(percentile, 6)));
  }
  return { value: printed.join(' ') };
}

/** trimDoubleString: "99.900000" -> "99.9", "50.000000" -> "50". */
export function trimDouble(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** "save": pairs "<seconds> <changes>", or "" to disable. Redis prints it normalized. */
export function parseSavePoints(value: string): { value: string } | { error: string } {
  const parts = value.trim().split(/\s+/).filter((p) => p.length > 0);
  if (parts.length % 2 !== 0) return { error: 'Invalid save parameters' };
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return { error: 'Invalid save parameters' };
  }
  return { value: parts.join(' ') };
}

export interface SavePoint {
  readonly seconds: number;
  readonly changes: number;
}

export function savePointsOf(value: string): SavePoint[] {
  const parts = value.split(' ').filter((p) => p.length > 0).map(Number);
  const points: SavePoint[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) points.push({ seconds: parts[i]!, changes: parts[i + 1]! });
  return points;
}

export interface OutputBufferLimit {
  readonly hardBytes: number;
  readonly softBytes: number;
  readonly softSeconds: number;
}

export type ClientClass = 'normal' | 'replica' | 'pubsub';

const CLASS_NAMES: Record<string, ClientClass> = { normal: 'normal', slave: 'replica', replica: 'replica', pubsub: 'pubsub' };

/**
 * "client-output-buffer-limit": groups of "<class> <hard> <soft> <soft seconds>";
 * a CONFIG SET may name only some classes, the others keep their value.
 * Printed in Redis's order with the class names normal, slave, pubsub.
 */
export function parseOutputBufferLimitGroups(value: string): Map<ClientClass, OutputBufferLimit> | null {
  const parts = value.trim().split(/\s+/).filter((p) => p.length > 0);
  if (parts.length === 0 || parts.length % 4 !== 0) return null;
  const groups = new Map<ClientClass, OutputBufferLimit>();
  for (let i = 0; i < parts.length; i += 4) {
    const clientClass = CLASS_NAMES[parts[i]!.toLowerCase()];
    const hard = parseMemory(parts[i + 1]!);
    const soft = parseMemory(parts[i + 2]!);
    const seconds = /^\d+$/.test(parts[i + 3]!) ? Number(parts[i + 3]) : null;
    if (!clientClass || hard === null || soft === null || seconds === null || hard < 0 || soft < 0) return null;
    groups.set(clientClass, { hardBytes: hard, softBytes: soft, softSeconds: seconds });
  }
  return groups;
}

export function formatOutputBufferLimits(limits: Map<ClientClass, OutputBufferLimit>): string {
  const out: string[] = [];
  for (const [clientClass, label] of [['normal', 'normal'], ['replica', 'slave'], ['pubsub', 'pubsub']] as const) {
    const limit = limits.get(clientClass);
    if (limit) out.push(`${label} ${limit.hardBytes} ${limit.softBytes} ${limit.softSeconds}`);
  }
  return out.join(' ');
}

export function parseClientOutputBufferLimit(value: string): { value: string } | { error: string } {
  const groups = parseOutputBufferLimitGroups(value);
  if (!groups) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  return { value: formatOutputBufferLimits(groups) };
}

/** "bind": one or more addresses separated by spaces. */
export function parseBind(value: string): { value: string } | { error: string } {
  const parts = value.trim().split(/\s+/).filter((p) => p.length > 0);
  if (parts.length === 0) return { error: 'Too many bind addresses specified.' };
  return { value: parts.join(' ') };
}

/** "replicaof": "<host> <port>" or "" / "no one". */
export function parseReplicaOf(value: string): { value: string } | { error: string } {
  const parts = value.trim().split(/\s+/).filter((p) => p.length > 0);
  if (parts.length === 0) return { value: '' };
  if (parts.length === 2 && parts[0]!.toLowerCase() === 'no' && parts[1]!.toLowerCase() === 'one') return { value: '' };
  if (parts.length !== 2 || !/^\d+$/.test(parts[1]!) || Number(parts[1]) > 65535) return { error: 'Invalid master port' };
  return { value: `${parts[0]} ${parts[1]}` };
}

/** shutdown-on-sigint / shutdown-on-sigterm flags, in Redis's enum order (configEnumGetName prints them so). */
const SHUTDOWN_SIGNAL_FLAGS = ['save', 'nosave', 'now', 'force'] as const;

/**
 * "shutdown-on-sigint", "shutdown-on-sigterm": "default" or any of save,
 * nosave, now, force (a multi-argument enum of bit flags), as SHUTDOWN's
 * options for that signal; not both save and nosave.
 */
export function parseShutdownOnSignal(value: string): { value: string } | { error: string } {
  const words = value.split(' ').filter((word) => word.length > 0).map((word) => word.toLowerCase());
  const known = ['default', ...SHUTDOWN_SIGNAL_FLAGS] as string[];
  if (words.length === 0 || words.some((word) => !known.includes(word))) {
    return { error: `argument(s) must be one of the following: ${known.join(', ')}` };
  }
  if (words.includes('save') && words.includes('nosave')) return { error: "shutdown options SAVE and NOSAVE can't be used simultaneously" };
  const flags = SHUTDOWN_SIGNAL_FLAGS.filter((flag) => words.includes(flag));
  return { value: flags.length === 0 ? 'default' : flags.join(' ') };
}
