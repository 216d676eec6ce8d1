/**
 * Malformed protocol, byte for byte against redis-server: each input is sent
 * on a fresh connection to both servers; everything each server writes back
 * (until it closes the connection, or goes quiet) must be identical, and so
 * must the decision to close. Valid commands before the bad bytes are served.
 *
 * Then what the server itself records (networking.c addReplyError, then
 * setProtocolError): the error reply counts in total_error_replies and
 * errorstat_ERR, and with `loglevel verbose` the server logs "Protocol error
 * (<reason>) from client: <CLIENT INFO line, the error reply queued>. Query
 * buffer during protocol error: '<sample>'".
 */
import net from 'node:net';
import { differentialPair } from '../support/differential-pair';
import { describe, expect, it } from 'vitest';
import { startRedisServer } from '../support/redis-server';
import { startEngine } from '../support/engine';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';

interface Exchange {
  readonly output: string;
  readonly closed: boolean;
}

/** Writes `input` (in one write) and collects the answer until close or `quietMs` of silence. */
function exchange(port: number, input: Buffer | string, quietMs = 250): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | null = null;
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket.destroy();
      resolve({ output: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => finish(false), quietMs);
    };
    socket.on('connect', () => {
      socket.write(input);
      arm();
    });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      arm();
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (failure) => (settled ? undefined : chunks.length > 0 ? finish(true) : reject(failure)));
  });
}

const CASES: Array<[string, Buffer | string]> = [
  ['multibulk length not a number', '*abc\r\n'],
  ['multibulk length too big', '*1048577\r\n'],
  ['negative multibulk length is an empty request', '*-1\r\nPING\r\n'],
  ['zero multibulk length', '*0\r\nPING\r\n'],
  ['bulk header without $', '*1\r\n+PING\r\n'],
  ['bulk length not a number', '*1\r\n$abc\r\n'],
  ['negative bulk length', '*1\r\n$-1\r\n'],
  ['bulk length above proto-max-bulk-len', '*1\r\n$536870913\r\n'],
  ['valid command then garbage', '*1\r\n$4\r\nPING\r\n*x\r\n'],
  ['unbalanced quotes inline', 'SET "a b\r\n'],
  ['inline with escapes', 'ECHO "a\\x41\\n"\r\n'],
  ['empty inline lines are skipped', '\r\n\r\nPING\r\n'],
  ['inline too big', 'A'.repeat(70 * 1024)],
  ['multibulk header too big', '*' + '1'.repeat(70 * 1024)],
  ['bulk header too big', '*1\r\n$' + '1'.repeat(70 * 1024)],
  ['unknown command with many args', '*3\r\n$3\r\nFOO\r\n$1\r\na\r\n$1\r\nb\r\n'],
  ['pipelined valid commands with one error in the middle', 'PING\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n'],
  ['bulk not followed by CRLF', '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n'],
  // Redis finds a line's end with strchr, which stops at a NUL: such a line never ends.
  ['inline line with a NUL before its newline gets no reply', Buffer.from('\xff\xfe\x00\r\nPING\r\n', 'latin1')],
  ['a request before the NUL line is served', Buffer.from('PING\r\n\x00\r\nPING\r\n', 'latin1')],
  ['NUL in a multibulk count line', Buffer.from('*1\x00\r\n$4\r\nPING\r\n', 'latin1')],
  ['NUL in a bulk header', Buffer.from('*1\r\n$4\x00\r\nPING\r\n', 'latin1')],
  ['NUL inside a bulk body is data', Buffer.from('*2\r\n$4\r\nECHO\r\n$3\r\na\x00b\r\n', 'latin1')],
  ['a stalled inline line then 70 KB', Buffer.concat([Buffer.from('GET a\x00\r\n', 'latin1'), Buffer.alloc(70 * 1024, 'A')])],
  ['a stalled multibulk count line then 70 KB', Buffer.concat([Buffer.from('*2\x00\r\n', 'latin1'), Buffer.alloc(70 * 1024, '\n')])],
  ['a stalled bulk header then 70 KB', Buffer.concat([Buffer.from('*1\r\n$\x00', 'latin1'), Buffer.alloc(70 * 1024, '\r')])],
  ['an inline SET with a NUL in its value stalls before the GET after it', Buffer.from('SET nul-k a\x00b\r\nGET nul-k\r\n', 'latin1')],
  // sdssplitargs skips isspace() (\v and \f too) between arguments, but ends an unquoted one only at ' ', \t, \r, \n.
  ['inline \\v and \\f skipped before a word, kept inside one', '\x0bECHO\x0ca b\x0c\r\n'],
  ['inline \\v and \\f at the end of a word', 'ECHO a\x0b\x0c\r\n'],
  ['inline closing quote followed by \\v ends the argument', 'ECHO "x"\x0by\r\n'],
  ['inline closing single quote followed by \\f', "ECHO 'a'\x0c\r\n"],
  ['an inline line of whitespace of every kind is empty', ' \t\x0b\x0c\r\nPING\r\n'],
  ['inline \\x00 escape inside double quotes is a NUL byte', 'ECHO "a\\x00b"\r\n'],
];

describe('malformed protocol answers and closes exactly like redis-server', () => {
  const peers = differentialPair();

  it.each(CASES)('%s', async (_name, input) => {
    const [theirs, mine] = await Promise.all([exchange(peers.redis.port, input), exchange(peers.ours.port, input)]);
    expect(mine).toEqual(theirs);
  });

  it('an inline SET stalled by a NUL sets nothing, and a later connection still works', async () => {
    const input = Buffer.from('SET nul-set a\x00b\r\n', 'latin1');
    const stalled = await Promise.all([exchange(peers.redis.port, input), exchange(peers.ours.port, input)]);
    expect(stalled[1]).toEqual(stalled[0]);
    const [theirs, mine] = await Promise.all([exchange(peers.redis.port, 'EXISTS nul-set\r\n'), exchange(peers.ours.port, 'EXISTS nul-set\r\n')]);
    expect(theirs).toEqual({ output: ':0\r\n', closed: false });
    expect(mine).toEqual(theirs);
  });

  it('limits for unauthenticated clients (requirepass)', async () => {
    const [lockedRedis, lockedOurs] = await Promise.all([
      startRedisServer({ args: ['--requirepass', 'secret'], password: 'secret' }),
      startEngine([['requirepass', 'secret']]),
    ]);
    const inputs = ['*11\r\n', '*1\r\n$16385\r\n', '*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n*1\r\n$16385\r\n', 'GET x\r\n'];
    for (const input of inputs) {
      const [theirs, mine] = await Promise.all([exchange(lockedRedis.port, input), exchange(lockedOurs.port, input)]);
      expect({ input, ...mine }).toEqual({ input, ...theirs });
    }
  });
});

/** CLIENT INFO fields that differ between processes and runs (rbs and rbp follow the clients cron's first visit). */
const UNSTABLE_FIELDS = new Set(['id', 'addr', 'laddr', 'fd', 'age', 'idle', 'rbs', 'rbp']);

describe('a protocol error is counted and logged as redis-server does', () => {
  const peers = differentialPair([['loglevel', 'verbose']]);

  /** The error figures after `input` on a fresh connection, and the "Protocol error" line it logged (CLIENT INFO reduced). */
  async function recorded(node: { port: number }, log: () => string[], input: string): Promise<unknown> {
    const before = log().length;
    await exchange(node.port, input);
    await waitFor(() => log().slice(before).some((line) => line.includes('Protocol error')), { what: 'the protocol error line' });
    const line = log().slice(before).find((entry) => entry.includes('Protocol error'))!
      .replace(/^\d+:M \d\d \w{3} \d{4} [\d:.]+ /, '')
      .replace(/(from client: )(.*?)(\. Query buffer)/, (_, lead: string, infoLine: string, tail: string) =>
        lead + infoLine.split(' ').filter((field) => !UNSTABLE_FIELDS.has(field.split('=')[0]!)).join(' ') + tail);
    const fields = await info(node);
    return { line, total: fields.get('total_error_replies'), errorstat: fields.get('errorstat_ERR') };
  }

  it.each([
    '*x\r\n',
    'GET "k\r\n',
    '*1\r\n$4\r\nPING\r\n*1\r\n$x\r\n',
    '*1\r\n#3\r\n',
    '*1\r\n$3\r\nGET\r\n*1\r\n$' + 'x'.repeat(200) + '\r\n',
  ])('%j', async (input) => {
    await Promise.all([peers.redis.call('CONFIG', 'RESETSTAT'), peers.ours.call('CONFIG', 'RESETSTAT')]);
    const theirs = await recorded(peers.redis, () => peers.redis.log().split('\n'), input);
    const mine = await recorded(peers.ours, () => peers.ours.logs, input);
    expect(theirs).toMatchObject({ line: expect.stringMatching(/^- Protocol error \(/) });
    expect(mine).toEqual(theirs);
  });
});
