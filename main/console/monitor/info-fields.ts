/**
 * INFO as the console reads it: the text into fields, and the typed values a
 * snapshot needs. Missing fields stay null (a denied or older server shows
 * less, never a crash). `slaveN` lines are parsed into replica entries.
 */
import { isStreamTapEntry } from '../../../shared/contract/tap';

export type InfoFields = ReadonlyMap<string, string>;

export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

export function infoNumber(fields: InfoFields, name: string): number | null {
  const text = fields.get(name);
  if (text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

export function infoString(fields: InfoFields, name: string): string | null {
  return fields.get(name) ?? null;
}

/** One `slaveN:ip=...,port=...,state=...,offset=...,lag=...` line of a master. */
export interface ReplicaEntry {
  readonly ip: string;
  readonly port: number;
  readonly state: string;
  readonly offset: number;
  readonly lagSeconds: number;
}

export function replicaEntries(fields: InfoFields): ReplicaEntry[] {
  const entries: ReplicaEntry[] = [];
  for (let index = 0; ; index++) {
    const line = fields.get(`slave${index}`);
    if (line === undefined) break;
    const parts = new Map(line.split(',').map((pair) => {
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), pair.slice(eq + 1)] as [string, string];
    }));
    const port = Number(parts.get('port'));
    if (!parts.get('ip') || !Number.isInteger(port)) continue;
    // A stream tap is listed like a replica but is no node: nothing listens at replscope-tap:0.
    if (isStreamTapEntry(parts.get('ip')!, port)) continue;
    entries.push({
      ip: parts.get('ip')!,
      port,
      state: parts.get('state') ?? 'unknown',
      offset: Number(parts.get('offset') ?? 0),
      lagSeconds: Number(parts.get('lag') ?? 0),
    });
  }
  return entries;
}

/** How many of a master's `slaveN` lines are a stream tap (counted in connected_slaves, listed as a replica, no node). */
export function streamTapEntryCount(fields: InfoFields): number {
  let count = 0;
  for (let index = 0; ; index++) {
    const line = fields.get(`slave${index}`);
    if (line === undefined) return count;
    const ip = /(?:^|,)ip=([^,]*)/.exec(line)?.[1];
    const port = Number(/(?:^|,)port=(\d+)/.exec(line)?.[1]);
    if (ip !== undefined && isStreamTapEntry(ip, port)) count++;
  }
}

/** `maxmemory` and friends from INFO memory (0 = unlimited -> null). */
export function maxmemoryOf(fields: InfoFields): number | null {
  const value = infoNumber(fields, 'maxmemory');
  return value === null || value === 0 ? null : value;
}
