/**
 * Client-side caching (CLIENT TRACKING) against real redis-server: each
 * scenario drives a few connections the same way on both servers and
 * records, in order, the exact bytes every connection receives (replies,
 * invalidation pushes, pub/sub invalidation messages), with the servers'
 * client ids replaced by their role so the transcripts can be compared.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

const peers = differentialPair();
const open: RespConnection[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()!.close();
});

/** A scenario's view of one server: named connections, and the transcript they fill. */
class Session {
  readonly transcript: string[] = [];
  private readonly ids = new Map<string, string>();
  private readonly connections = new Map<string, RespConnection>();

  constructor(readonly port: number) {}

  /** Opens a connection named `name`, remembering its client id (printed as <name>). */
  async connect(name: string, protocol: 2 | 3 = 2): Promise<RespConnection> {
    const connection = new RespConnection('127.0.0.1', this.port);
    open.push(connection);
    this.connections.set(name, connection);
    if (protocol === 3) await connection.call('HELLO', '3');
    this.ids.set(String(await connection.call('CLIENT', 'ID')), `<${name}>`);
    return connection;
  }

  id(name: string): string {
    for (const [id, shown] of this.ids) if (shown === `<${name}>`) return id;
    throw new Error(`no connection ${name}`);
  }

  /** The reply bytes, with integer client ids shown as <name> when the reply carries ids. */
  private show(raw: Buffer, carriesIds: boolean): string {
    let text = raw.toString('latin1');
    if (carriesIds) for (const [id, shown] of this.ids) text = text.split(`:${id}\r\n`).join(`:${shown}\r\n`);
    return text;
  }

  /** The command as typed, with the client id after REDIRECT shown as <name>. */
  private showArgs(args: ReadonlyArray<string | number>): string {
    return args.map((arg, i) => (String(args[i - 1]).toUpperCase() === 'REDIRECT' ? (this.ids.get(String(arg)) ?? String(arg)) : String(arg))).join(' ');
  }

  /** Sends a command on `name` and records its reply. */
  async send(name: string, ...args: Array<string | number>): Promise<void> {
    const reply = await this.connections.get(name)!.callRaw(...args);
    const carriesIds = String(args[0]).toUpperCase() === 'CLIENT' && ['GETREDIR', 'TRACKINGINFO'].includes(String(args[1]).toUpperCase());
    this.transcript.push(`${name} ${this.showArgs(args)} -> ${this.show(reply.raw, carriesIds)}`);
  }

  /** Sends without reading (CLIENT REPLY OFF, blocking commands). */
  async write(name: string, ...args: Array<string | number>): Promise<void> {
    const encoded = args.map((arg) => String(arg)).map((arg) => `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`).join('');
    await this.connections.get(name)!.writeRaw(Buffer.from(`*${args.length}\r\n${encoded}`, 'latin1'));
    this.transcript.push(`${name} ${this.showArgs(args)} (no reply read)`);
  }

  /** Records the next thing `name` receives (a push or a reply not read yet). */
  async receive(name: string): Promise<void> {
    const reply = await this.connections.get(name)!.nextReply(5000);
    this.transcript.push(`${name} <- ${this.show(reply.raw, reply.raw.includes('tracking-redir-broken'))}`);
  }

  /** Checks that nothing else arrived on `name`: a PING's reply must come next. */
  async nothingPending(name: string): Promise<void> {
    await this.send(name, 'PING');
  }
}

type Scenario = (session: Session) => Promise<void>;

async function compare(scenario: Scenario): Promise<string[]> {
  const transcripts: string[][] = [];
  for (const port of [peers.redis.port, peers.ours.port]) {
    const session = new Session(port);
    const admin = await session.connect('admin');
    await admin.call('FLUSHALL');
    await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    await scenario(session);
    transcripts.push(session.transcript);
    while (open.length > 0) open.pop()!.close();
  }
  expect(transcripts[1]).toEqual(transcripts[0]);
  return transcripts[0]!;
}

describe('CLIENT TRACKING matches redis-server', () => {
  it('default mode in RESP3: the reader is invalidated once, after it read the key', async () => {
    const transcript = await compare(async (s) => {
      await s.connect('reader', 3);
      await s.connect('writer');
      await s.send('reader', 'CLIENT', 'TRACKING', 'on');
      await s.send('writer', 'SET', 'k', 1);
      await s.send('reader', 'GET', 'k');
      await s.send('reader', 'MGET', 'k', 'other', 'k');
      await s.send('writer', 'SET', 'k', 2);
      await s.receive('reader');
      await s.send('writer', 'SET', 'k', 3);
      await s.send('writer', 'INCR', 'other');
      await s.receive('reader');
      await s.nothingPending('reader');
    });
    expect(transcript.some((line) => line.includes('invalidate'))).toBe(true);
  });

  it('REDIRECT to a RESP2 subscriber of __redis__:invalidate, and to a RESP3 client', async () => {
    await compare(async (s) => {
      await s.connect('sink');
      await s.connect('sink3', 3);
      await s.connect('reader');
      await s.connect('writer');
      await s.send('sink', 'SUBSCRIBE', '__redis__:invalidate');
      await s.send('reader', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', s.id('sink'));
      await s.send('reader', 'CLIENT', 'GETREDIR');
      await s.send('reader', 'GET', 'a');
      await s.send('writer', 'SET', 'a', 1);
      await s.receive('sink');
      await s.send('reader', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', s.id('sink3'));
      await s.send('reader', 'GET', 'b');
      await s.send('writer', 'DEL', 'b');
      await s.send('writer', 'SET', 'b', 1);
      await s.receive('sink3');
      await s.send('writer', 'FLUSHALL');
      await s.receive('sink3');
      await s.send('reader', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', s.id('sink'));
      await s.send('writer', 'FLUSHDB');
      await s.receive('sink');
      // Redirected to itself, a RESP2 client gets the pub/sub form once it is subscribed to anything.
      await s.connect('self');
      await s.send('self', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', s.id('self'));
      await s.send('self', 'GET', 'c');
      await s.send('self', 'SUBSCRIBE', 'other');
      await s.send('writer', 'SET', 'c', 1);
      await s.receive('self');
    });
  });

  it('BCAST with prefixes: one message per prefix and turn, keys sorted; NOLOOP leaves out own changes', async () => {
    await compare(async (s) => {
      await s.connect('sink');
      await s.connect('bcast');
      await s.connect('writer');
      await s.send('sink', 'SUBSCRIBE', '__redis__:invalidate');
      await s.send('bcast', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'REDIRECT', s.id('sink'), 'PREFIX', 'b:', 'PREFIX', 'a:');
      await s.send('bcast', 'CLIENT', 'TRACKINGINFO');
      await s.send('writer', 'MULTI');
      for (const key of ['b:2', 'a:9', 'c:1', 'a:1', 'b:1', 'a:9']) await s.send('writer', 'INCR', key);
      await s.send('writer', 'EXEC');
      await s.receive('sink');
      await s.receive('sink');
      await s.send('bcast', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'REDIRECT', s.id('sink'), 'PREFIX', 'c:', 'NOLOOP');
      await s.send('bcast', 'SET', 'c:own', 1);
      await s.send('writer', 'SET', 'c:other', 1);
      await s.receive('sink');
      await s.send('bcast', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a');
      await s.send('bcast', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'x', 'PREFIX', 'xy');
      await s.send('bcast', 'CLIENT', 'TRACKING', 'on', 'PREFIX', 'x');
      await s.send('bcast', 'CLIENT', 'TRACKING', 'on', 'OPTIN');
      await s.send('bcast', 'CLIENT', 'TRACKINGINFO');
      await s.send('sink', 'PING');
    });
  });

  it('NOLOOP in default mode, and the empty-prefix BCAST', async () => {
    await compare(async (s) => {
      await s.connect('me', 3);
      await s.connect('writer');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'NOLOOP');
      await s.send('me', 'MGET', 'x', 'y');
      await s.send('me', 'SET', 'x', 1);
      await s.send('writer', 'SET', 'y', 1);
      await s.receive('me');
      await s.send('me', 'CLIENT', 'TRACKING', 'off');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'BCAST');
      await s.send('writer', 'MSET', 'z', 1, 'a', 2);
      await s.receive('me');
      await s.send('me', 'SET', 'mine', 1);
      await s.receive('me');
    });
  });

  it('OPTIN / OPTOUT with CLIENT CACHING, and the option errors', async () => {
    await compare(async (s) => {
      await s.connect('me', 3);
      await s.connect('writer');
      await s.send('me', 'CLIENT', 'CACHING', 'yes');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'OPTIN');
      await s.send('me', 'CLIENT', 'CACHING', 'no');
      await s.send('me', 'CLIENT', 'CACHING', 'maybe');
      await s.send('me', 'GET', 'notcached');
      await s.send('me', 'CLIENT', 'CACHING', 'yes');
      await s.send('me', 'CLIENT', 'TRACKINGINFO');
      await s.send('me', 'GET', 'cached');
      await s.send('me', 'GET', 'notcached2');
      await s.send('writer', 'MSET', 'notcached', 1, 'cached', 1, 'notcached2', 1);
      await s.receive('me');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'OPTOUT');
      await s.send('me', 'CLIENT', 'TRACKING', 'off');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'OPTOUT');
      await s.send('me', 'CLIENT', 'CACHING', 'no');
      await s.send('me', 'GET', 'skipped');
      await s.send('me', 'GET', 'kept');
      await s.send('writer', 'MSET', 'skipped', 1, 'kept', 1);
      await s.receive('me');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'BCAST');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 999999);
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'x');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', s.id('writer'), 'REDIRECT', s.id('writer'));
      await s.send('me', 'CLIENT', 'TRACKING', 'maybe');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'NOSUCH');
      await s.send('me', 'CLIENT', 'TRACKING');
      await s.send('me', 'CLIENT', 'GETREDIR');
      await s.send('me', 'CLIENT', 'TRACKING', 'off');
      await s.send('me', 'CLIENT', 'GETREDIR');
      await s.send('me', 'CLIENT', 'TRACKINGINFO');
      await s.send('me', 'CLIENT', 'CACHING', 'yes');
    });
  });

  it('own invalidations follow the reply: a plain command, EXEC, a multi-key read of an expired key, FLUSHDB in MULTI', async () => {
    await compare(async (s) => {
      await s.connect('me', 3);
      await s.send('me', 'CLIENT', 'TRACKING', 'on');
      await s.send('me', 'HSET', 'h', 'f', 1);
      await s.send('me', 'HGET', 'h', 'f');
      await s.send('me', 'HDEL', 'h', 'f');
      await s.receive('me');
      await s.send('me', 'MSET', 'a', 1, 'b', 2);
      await s.send('me', 'GET', 'a');
      await s.send('me', 'MULTI');
      await s.send('me', 'INCR', 'a');
      await s.send('me', 'GET', 'b');
      await s.send('me', 'EXEC');
      await s.receive('me');
      await s.send('me', 'DEBUG', 'SET-ACTIVE-EXPIRE', 0);
      await s.send('me', 'SET', 'y', 1, 'PX', 20);
      await s.send('me', 'GET', 'y');
      await s.send('me', 'DEBUG', 'SLEEP', '0.05');
      await s.send('me', 'MGET', 'b', 'y');
      await s.receive('me');
      await s.send('me', 'DEBUG', 'SET-ACTIVE-EXPIRE', 1);
      await s.send('me', 'GET', 'b');
      await s.send('me', 'MULTI');
      await s.send('me', 'FLUSHDB');
      await s.send('me', 'EXEC');
      await s.receive('me');
      await s.nothingPending('me');
    });
  });

  it('a client served after blocking gets its invalidation after its reply', async () => {
    await compare(async (s) => {
      await s.connect('me', 3);
      await s.connect('writer');
      await s.send('writer', 'RPUSH', 'dst', 'a');
      await s.send('me', 'CLIENT', 'TRACKING', 'on');
      await s.send('me', 'LRANGE', 'dst', 0, -1);
      await s.write('me', 'BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', 0);
      await waitFor(async () => String(await s.connect('probe').then((c) => c.call('INFO', 'clients'))).includes('blocked_clients:1'));
      await s.send('writer', 'RPUSH', 'src', 'x');
      await s.receive('me');
      await s.receive('me');
    });
  });

  it('invalidations and pub/sub messages get through CLIENT REPLY OFF in RESP3', async () => {
    await compare(async (s) => {
      await s.connect('me', 3);
      await s.connect('writer');
      await s.send('me', 'CLIENT', 'TRACKING', 'on');
      await s.send('me', 'GET', 'foo');
      await s.write('me', 'CLIENT', 'REPLY', 'OFF');
      await s.write('me', 'SUBSCRIBE', 'ch');
      await s.receive('me');
      await s.send('writer', 'SET', 'foo', 1);
      await s.receive('me');
      await s.send('writer', 'PUBLISH', 'ch', 'hello');
      await s.receive('me');
      await s.send('me', 'CLIENT', 'REPLY', 'ON');
      await s.send('me', 'PING');
    });
  });

  it('a redirect to a client that left turns broken, and RESP3 is told', async () => {
    await compare(async (s) => {
      const sink = await s.connect('sink');
      await s.connect('me', 3);
      await s.connect('writer');
      await s.send('me', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', s.id('sink'));
      await s.send('me', 'GET', 'k');
      sink.close();
      await waitFor(async () => !String(await s.connect('probe').then((c) => c.call('CLIENT', 'LIST'))).includes(`id=${s.id('sink')} `));
      await s.send('writer', 'SET', 'k', 1);
      await s.receive('me');
      await s.send('me', 'CLIENT', 'TRACKINGINFO');
      await s.send('me', 'CLIENT', 'GETREDIR');
    });
  });

  it('tracking-table-max-keys invalidates keys until the table fits, and INFO counts keys, items, prefixes, clients', async () => {
    const keyCount = 250;
    await compare(async (s) => {
      const sink = await s.connect('sink');
      const reader = await s.connect('reader');
      await s.connect('bcast');
      await s.connect('info');
      await s.send('sink', 'SUBSCRIBE', '__redis__:invalidate');
      await s.send('reader', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', s.id('sink'));
      await reader.pipeline(Array.from({ length: keyCount }, (_, i) => ['GET', `key${i}`]));
      await s.send('bcast', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p1', 'PREFIX', 'p2');
      const info = String(await s.connect('probe').then((c) => c.call('INFO')));
      s.transcript.push(info.split('\r\n').filter((line) => line.startsWith('tracking_')).join(' '));
      await s.send('info', 'CONFIG', 'SET', 'tracking-table-max-keys', 1);
      const received: string[] = [];
      for (let i = 0; i < keyCount - 1; i++) received.push(String(((await sink.nextReply()).value as unknown[])[0]));
      s.transcript.push(`${received.length} messages of kind ${[...new Set(received)].join(',')}`);
      await s.send('sink', 'PING');
      const after = String(await s.connect('probe2').then((c) => c.call('INFO', 'stats')));
      s.transcript.push(after.split('\r\n').filter((line) => line.startsWith('tracking_total_keys')).join(' '));
    });
  });
});
