/**
 * SORT / SORT_RO against a real redis-server 7.0: numeric and ALPHA, ASC and
 * DESC, LIMIT edge cases, BY patterns (string keys, hash fields, missing
 * keys, no '*'), GET patterns and '#', STORE (then read back), the error
 * replies, and COMMAND GETKEYS. Sets read without sorting come in no
 * defined order and are compared unordered.
 */
import { describe, expect, it } from 'vitest';
import { step, unordered, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

const script: Step[] = [
  step('FLUSHALL'),
  step('RPUSH', 'nums', '3', '1', '10', '-2.5', '1e3', '0', '7'),
  step('RPUSH', 'words', 'pear', 'apple', 'Banana', 'cherry', 'apple', ''),
  step('SADD', 'ints', '5', '3', '9', '1'),
  step('SADD', 'names', 'bob', 'alice', 'carol', 'dave'),
  step('ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '4', 'd'),
  step('MSET', 'w_bob', '30', 'w_alice', '10', 'w_carol', '20', 'n_bob', 'Bob', 'n_alice', 'Alice', 'n_carol', 'Carol'),
  step('HSET', 'h_bob', 'age', '41', 'city', 'Oslo'), step('HSET', 'h_alice', 'age', '29', 'city', 'Lima'), step('HSET', 'h_carol', 'age', '35'),
  step('SORT', 'nums'), step('SORT', 'nums', 'DESC'), step('SORT', 'nums', 'LIMIT', '1', '3'), step('SORT', 'nums', 'LIMIT', '-5', '2'),
  step('SORT', 'nums', 'LIMIT', '2', '-1'), step('SORT', 'nums', 'LIMIT', '100', '5'), step('SORT', 'nums', 'LIMIT', '0', '0'), step('SORT', 'nums', 'desc', 'limit', '0', '3'),
  step('SORT', 'words'), step('SORT', 'words', 'ALPHA'), step('SORT', 'words', 'ALPHA', 'DESC', 'LIMIT', '1', '2'),
  step('SORT', 'ints'), step('SORT', 'ints', 'DESC'), step('SORT', 'names', 'ALPHA'), step('SORT', 'z'), step('SORT', 'z', 'ALPHA', 'DESC'),
  step('SORT', 'names', 'BY', 'w_*'), step('SORT', 'names', 'BY', 'w_*', 'DESC'), step('SORT', 'names', 'BY', 'w_*', 'GET', '#', 'GET', 'n_*', 'GET', 'h_*->city', 'GET', 'missing_*'),
  step('SORT', 'names', 'BY', 'h_*->age'), step('SORT', 'names', 'BY', 'n_*', 'ALPHA'), step('SORT', 'names', 'BY', 'n_*', 'ALPHA', 'DESC', 'LIMIT', '0', '2'),
  step('SORT', 'nums', 'BY', 'nosort'), step('SORT', 'nums', 'BY', 'nosort', 'DESC'), step('SORT', 'nums', 'BY', 'nosort', 'LIMIT', '2', '3'), step('SORT', 'nums', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'),
  step('SORT', 'z', 'BY', 'nosort'), step('SORT', 'z', 'BY', 'nosort', 'DESC'), step('SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '2'), step('SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '5'),
  unordered('SORT', 'names', 'BY', 'nosort'), unordered('SORT', 'names', 'BY', 'nosort', 'GET', 'w_*'),
  step('SORT', 'names', 'BY', 'nosort', 'STORE', 'dst'), step('LRANGE', 'dst', '0', '-1'),
  step('SORT', 'nums', 'STORE', 'dst'), step('LRANGE', 'dst', '0', '-1'), step('TYPE', 'dst'), step('OBJECT', 'ENCODING', 'dst'),
  step('SORT', 'names', 'BY', 'w_*', 'GET', 'n_*', 'GET', 'nothing_*', 'STORE', 'dst2'), step('LRANGE', 'dst2', '0', '-1'),
  step('SET', 'dst3', 'x'), step('EXPIRE', 'dst3', '100'), step('SORT', 'nums', 'LIMIT', '0', '2', 'STORE', 'dst3'), step('TTL', 'dst3'), step('LRANGE', 'dst3', '0', '-1'),
  step('SORT', 'nonexistent', 'STORE', 'dst3'), step('EXISTS', 'dst3'), step('SORT', 'nonexistent'),
  step('SORT_RO', 'nums'), step('SORT_RO', 'names', 'BY', 'w_*', 'GET', 'n_*'), step('SORT_RO', 'nums', 'STORE', 'x'),
  step('SORT', 'words'), step('SORT', 'names'), step('SORT', 'names', 'BY', 'n_*'),
  step('SET', 'str', 'v'), step('SORT', 'str'), step('SORT'), step('SORT', 'nums', 'LIMIT', 'x', '1'), step('SORT', 'nums', 'LIMIT', '1'),
  step('SORT', 'nums', 'FOO'), step('SORT', 'nums', 'BY'), step('SORT', 'nums', 'GET'), step('SORT', 'nums', 'STORE'),
  step('RPUSH', 'odd', '1', ' 2', '', '3.5e1', 'inf', '-inf', '0x10', '0x1.8p1', '-0X.8', '+.5', '1.', 'INFINITY'), step('SORT', 'odd'),
  step('RPUSH', 'badhex', '0x'), step('SORT', 'badhex'), step('RPUSH', 'tiny', '1e-400'), step('SORT', 'tiny'),
  step('RPUSH', 'bad', '1', '2 '), step('SORT', 'bad'), step('RPUSH', 'nan', 'nan'), step('SORT', 'nan'), step('RPUSH', 'huge', '1e400'), step('SORT', 'huge'),
  step('COMMAND', 'GETKEYS', 'SORT', 'nums', 'BY', 'w_*', 'LIMIT', '0', '1', 'STORE', 'dst'), step('COMMAND', 'GETKEYS', 'SORT_RO', 'nums', 'GET', '#'),
];

describe('SORT', () => {
  it('answers like redis-server (RESP2 and RESP3)', async () => {
    expect(await peers.compare(script)).toEqual([]);
    expect(await peers.compare(script, 3)).toEqual([]);
  });
});
