/**
 * Error replies made from a script's error tables, against redis-server
 * 7.0.15: a table's err text goes out after a '-' as it is ("-%s"), so an
 * err that starts with '-' itself replies "--..."; redis.error_reply and
 * Redis's own errors keep the code without its '-' (luaPushErrorBuff). And
 * INFO errorstats takes the code the way afterErrorReply does: what comes
 * before the first space within the reply line's first 32 bytes, ERR when
 * there is none, and lists the codes in byte order. Error tables nested in
 * a returned table are error replies of their own: counted in errorstats
 * (unless redis.pcall returned them) and in the command's failed_calls.
 * A returned err has its trailing CR/LF trimmed and inner ones made spaces
 * before both the reply and errorstats ("x y\n" replies "-x y").
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

const ERRS = ['x y', '-x y', 'nospace', '-nospace', '', '-', '- y', ' y', 'ABCDEFGHIJKLMNOPQRSTUVWXYZABCD y', 'ABCDEFGHIJKLMNOPQRSTUVWXYZABCDE y', '-ABCDEFGHIJKLMNOPQRSTUVWXYZABC y',
  // addReplyErrorFormatEx trims trailing CR/LF and maps inner ones to spaces (error() maps only).
  'x y\n', 'ab\rcd\nef\r\n', '\nfoo bar', 'code\nx', '\r\n', 'x\r\n\r\n', '-x y\n'];

/** calls, rejected_calls and failed_calls of EVAL and LPUSH (usec left out: timing). */
const callCounts = (raw: Buffer): string =>
  raw.toString('latin1').split('\r\n').filter((line) => /^cmdstat_(eval|lpush):/.test(line)).map((line) => line.replace(/,usec=[^,]*,usec_per_call=[^,]*/, '')).sort().join('\n');

const steps: Step[] = [
  step('CONFIG', 'RESETSTAT'),
  ...ERRS.flatMap((err) => [
    step('EVAL', 'return {err=ARGV[1]}', '0', err),
    step('EVAL', 'error({err=ARGV[1]})', '0', err),
    step('EVAL', 'return redis.error_reply(ARGV[1])', '0', err),
    step('EVAL', "return {1, {err=ARGV[1]}, 'after'}", '0', err),
    step('EVAL', 'return redis.pcall("EVAL", "return {err=ARGV[1]}", 0, ARGV[1])', '0', err),
  ]),
  step('INFO', 'errorstats'),
  step('SET', 'str', 'v'),
  step('EVAL', "return {redis.pcall('LPUSH', 'str', 'x'), redis.pcall('LPUSH', 'str', 'x'), {err='NESTED deeper'}}", '0'),
  step('EVAL', "return redis.pcall('LPUSH', 'str', 'x')", '0'),
  step('EVAL', "return {ok='fine', {err='x'}}", '0'),
  step('INFO', 'errorstats'),
  { cmd: ['INFO', 'stats'], compare: (raw) => /total_error_replies:\d+/.exec(raw.toString('latin1'))![0] },
  { cmd: ['INFO', 'commandstats'], compare: callCounts },
];

describe('script error tables reply and count as redis-server', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    expect(await peers.compare(steps, protocol)).toEqual([]);
  });
});
