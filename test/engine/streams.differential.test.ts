/**
 * STREAM commands against redis-server 7.0, byte for byte in RESP2 and
 * RESP3: IDs (explicit, partial, "<ms>-*", 64-bit edges) and every ID
 * error, XADD options (NOMKSTREAM, MAXLEN/MINID with = and ~, LIMIT) with
 * node splits at small stream-node-max-* settings, exclusive ranges,
 * XDEL/XTRIM bookkeeping (max-deleted-entry-id, entries-added,
 * recorded-first-entry-id, radix-tree keys and nodes), consumer groups
 * (XGROUP, XREADGROUP ">" and history, NOACK, XACK, XPENDING, XCLAIM,
 * XAUTOCLAIM, XSETID), lag and entries-read, XINFO, WRONGTYPE, DEBUG
 * DIGEST-VALUE; blocking XREAD/XREADGROUP across connections; keyspace
 * notifications; COMMAND INFO.
 * Steps whose replies carry clocks (delivery times, idle times) compare by
 * shape.
 */
import { describe, expect, it } from 'vitest';
import { shape, step, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';
import { RespConnection, RespError } from '../support/resp-connection';
import { keyspaceEventRecorder, transcriptDifferences, type Command } from '../support/keyspace-events';

const peers = differentialPair();
const errorText = (reply: unknown): unknown => (reply instanceof RespError ? reply.message : reply);
const MAX = '18446744073709551615';

const ids: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('XADD', 's', '1-1', 'a', '1'), step('XADD', 's', '1-1', 'a', '1'), step('XADD', 's', '1', 'a', '1'), step('XADD', 's', '1-*', 'b', '2'), step('XADD', 's', '2-*', 'c', '3'),
  step('XADD', 's', '0-0', 'a', '1'), step('XADD', 'n', '0', 'a', '1'), step('XADD', 'n', '0-*', 'a', '1'), step('XADD', 'n', '0-*', 'a', '2'), step('EXISTS', 'n0'),
  step('XADD', 's', '5-x', 'a', '1'), step('XADD', 's', 'x', 'a', '1'), step('XADD', 's', '-', 'a', '1'), step('XADD', 's', '+', 'a', '1'), step('XADD', 's', '-5', 'a', '1'), step('XADD', 's', '5-', 'a', '1'),
  step('XADD', 's', '007-0', 'a', '1'), step('XADD', 's', '+8-0', 'a', '1'), step('XADD', 's', ' 9-0', 'a', '1'), step('XADD', 's', '10--0', 'a', '1'), step('XADD', 's', '11-*-1', 'a', '1'),
  step('XADD', 's', `12-${MAX}`, 'a', '1'), step('XADD', 's', '12-*', 'a', '1'), step('XADD', 's', '18446744073709551616', 'a', '1'), step('XADD', 's', `${'1'.repeat(130)}`, 'a', '1'),
  step('XADD', 'edge', `${MAX}-${MAX}`, 'a', '1'), step('XADD', 'edge', '*', 'a', '1'), step('XADD', 'edge', '1-1', 'a', '1'), step('XRANGE', 'edge', '-', '+'),
  step('XADD', 'e2', `5-${MAX}`, 'a', '1'), step('XADD', 'e2', '5-*', 'a', '1'), step('XADD', 'e2', `${MAX}-${BigInt(MAX) - 1n}`, 'a', '1'), step('XADD', 'e2', `${MAX}-*`, 'a', '2'), step('XADD', 'e2', `${MAX}-*`, 'a', '3'),
  step('XRANGE', 'e2', '-', '+'), step('XREVRANGE', 'e2', '+', '-', 'COUNT', '2'), step('XINFO', 'STREAM', 'e2'),
  step('XADD', 's'), step('XADD', 's', '20-0'), step('XADD', 's', '20-0', 'a'), step('XADD', 's', '20-0', 'a', '1', 'b'), step('XADD', 's', 'MAXLEN', '5'), step('XADD', 's', 'NOMKSTREAM'),
  step('XADD', 'str', '*', 'a', '1'), step('XADD', 'nomk', 'NOMKSTREAM', '*', 'a', '1'), step('EXISTS', 'nomk'), step('XADD', 's', 'nomkstream', '30-0', 'f', 'v'),
  step('XADD', 's', '40-0', 'same', 'x', 'same', 'y'), step('XADD', 's', '41-0', '', ''), step('XADD', 's', '42-0', '12', '-7', '9223372036854775807', '-9223372036854775808', '1.5', '01'),
  step('XADD', 's', '43-0', Buffer.from([0, 1, 255]), Buffer.from([13, 10])),
  step('XRANGE', 's', '-', '+'), step('XLEN', 's'), step('XLEN', 'nope'), step('XLEN', 'str'), step('TYPE', 's'), step('OBJECT', 'ENCODING', 's'), step('DEBUG', 'DIGEST-VALUE', 's'),
];

const ranges: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  ...Array.from({ length: 12 }, (_, i) => step('XADD', 'r', `${Math.floor(i / 3) + 1}-${i % 3}`, 'f', String(i), 'g', `v${i}`)),
  step('XRANGE', 'r', '-', '+'), step('XRANGE', 'r', '2', '3'), step('XRANGE', 'r', '2-1', '3-1'), step('XRANGE', 'r', '(2-1', '(3-1'), step('XRANGE', 'r', '(2', '+'), step('XRANGE', 'r', '-', '(2'),
  step('XRANGE', 'r', '(-', '+'), step('XRANGE', 'r', '-', '(+'), step('XRANGE', 'r', '(', '+'), step('XRANGE', 'r', '((1', '+'), step('XRANGE', 'r', `(${MAX}-${MAX}`, '+'), step('XRANGE', 'r', '-', '(0-0'),
  step('XRANGE', 'r', '(0-0', '(1-1'), step('XRANGE', 'r', '3', '2'), step('XRANGE', 'r', '-', '+', 'COUNT', '2'), step('XRANGE', 'r', '-', '+', 'COUNT', '0'), step('XRANGE', 'r', '-', '+', 'COUNT', '-1'),
  step('XRANGE', 'r', '-', '+', 'COUNT'), step('XRANGE', 'r', '-', '+', 'COUNT', 'x'), step('XRANGE', 'r', '-', '+', 'FOO', '1'), step('XRANGE', 'r', '-', '+', 'count', '1', 'COUNT', '3'),
  step('XRANGE', 'r', 'x', '+'), step('XRANGE', 'r', '-', 'y'), step('XRANGE', 'nope', '-', '+'), step('XRANGE', 'nope', '-', '+', 'COUNT', '0'), step('XRANGE', 'str', '-', '+'), step('XRANGE', 'str', 'x', '+'),
  step('XREVRANGE', 'r', '+', '-'), step('XREVRANGE', 'r', '3', '2', 'COUNT', '4'), step('XREVRANGE', 'r', '(3-1', '(2-1'), step('XREVRANGE', 'r', '-', '+'), step('XREVRANGE', 'r', '+', '-', 'COUNT', '0'),
  step('XDEL', 'r', '2-1', '2-1', '9-9'), step('XDEL', 'r', 'bad'), step('XDEL', 'r', '1-0', 'bad'), step('XLEN', 'r'), step('XDEL', 'nope', '1-1'), step('XDEL', 'str', '1-1'), step('XDEL', 'r', '-'),
  step('XINFO', 'STREAM', 'r'), step('XRANGE', 'r', '2', '2'), step('XREVRANGE', 'r', '2', '2'), step('XDEL', 'r', '1-0', '1-1', '1-2'), step('XINFO', 'STREAM', 'r'),
  step('XDEL', 'r', '4-2'), step('XINFO', 'STREAM', 'r'), shape('XADD', 'r', '*', 'late', 'x'), step('XLEN', 'r'),
];

const trimming: Step[] = [
  step('FLUSHALL'), step('CONFIG', 'SET', 'stream-node-max-entries', '5'),
  ...Array.from({ length: 23 }, (_, i) => step('XADD', 't', `${i + 1}-0`, 'item', String(i), ...(i % 4 === 0 ? ['extra', 'field'] : []))),
  step('XINFO', 'STREAM', 't'), step('XTRIM', 't', 'MAXLEN', '~', '20'), step('XLEN', 't'), step('XTRIM', 't', 'MAXLEN', '~', '12'), step('XLEN', 't'), step('XINFO', 'STREAM', 't'),
  step('XTRIM', 't', 'MAXLEN', '=', '11'), step('XLEN', 't'), step('XINFO', 'STREAM', 't'), step('XTRIM', 't', 'MAXLEN', '9'), step('XRANGE', 't', '-', '+', 'COUNT', '2'),
  step('XTRIM', 't', 'MINID', '16'), step('XTRIM', 't', 'MINID', '~', '20'), step('XTRIM', 't', 'MINID', '=', '19-0'), step('XINFO', 'STREAM', 't'), step('XRANGE', 't', '-', '+'),
  step('XTRIM', 't', 'MAXLEN', '~', '0', 'LIMIT', '1'), step('XTRIM', 't', 'MAXLEN', '~', '0', 'LIMIT', '5'), step('XLEN', 't'), step('XTRIM', 't', 'MAXLEN', '0'), step('XINFO', 'STREAM', 't'), step('EXISTS', 't'),
  step('XTRIM', 't'), step('XTRIM', 't', 'MAXLEN'), step('XTRIM', 't', 'MAXLEN', 'x'), step('XTRIM', 't', 'MAXLEN', '-1'), step('XTRIM', 't', 'MINID', 'x'), step('XTRIM', 't', 'MINID', '-'),
  step('XTRIM', 't', 'MAXLEN', '1', 'MINID', '1'), step('XTRIM', 't', 'MAXLEN', '1', 'LIMIT', '1'), step('XTRIM', 't', 'LIMIT', '1'), step('XTRIM', 't', 'LIMIT', '0', 'MAXLEN', '1'),
  step('XTRIM', 't', 'MAXLEN', '~', '1', 'LIMIT', '-1'), step('XTRIM', 't', 'MAXLEN', '~', '1', 'LIMIT', 'x'), step('XTRIM', 't', 'MAXLEN', '~'), step('XTRIM', 't', 'MAXLEN', '1', 'FOO'), step('XTRIM', 'nope', 'MAXLEN', '1'),
  step('SET', 'str', 'x'), step('XTRIM', 'str', 'MAXLEN', '1'),
  ...Array.from({ length: 30 }, (_, i) => step('XADD', 'a', 'MAXLEN', '~', '8', `${i + 1}-0`, 'f', 'v')), step('XLEN', 'a'), step('XINFO', 'STREAM', 'a'),
  ...Array.from({ length: 30 }, (_, i) => step('XADD', 'b', 'MINID', '=', String(i - 5), `${i + 1}-0`, 'f', 'v')), step('XLEN', 'b'), step('XRANGE', 'b', '-', '+', 'COUNT', '1'),
  ...Array.from({ length: 30 }, (_, i) => step('XADD', 'c', 'MAXLEN', '~', '3', 'LIMIT', '5', `${i + 1}-0`, 'f', 'v')), step('XLEN', 'c'),
  step('XADD', 'd', 'MAXLEN', '0', '1-0', 'a', 'b'), step('XINFO', 'STREAM', 'd'), step('XADD', 'd', 'MAXLEN', 'x', '2-0', 'a', 'b'), step('XADD', 'd', 'MAXLEN', '1', 'MINID', '1', '2-0', 'a', 'b'),
  step('XADD', 'd', 'LIMIT', '5', '2-0', 'a', 'b'), step('XADD', 'd', 'MAXLEN', '5', 'LIMIT', '5', '2-0', 'a', 'b'), step('XADD', 'd', 'MINID', '~', '+', '2-0', 'a', 'b'),
  step('CONFIG', 'SET', 'stream-node-max-entries', '0'), step('CONFIG', 'SET', 'stream-node-max-bytes', '60'),
  ...Array.from({ length: 20 }, (_, i) => step('XADD', 'bytes', `${i + 1}-${i * 1000}`, 'field', 'v'.repeat(i * 3))), step('XINFO', 'STREAM', 'bytes'), step('XTRIM', 'bytes', 'MAXLEN', '~', '10'), step('XLEN', 'bytes'),
  step('DEBUG', 'DIGEST-VALUE', 'bytes'),
  step('CONFIG', 'SET', 'stream-node-max-bytes', '4096'), step('CONFIG', 'SET', 'stream-node-max-entries', '100'),
];

const groups: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('XGROUP', 'CREATE', 'g', 'grp', '$'), step('XGROUP', 'CREATE', 'g', 'grp', '$', 'MKSTREAM'), step('XGROUP', 'CREATE', 'g', 'grp', '$', 'MKSTREAM'), step('XINFO', 'STREAM', 'g'), step('XINFO', 'GROUPS', 'g'),
  step('XGROUP', 'CREATE', 'str', 'grp', '$'), step('XGROUP', 'CREATE', 'g', 'bad', 'x'), step('XGROUP', 'CREATE', 'g', 'bad', '-'), step('XGROUP', 'CREATE', 'g', 'g2', '0', 'FOO'), step('XGROUP', 'CREATE', 'g', 'g2', '0', 'ENTRIESREAD', '-2'),
  step('XGROUP', 'CREATE', 'g', 'g2', '0', 'ENTRIESREAD', 'x'), step('XGROUP', 'CREATE', 'g', 'g2'), step('XGROUP', 'FOO', 'g', 'g2'), step('XGROUP', 'SETID', 'g', 'nope', '0'), step('XGROUP', 'SETID', 'nokey', 'nope', '0'),
  step('XGROUP', 'HELP'), step('XGROUP', 'HELP', 'x'), step('XGROUP'), step('XGROUP', 'DESTROY', 'g'), step('XGROUP', 'SETID', 'g', 'grp', '0', 'MKSTREAM'),
  ...Array.from({ length: 8 }, (_, i) => step('XADD', 'g', `${i + 1}-0`, 'k', `v${i}`)),
  step('XINFO', 'GROUPS', 'g'), step('XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '3', 'STREAMS', 'g', '>'), step('XINFO', 'GROUPS', 'g'),
  step('XREADGROUP', 'GROUP', 'grp', 'bob', 'COUNT', '2', 'STREAMS', 'g', '>'), step('XREADGROUP', 'GROUP', 'grp', 'alice', 'STREAMS', 'g', '0'), step('XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '1', 'STREAMS', 'g', '1-0'),
  step('XREADGROUP', 'GROUP', 'grp', 'carol', 'STREAMS', 'g', '0'), step('XINFO', 'GROUPS', 'g'),
  step('XPENDING', 'g', 'grp'), shape('XPENDING', 'g', 'grp', '-', '+', '10'), shape('XPENDING', 'g', 'grp', '-', '+', '10', 'bob'), step('XPENDING', 'g', 'grp', '-', '+', '10', 'nobody'), step('XPENDING', 'g', 'grp', '(1', '(5', '0'),
  shape('XPENDING', 'g', 'grp', 'IDLE', '0', '-', '+', '2'), step('XPENDING', 'g', 'grp', 'IDLE', '100000', '-', '+', '2'), step('XPENDING', 'g', 'grp', 'IDLE', '0', '-', '+'), step('XPENDING', 'g', 'grp', '-', '+'),
  step('XPENDING', 'g', 'grp', '-', '+', 'x'), step('XPENDING', 'g', 'grp', 'x', '+', '1'), step('XPENDING', 'g', 'nope'), step('XPENDING', 'nokey', 'grp'), step('XPENDING', 'str', 'grp'), step('XPENDING', 'g', 'grp', 'IDLE', 'x', '-', '+', '1'),
  step('XACK', 'g', 'grp', '1-0', '9-9', '1-0'), step('XACK', 'g', 'grp', '2-0', 'bad'), step('XACK', 'g', 'nope', '2-0'), step('XACK', 'nokey', 'grp', '2-0'), step('XACK', 'str', 'grp', '2-0'), step('XPENDING', 'g', 'grp'),
  step('XCLAIM', 'g', 'grp', 'dave', '0', '2-0', '3-0', 'JUSTID'), step('XPENDING', 'g', 'grp'), step('XCLAIM', 'g', 'grp', 'dave', '3600000', '4-0', 'JUSTID'),
  step('XCLAIM', 'g', 'grp', 'erin', '0', '4-0', 'RETRYCOUNT', '7', 'JUSTID'), shape('XPENDING', 'g', 'grp', '4-0', '4-0', '1'), step('XCLAIM', 'g', 'grp', 'erin', '0', '8-0', 'JUSTID'), step('XCLAIM', 'g', 'grp', 'erin', '0', '8-0', 'FORCE', 'JUSTID'),
  step('XCLAIM', 'g', 'grp', 'erin', '0', '8-0'), step('XCLAIM', 'g', 'grp', 'erin', '0', '99-0', 'FORCE'), step('XCLAIM', 'g', 'grp', 'erin', 'x', '8-0'), step('XCLAIM', 'g', 'grp', 'erin', '0', '8-0', 'IDLE', 'x'),
  step('XCLAIM', 'g', 'grp', 'erin', '0', '8-0', 'TIME', 'x'), step('XCLAIM', 'g', 'grp', 'erin', '0', '8-0', 'RETRYCOUNT', 'x'), step('XCLAIM', 'g', 'grp', 'erin', '0', '8-0', 'LASTID', 'x'), step('XCLAIM', 'g', 'grp', 'erin', '0', '8-0', 'BOGUS'),
  step('XCLAIM', 'g', 'nope', 'erin', '0', '8-0'), step('XCLAIM', 'str', 'grp', 'erin', '0', '8-0'), step('XCLAIM', 'g', 'grp', 'erin', '0', '8-0', 'LASTID', '50-0', 'JUSTID'), step('XINFO', 'GROUPS', 'g'),
  step('XGROUP', 'SETID', 'g', 'grp', '5-0'), step('XINFO', 'GROUPS', 'g'), step('XGROUP', 'SETID', 'g', 'grp', '0', 'ENTRIESREAD', '0'), step('XINFO', 'GROUPS', 'g'), step('XGROUP', 'SETID', 'g', 'grp', '$'),
  step('XGROUP', 'SETID', 'g', 'grp', '1-0', 'ENTRIESREAD'), step('XGROUP', 'SETID', 'g', 'grp', '1-0', 'ENTRIESREAD', '5', 'x', 'y'), step('XGROUP', 'SETID', 'g', 'grp', '-'), step('XGROUP', 'SETID', 'g', 'grp', '+'), step('XINFO', 'GROUPS', 'g'),
  step('XGROUP', 'CREATECONSUMER', 'g', 'grp', 'zed'), step('XGROUP', 'CREATECONSUMER', 'g', 'grp', 'zed'), step('XGROUP', 'CREATECONSUMER', 'g', 'nope', 'zed'), step('XINFO', 'CONSUMERS', 'g', 'nope'), shape('XINFO', 'CONSUMERS', 'g', 'grp'),
  step('XGROUP', 'DELCONSUMER', 'g', 'grp', 'dave'), step('XGROUP', 'DELCONSUMER', 'g', 'grp', 'dave'), step('XPENDING', 'g', 'grp'), step('XGROUP', 'DESTROY', 'g', 'grp'), step('XGROUP', 'DESTROY', 'g', 'grp'),
  step('XINFO', 'GROUPS', 'g'), step('XINFO', 'GROUPS', 'nokey'), step('XINFO', 'GROUPS', 'str'), step('XINFO', 'STREAM', 'g', 'FULL', 'COUNT', '2'), step('XINFO', 'STREAM', 'g', 'FULL', 'COUNT'), step('XINFO', 'STREAM', 'g', 'FULL', 'x'),
  step('XINFO', 'STREAM', 'nokey', 'FULL', 'bad'), step('XINFO', 'HELP'), step('XINFO', 'STREAM'), step('XINFO', 'FOO', 'g'), step('XINFO', 'STREAM', 'g', 'FULL', 'COUNT', 'x'),
];

const readsAndLag: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('XREAD', 'STREAMS', 'nope', '0'), step('XREAD', 'COUNT', '2', 'STREAMS', 'nope', 'nope2', '0', '$'), step('XREAD', 'STREAMS', 'str', '0'), step('XREAD', 'STREAMS', 'a', 'b', '0'), step('XREAD', 'STREAMS'),
  step('XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'), step('XREAD', 'NOACK', 'STREAMS', 'a', '0'), step('XREAD', 'STREAMS', 'a', '>'), step('XREAD', 'STREAMS', 'a', 'x'), step('XREAD', 'BLOCK', 'x', 'STREAMS', 'a', '0'),
  step('XREAD', 'BLOCK', '-1', 'STREAMS', 'a', '0'), step('XREAD', 'COUNT', 'x', 'STREAMS', 'a', '0'), step('XREAD', 'FOO', 'STREAMS', 'a', '0'),
  ...Array.from({ length: 5 }, (_, i) => step('XADD', 'a', `${i + 1}-0`, 'n', String(i))), step('XADD', 'b', '10-0', 'n', 'b'),
  step('XREAD', 'STREAMS', 'a', 'b', '2', '0'), step('XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '0-0', '$'), step('XREAD', 'COUNT', '-5', 'STREAMS', 'a', '3'), step('XREAD', 'STREAMS', 'a', '5-0'),
  step('XREAD', 'BLOCK', '10', 'STREAMS', 'a', '$'), step('MULTI'), step('XREAD', 'BLOCK', '0', 'STREAMS', 'a', '$'), step('EXEC'),
  step('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '>'), step('XREADGROUP', 'STREAMS', 'a', '>'), step('XREADGROUP', 'GROUP', 'g', 'STREAMS', 'a', '>'),
  step('XGROUP', 'CREATE', 'a', 'g', '0'), step('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '$'), step('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'b', '>', '>'),
  step('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'str', '>'), step('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '2', 'NOACK', 'STREAMS', 'a', '>'), step('XPENDING', 'a', 'g'), step('XINFO', 'GROUPS', 'a'),
  step('XDEL', 'a', '4-0'), step('XINFO', 'GROUPS', 'a'), step('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '>'), step('XINFO', 'GROUPS', 'a'), step('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '>'),
  step('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '10', 'STREAMS', 'a', '>'), step('XINFO', 'STREAM', 'a'),
  step('XADD', 'a', '6-0', 'n', '6'), step('XINFO', 'GROUPS', 'a'), step('XGROUP', 'CREATE', 'a', 'g2', '0'), step('XINFO', 'GROUPS', 'a'), step('XGROUP', 'CREATE', 'a', 'g3', '3-0', 'ENTRIESREAD', '3'), step('XINFO', 'GROUPS', 'a'),
  step('XGROUP', 'CREATE', 'a', 'g4', '$'), step('XGROUP', 'CREATE', 'a', 'g5', '9-0'), step('XINFO', 'GROUPS', 'a'), step('XTRIM', 'a', 'MAXLEN', '1'), step('XINFO', 'GROUPS', 'a'),
  step('XGROUP', 'CREATE', 'empty', 'g', '0', 'MKSTREAM'), step('XINFO', 'GROUPS', 'empty'), step('XADD', 'empty', '1-0', 'a', 'b'), step('XINFO', 'GROUPS', 'empty'), step('XDEL', 'empty', '1-0'), step('XINFO', 'GROUPS', 'empty'),
  step('XSETID', 'a', '100-0'), step('XSETID', 'a', '1-0'), step('XSETID', 'nope', '1-0'), step('XSETID', 'str', '1-0'), step('XSETID', 'a', 'x'), step('XSETID', 'a', '200-0', 'ENTRIESADDED', '-1'),
  step('XSETID', 'a', '200-0', 'ENTRIESADDED', '0'), step('XSETID', 'a', '200-0', 'MAXDELETEDID', '300-0'), step('XSETID', 'a', '200-0', 'MAXDELETEDID', '150-0', 'ENTRIESADDED', '99'), step('XSETID', 'a', '200-0', 'FOO', '1'),
  step('XINFO', 'STREAM', 'a'), step('XINFO', 'GROUPS', 'a'), step('XSETID', 'empty', '0-0'), step('XINFO', 'STREAM', 'empty'),
  step('XAUTOCLAIM', 'a', 'g', 'c', '0', '0'), step('XAUTOCLAIM', 'a', 'nope', 'c', '0', '0'), step('XAUTOCLAIM', 'a', 'g', 'c', 'x', '0'), step('XAUTOCLAIM', 'a', 'g', 'c', '0', 'x'), step('XAUTOCLAIM', 'a', 'g', 'c', '0', '0', 'COUNT', '0'),
  step('XAUTOCLAIM', 'a', 'g', 'c', '0', '0', 'COUNT', 'x'), step('XAUTOCLAIM', 'a', 'g', 'c', '0', '0', 'FOO'), step('XAUTOCLAIM', 'a', 'g', 'c', '0', `(${MAX}-${MAX}`),
  step('XGROUP', 'CREATE', 'ac', 'g', '0', 'MKSTREAM'), ...Array.from({ length: 6 }, (_, i) => step('XADD', 'ac', `${i + 1}-0`, 'f', String(i))),
  step('XREADGROUP', 'GROUP', 'g', 'x', 'STREAMS', 'ac', '>'), step('XDEL', 'ac', '2-0', '5-0'), step('XAUTOCLAIM', 'ac', 'g', 'y', '0', '0', 'COUNT', '2'), step('XAUTOCLAIM', 'ac', 'g', 'y', '0', '3-0', 'COUNT', '2', 'JUSTID'),
  step('XAUTOCLAIM', 'ac', 'g', 'y', '0', '-', 'COUNT', '10'), step('XPENDING', 'ac', 'g'), step('XCLAIM', 'ac', 'g', 'z', '0', '1-0', '6-0', '3-0'), step('XPENDING', 'ac', 'g'),
  step('XREADGROUP', 'GROUP', 'g', 'z', 'STREAMS', 'ac', '0'), step('XDEL', 'ac', '1-0'), step('XREADGROUP', 'GROUP', 'g', 'z', 'STREAMS', 'ac', '0'), step('XREADGROUP', 'GROUP', 'g', 'z', 'COUNT', '1', 'STREAMS', 'ac', '(1'),
];

describe('stream commands match redis-server', () => {
  for (const [name, script] of [['IDs and XADD', ids], ['ranges and XDEL', ranges], ['trimming and nodes', trimming], ['consumer groups', groups], ['reads, lag, XSETID, XAUTOCLAIM', readsAndLag]] as const) {
    it.each([2, 3] as const)(`${name}, RESP%i`, async (protocol) => {
      expect(await peers.compare(script, protocol)).toEqual([]);
    });
  }

  it('XREAD and XREADGROUP blocked on one connection are served by XADD on another, and unblocked by XGROUP DESTROY and DEL, same replies as redis-server', async () => {
    const transcripts: unknown[][] = [];
    for (const server of [peers.redis, peers.ours]) {
      const first = new RespConnection('127.0.0.1', server.port);
      const second = new RespConnection('127.0.0.1', server.port);
      const writer = new RespConnection('127.0.0.1', server.port);
      const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
      await writer.call('FLUSHALL');
      const transcript: unknown[] = [];
      await writer.call('XADD', 'k1', '1-0', 'old', 'x');
      const a = first.call('XREAD', 'BLOCK', '5000', 'STREAMS', 'k1', 'k2', '$', '$');
      await pause();
      await writer.call('XGROUP', 'CREATE', 'k2', 'g', '$', 'MKSTREAM');
      const b = second.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '5000', 'STREAMS', 'k2', '>');
      await pause();
      transcript.push(await writer.call('XADD', 'k2', '5-0', 'new', 'y'));
      transcript.push(await a, await b, await writer.call('XPENDING', 'k2', 'g'));
      // A stream deleted under a blocked XREADGROUP fails it; a destroyed group too.
      const c = first.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'k2', '>');
      await pause();
      transcript.push(await writer.call('XGROUP', 'DESTROY', 'k2', 'g'));
      transcript.push(errorText(await c));
      await writer.call('XGROUP', 'CREATE', 'k2', 'g', '$');
      const d = first.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'k2', '>');
      await pause();
      transcript.push(await writer.call('DEL', 'k2'));
      transcript.push(errorText(await d));
      // A deleted key does not wake XREAD; a later XADD does. MAXLEN 0 serves an empty entry list.
      const e = first.call('XREAD', 'BLOCK', '0', 'STREAMS', 'k3', '$');
      await pause();
      await writer.call('XADD', 'k3', 'MAXLEN', '0', '7-0', 'gone', 'z');
      transcript.push(await e);
      const f = second.call('XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'k3', '$');
      await pause();
      await writer.call('DEL', 'k3');
      await pause();
      await writer.call('XADD', 'k3', '8-0', 'a', '1');
      await writer.call('XADD', 'k3', '9-0', 'b', '2');
      transcript.push(await f);
      transcript.push(await first.call('XREAD', 'BLOCK', '30', 'STREAMS', 'k3', '$'));
      transcripts.push(transcript);
      first.close();
      second.close();
      writer.close();
    }
    expect(transcripts[0]).toEqual([
      '5-0', [['k2', [['5-0', ['new', 'y']]]]], [['k2', [['5-0', ['new', 'y']]]]], [1, '5-0', '5-0', [['c', '1']]],
      1, 'NOGROUP the consumer group this client was blocked on no longer exists',
      1, 'UNBLOCKED the stream key no longer exists',
      [['k3', []]], [['k3', [['8-0', ['a', '1']]]]], null,
    ]);
    expect(transcripts[1]).toEqual(transcripts[0]);
  });

  it('keyspace notifications: the same events, names and order as redis-server', async () => {
    const script: Command[] = [
      ['XADD', 'n', '1-0', 'a', '1'], ['XADD', 'n', 'MAXLEN', '1', '2-0', 'b', '2'], ['XADD', 'n', 'MAXLEN', '5', '3-0', 'c', '3'], ['XADD', 'missing', 'NOMKSTREAM', '*', 'a', '1'],
      ['XDEL', 'n', '9-9'], ['XDEL', 'n', '2-0'], ['XTRIM', 'n', 'MAXLEN', '0'], ['XTRIM', 'n', 'MAXLEN', '0'],
      ['XGROUP', 'CREATE', 'g', 'grp', '$', 'MKSTREAM'], ['XGROUP', 'CREATE', 'g', 'grp', '$'], ['XGROUP', 'CREATECONSUMER', 'g', 'grp', 'c1'], ['XGROUP', 'CREATECONSUMER', 'g', 'grp', 'c1'],
      ['XADD', 'g', '5-0', 'f', 'v'], ['XREADGROUP', 'GROUP', 'grp', 'c2', 'STREAMS', 'g', '>'], ['XCLAIM', 'g', 'grp', 'c3', '0', '5-0', 'JUSTID'], ['XAUTOCLAIM', 'g', 'grp', 'c4', '0', '0', 'JUSTID'],
      ['XGROUP', 'SETID', 'g', 'grp', '0'], ['XGROUP', 'DELCONSUMER', 'g', 'grp', 'c1'], ['XGROUP', 'DELCONSUMER', 'g', 'grp', 'nobody'], ['XSETID', 'g', '10-0'], ['XACK', 'g', 'grp', '5-0'],
      ['XGROUP', 'DESTROY', 'g', 'grp'], ['XGROUP', 'DESTROY', 'g', 'grp'], ['XRANGE', 'nokey', '-', '+'], ['DEL', 'g'],
    ];
    const transcripts = [];
    for (const port of [peers.redis.port, peers.ours.port]) {
      const recorder = await keyspaceEventRecorder(port);
      try {
        await recorder.run([['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'AKEmn']]);
        transcripts.push(await recorder.run(script));
        await recorder.run([['CONFIG', 'SET', 'notify-keyspace-events', '']]);
      } finally {
        recorder.close();
      }
    }
    expect(transcriptDifferences(transcripts[0]!, transcripts[1]!)).toEqual([]);
    expect(transcripts[0]!.filter((entry) => entry.events.some((event) => event.includes('xgroup-'))).length).toBeGreaterThan(4);
  });

  it('COMMAND INFO (classic fields) and COMMAND GETKEYS match redis-server', async () => {
    const names = 'xadd xtrim xrange xrevrange xlen xdel xread xreadgroup xgroup xsetid xack xpending xclaim xautoclaim xinfo'.split(' ');
    const classic = async (port: number, name: string) => {
      const connection = new RespConnection('127.0.0.1', port);
      try {
        const info = ((await connection.call('COMMAND', 'INFO', name)) as unknown[][])[0]!;
        // Subcommands (the tenth field) are compared by their own classic fields.
        const subcommands = ((info[9] ?? []) as unknown[][]).map((sub) => sub.slice(0, 8)).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
        return [...info.slice(0, 8), subcommands];
      } finally {
        connection.close();
      }
    };
    for (const name of names) expect(await classic(peers.ours.port, name), name).toEqual(await classic(peers.redis.port, name));
    for (const args of [['xread', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'], ['xreadgroup', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 'a', '>'], ['xgroup', 'CREATE', 'k', 'g', '$'], ['xinfo', 'STREAM', 'k']]) {
      const [a, b] = [new RespConnection('127.0.0.1', peers.redis.port), new RespConnection('127.0.0.1', peers.ours.port)];
      expect(await b.call('COMMAND', 'GETKEYS', ...args), args[0]).toEqual(await a.call('COMMAND', 'GETKEYS', ...args));
      a.close();
      b.close();
    }
  });
});
