/**
 * Input a connection keeps from one read to the next, while other
 * connections read in between: the engine reads every connection into one
 * shared buffer (server/shared-read-buffer.ts), so whatever it keeps past a
 * read (the start of a header line, the pipeline of a blocked client) must
 * be a copy. Each script runs on two raw connections to redis-server and to
 * the engine; everything each connection gets back must be identical.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

type Actor = 'a' | 'b';
type Move = readonly [Actor, string];

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function connect(port: number): Promise<{ socket: net.Socket; output: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const output: Buffer[] = [];
    socket.on('data', (chunk) => output.push(chunk));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, output }));
  });
}

/** Plays the moves in order, each in a write of its own followed by a pause; returns what each connection received. */
async function play(port: number, moves: ReadonlyArray<Move>): Promise<Record<Actor, string>> {
  const a = await connect(port);
  const b = await connect(port);
  const actors = { a, b };
  try {
    await pause(20);
    for (const [actor, bytes] of moves) {
      actors[actor].socket.write(Buffer.from(bytes, 'latin1'));
      await pause(60);
    }
    await pause(100);
    return { a: Buffer.concat(a.output).toString('latin1'), b: Buffer.concat(b.output).toString('latin1') };
  } finally {
    a.socket.destroy();
    b.socket.destroy();
  }
}

const command = (...argv: string[]): string => `*${argv.length}\r\n` + argv.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join('');
/** Overwrites the first bytes of any shared read buffer with other digits and letters. */
const overwrite = command('SET', 'other', '9'.repeat(300)) + command('GET', 'other');

const SCRIPTS: Array<[string, ReadonlyArray<Move>]> = [
  [
    'a header line split across reads',
    [
      ['a', command('SET', 'split') + '$1'],
      ['b', overwrite],
      ['a', '2\r\nhello world!\r\n' + command('GET', 'split')],
    ],
  ],
  [
    'an inline request split across reads',
    [
      ['a', 'SET inline hello-wor'],
      ['b', overwrite],
      ['a', 'ld\r\nGET inline\r\n'],
    ],
  ],
  [
    'the rest of a read that blocked its client',
    [
      ['b', command('DEL', 'queue')],
      ['a', command('BLPOP', 'queue', '0') + command('SET', 'after', 'kept-bytes') + command('GET', 'after')],
      ['b', overwrite],
      ['b', command('LPUSH', 'queue', 'x')],
    ],
  ],
  [
    'a read that arrived while its client was blocked',
    [
      ['b', command('DEL', 'queue')],
      ['a', command('BLPOP', 'queue', '0')],
      ['a', command('SET', 'later', 'kept-too') + command('GET', 'later')],
      ['b', overwrite],
      ['b', command('LPUSH', 'queue', 'y')],
    ],
  ],
];

describe('input kept between reads, other connections reading meanwhile', () => {
  it.each(SCRIPTS)('%s', async (_name, moves) => {
    const expected = await play(peers.redis.port, moves);
    const actual = await play(peers.ours.port, moves);
    expect(actual).toEqual(expected);
  });
});
