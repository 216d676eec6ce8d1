/**
 * LCS and BITOP against a real redis-server 7.0, byte for byte: the LCS
 * string, LEN, IDX ranges (with MINMATCHLEN and WITHMATCHLEN, the ranges
 * Redis picks among equally long answers), binary and empty inputs, and
 * the errors; BITOP's four operations over strings of different lengths,
 * missing keys, deleting the destination on an empty result, and errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { step, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

const binary = Buffer.from([0, 0xff, 0x10, 0x80, 0x7f, 0]);

const lcsScript: Step[] = [
  step('FLUSHALL'),
  step('MSET', 'key1', 'ohmytext', 'key2', 'mynewtext', 'a', 'ABCBDAB', 'b', 'BDCABA', 'same', 'abcabc', 'rep', 'aaaa', 'one', 'x'),
  step('SET', 'bin1', binary), step('SET', 'bin2', Buffer.from([0xff, 0, 0x80, 0x10, 0])),
  step('LCS', 'key1', 'key2'), step('LCS', 'key1', 'key2', 'LEN'), step('LCS', 'key1', 'key2', 'IDX'),
  step('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4'), step('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'),
  step('LCS', 'key1', 'key2', 'IDX', 'WITHMATCHLEN', 'MINMATCHLEN', '-3'),
  step('LCS', 'a', 'b'), step('LCS', 'b', 'a'), step('LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'), step('LCS', 'b', 'a', 'idx'),
  step('LCS', 'same', 'same', 'IDX', 'WITHMATCHLEN'), step('LCS', 'rep', 'same', 'IDX'), step('LCS', 'rep', 'one'), step('LCS', 'one', 'rep', 'IDX'),
  step('LCS', 'bin1', 'bin2'), step('LCS', 'bin1', 'bin2', 'IDX', 'WITHMATCHLEN'),
  step('LCS', 'key1', 'missing'), step('LCS', 'missing', 'missing2', 'IDX'), step('LCS', 'missing', 'key2', 'LEN'),
  step('LCS', 'key1', 'key2', 'LEN', 'IDX'), step('LCS', 'key1', 'key2', 'FOO'), step('LCS', 'key1', 'key2', 'MINMATCHLEN'), step('LCS', 'key1', 'key2', 'MINMATCHLEN', 'x'),
  step('RPUSH', 'list', 'x'), step('LCS', 'key1', 'list'), step('LCS', 'key1'),
];

const bitopScript: Step[] = [
  step('FLUSHALL'),
  step('SET', 'k1', 'foobar'), step('SET', 'k2', 'abcdef'), step('SET', 'short', 'ab'), step('SET', 'bin', binary), step('SET', 'empty', ''),
  step('BITOP', 'AND', 'dest', 'k1', 'k2'), step('GET', 'dest'), step('BITOP', 'or', 'dest', 'k1', 'short'), step('GET', 'dest'),
  step('BITOP', 'XOR', 'dest', 'k1', 'k2', 'short', 'bin'), step('GET', 'dest'), step('BITOP', 'NOT', 'dest', 'bin'), step('GET', 'dest'),
  step('BITOP', 'AND', 'dest', 'k1', 'missing'), step('GET', 'dest'), step('BITOP', 'OR', 'dest', 'missing', 'k2'), step('GET', 'dest'),
  step('EXPIRE', 'dest', '100'), step('BITOP', 'AND', 'dest', 'k1', 'k1'), step('TTL', 'dest'),
  step('BITOP', 'OR', 'dest', 'missing', 'empty'), step('EXISTS', 'dest'), step('BITOP', 'NOT', 'dest', 'empty'),
  step('BITOP', 'NOT', 'dest', 'k1', 'k2'), step('BITOP', 'NAND', 'dest', 'k1'), step('BITOP', 'AND', 'dest'),
  step('RPUSH', 'list', 'x'), step('BITOP', 'AND', 'dest', 'k1', 'list'), step('BITOP', 'AND', 'list', 'k1'), step('TYPE', 'list'),
];

describe('LCS and BITOP', () => {
  it('LCS answers like redis-server (RESP2 and RESP3)', async () => {
    expect(await peers.compare(lcsScript)).toEqual([]);
    expect(await peers.compare(lcsScript, 3)).toEqual([]);
  });

  it('LCS picks the same answer as redis-server on random strings over a small alphabet (fixed seed)', async () => {
    const strings = fc.sample(fc.tuple(fc.stringMatching(/^[abc]{0,14}$/), fc.stringMatching(/^[abc]{0,14}$/)), { seed: 11, numRuns: 150 });
    const steps: Step[] = strings.flatMap(([x, y]) => [step('MSET', 'x', x, 'y', y), step('LCS', 'x', 'y'), step('LCS', 'x', 'y', 'IDX', 'WITHMATCHLEN'), step('LCS', 'x', 'y', 'IDX', 'MINMATCHLEN', '2')]);
    expect(await peers.compare(steps)).toEqual([]);
  });

  it('BITOP answers like redis-server', async () => {
    expect(await peers.compare(bitopScript)).toEqual([]);
  });
});
