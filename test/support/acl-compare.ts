/**
 * Comparing ACL replies of redis-server and our engine where Redis itself
 * is not deterministic: the single-command rules of ACL LIST / GETUSER come
 * in the order of Redis's command dict, which is random per process, and
 * ACL LOG entries carry an age and a client-info line with ids, ports, file
 * descriptors and buffer sizes.
 */
import { parseReply, RespError } from './resp-reply-parser';
import type { Normalizer } from './differential';

function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change));
  if (value instanceof Map) return [...value].map(([key, item]) => [key, mapStrings(item, change)]);
  if (value instanceof RespError) return `error:${value.message}`;
  return value;
}

function typeAndValue(raw: Buffer, change: (value: unknown) => unknown): string {
  const parsed = parseReply(raw);
  if (!parsed) return raw.toString('latin1');
  return `${String.fromCharCode(raw[0] ?? 0)}${JSON.stringify(change(parsed.value))}`;
}

/** Every string's space-separated words sorted: rule lists compared as sets, in order otherwise. */
export const rulesInAnyOrder: Normalizer = (raw) =>
  typeAndValue(raw, (value) => mapStrings(value, (text) => text.split(' ').sort().join(' ')));

/** CLIENT LIST fields that are the same for the same client history on both servers. */
const STABLE_CLIENT_FIELDS = ['name', 'flags', 'db', 'sub', 'psub', 'multi', 'cmd', 'user', 'resp'];

function stableClientInfo(line: string): string {
  const fields = new Map(line.split(' ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
  return STABLE_CLIENT_FIELDS.map((name) => `${name}=${fields.get(name) ?? '?'}`).join(' ');
}

/**
 * ACL LOG: every field compared except age-seconds (only checked to be a
 * number under a minute) and client-info (only its stable fields).
 */
export const aclLogEntries: Normalizer = (raw) =>
  typeAndValue(raw, (value) => {
    if (!Array.isArray(value)) return value;
    return value.map((entry: unknown) => {
      const pairs: Array<[unknown, unknown]> = entry instanceof Map ? [...entry] : pairsOf(entry as unknown[]);
      return pairs.map(([key, item]) => {
        if (key === 'age-seconds') return [key, typeof item === 'number' || typeof item === 'string' ? Number(item) < 60 : item];
        if (key === 'client-info' && typeof item === 'string') return [key, stableClientInfo(item)];
        return [key, item];
      });
    });
  });

function pairsOf(flat: unknown[]): Array<[unknown, unknown]> {
  const pairs: Array<[unknown, unknown]> = [];
  for (let index = 0; index + 1 < flat.length; index += 2) pairs.push([flat[index], flat[index + 1]]);
  return pairs;
}
