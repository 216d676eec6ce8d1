/**
 * CONFIG SET values holding a NUL byte, against redis-server 7.0.15, whose
 * setters read most of them as C strings: a bool (yesnotoi) and an enum
 * name (strcasecmp) end at the NUL, so "warning\0x" sets warning; a memory
 * value (memtoull) ends there too; a char * string (createStringConfig) is
 * validated and zstrdup'd up to it, while an sds one (requirepass,
 * masterauth) keeps every byte. Plain integers, percentages and latency
 * percentiles are parsed over the whole length (string2ll, string2d): the
 * NUL is a bad character. The special grammars read each argument as a C
 * string (save, client-output-buffer-limit, oom-score-adj-values,
 * shutdown-on-sigint, notify-keyspace-events, bind, dir).
 */
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

// dir and dbfilename are protected configs: CONFIG SET changes them only when this allows it.
const peers = differentialPair([['enable-protected-configs', 'yes']]);

/** CONFIG SET name value, then CONFIG GET name. */
const setThenGet = (name: string, value: string): Step[] => [step('CONFIG', 'SET', name, value), step('CONFIG', 'GET', name)];

const cases: Record<string, Step[]> = {
  'bool and enum values end at a NUL (yesnotoi, strcasecmp)': [
    ...setThenGet('loglevel', 'warning\u0000x'), ...setThenGet('loglevel', 'VERBOSE\u0000'), ...setThenGet('loglevel', '\u0000notice'),
    ...setThenGet('appendfsync', 'no\u0000x'), ...setThenGet('maxmemory-policy', 'allkeys-lru\u0000junk'), ...setThenGet('maxmemory-policy', 'noeviction\u0000'),
    ...setThenGet('lazyfree-lazy-eviction', 'yes\u0000x'), ...setThenGet('lazyfree-lazy-eviction', 'NO\u0000yes'), ...setThenGet('replica-read-only', '\u0000yes'),
    ...setThenGet('loglevel', 'notice'), ...setThenGet('appendfsync', 'everysec'),
  ],
  'memory values end at a NUL; integers and percentages do not': [
    ...setThenGet('maxmemory', '100mb\u0000x'), ...setThenGet('maxmemory', '7\u0000gb'), ...setThenGet('maxmemory', '\u0000'), ...setThenGet('maxmemory', 'mb\u0000'),
    ...setThenGet('maxmemory-clients', '10\u0000%'), ...setThenGet('maxmemory-clients', '10%\u0000'), ...setThenGet('maxmemory-clients', '0'),
    ...setThenGet('hz', '20\u0000x'), ...setThenGet('hz', '\u0000'), ...setThenGet('slowlog-max-len', '5\u0000'),
    ...setThenGet('latency-tracking-info-percentiles', '50\u0000'), ...setThenGet('latency-tracking-info-percentiles', '50 99\u0000'),
    ...setThenGet('maxmemory', '0'),
  ],
  'char * strings end at a NUL, validated up to it; sds ones keep every byte': [
    ...setThenGet('replica-announce-ip', '1.2.3.4\u0000y'), ...setThenGet('replica-announce-ip', '\u0000y'), ...setThenGet('masteruser', 'u\u0000x'),
    ...setThenGet('cluster-announce-hostname', 'ab\u0000$$'), ...setThenGet('proc-title-template', 'x {title}\u0000{nosuch}'),
    ...setThenGet('proc-title-template', '{title}\u0000x'), ...setThenGet('ignore-warnings', 'w\u0000x'), ...setThenGet('tls-ciphers', 'x\u0000y'),
    ...setThenGet('dbfilename', 'd.rdb\u0000/x'), ...setThenGet('dbfilename', 'dump.rdb'),
    ...setThenGet('masterauth', 'ab\u0000cd'), step('CONFIG', 'SET', 'requirepass', 'ab\u0000cd'),
    step('AUTH', 'ab'), step('AUTH', 'ab\u0000cd'), step('CONFIG', 'SET', 'requirepass', ''), step('CONFIG', 'SET', 'masterauth', ''),
  ],
  'special grammars read each argument up to a NUL': [
    ...setThenGet('notify-keyspace-events', 'KEA\u0000x'), ...setThenGet('notify-keyspace-events', '\u0000KEA'), ...setThenGet('notify-keyspace-events', 'K\u0000'),
    ...setThenGet('oom-score-adj-values', '1\u0000x 2\u0000 3'), ...setThenGet('oom-score-adj-values', '0 200 800'),
    ...setThenGet('save', '100\u0000x 2\u0000'), ...setThenGet('save', '\u0000x'), ...setThenGet('save', '10 1 \u0000x'), ...setThenGet('save', '\u0000 \u0000'),
    ...setThenGet('client-output-buffer-limit', 'pubsub\u0000x 1mb\u0000 2\u0000 3\u0000x'),
    ...setThenGet('client-output-buffer-limit', 'pubsub 33554432 8388608 60'),
    ...setThenGet('shutdown-on-sigint', 'now\u0000 force\u0000x'), ...setThenGet('shutdown-on-sigint', 'default\u0000save'),
    ...setThenGet('bind', '127.0.0.1\u0000x'),
    // chdir() takes a C string: "<dir>\0x" is <dir>, "\0x" is "" (ENOENT).
    ...setThenGet('dir', `${realpathSync(tmpdir())}\u0000x`), step('CONFIG', 'SET', 'dir', '\u0000x'), step('CONFIG', 'GET', 'dir'),
  ],
};

describe('CONFIG SET values with a NUL byte read as redis-server 7.0 reads them', () => {
  for (const [name, script] of Object.entries(cases)) {
    it(name, async () => {
      expect(await peers.compare(script)).toEqual([]);
    });
  }
});
