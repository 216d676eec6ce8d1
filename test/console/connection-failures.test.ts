/**
 * Every way a connection fails, against the real thing: a Node HTTP server
 * and a server answering HTML on a port, real redis-server with requirepass
 * and with ACL users, redis-sentinel, and TLS (self-made CA) in each
 * mismatch: TLS to a plain port, plain to a TLS port, a CA that did not sign
 * the certificate, no CA, a host name the certificate does not list, an
 * expired certificate, a server that requires a client certificate, CA files
 * that are missing or not certificates. Each must come back as a plain
 * sentence with the likely fix and the form field it concerns; no raw
 * ioredis/OpenSSL text ("Unknown RESP type", "Please report this",
 * "ECONNRESET" alone, "Stream isn't writeable"), and the same sentence when
 * attaching (DeploymentMonitor.open) and in a watched node's health.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileFields, ProfileSecrets } from '../../shared/contract/profiles';
import type { TestConnectionResult } from '../../shared/contract/sessions';
import { testConnection } from '../../main/console/monitor/connection-test';
import { DeploymentMonitor } from '../../main/console/monitor/deployment-monitor';
import { freePort } from '../support/ports';
import { RespConnection, RespError } from '../support/resp-connection';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { makeTlsFiles, type TlsFiles } from '../support/tls-certificates';
import { waitFor } from '../support/wait';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
/** What must never reach the user as the explanation. */
const RAW = /Unknown RESP type|Please report this|Stream isn't writeable|^write ECONNRESET$|^connect ETIMEDOUT$|ENOENT: no such file/;

function profile(port: number, extra: Partial<ProfileFields> = {}): ProfileFields {
  return { name: 'staging', kind: 'standalone', seeds: [{ host: '127.0.0.1', port }], environment: 'staging', safetyMode: 'monitor-only', ...extra };
}

/**
 * A test that fails with a problem. `reached`: the server answered (an error reply such as WRONGPASS, or as the
 * wrong kind of server), so the result says it is reachable; otherwise nothing that speaks Redis answered.
 */
async function failing(fields: ProfileFields, secrets: ProfileSecrets = {}, reached: 'answered' | 'no answer' = 'no answer'): Promise<NonNullable<TestConnectionResult['problem']> & { message: string }> {
  const result = await testConnection(fields, secrets, quiet);
  expect(result.reachable, result.message).toBe(reached === 'answered');
  expect(result.problem).not.toBeNull();
  expect(result.message).not.toMatch(RAW);
  expect(result.message).toBe(`${result.problem!.summary}${result.problem!.fix === null ? '' : ` ${result.problem!.fix}`}`);
  return { ...result.problem!, message: result.message };
}

async function attachError(fields: ProfileFields, secrets: ProfileSecrets = {}): Promise<string> {
  try {
    const monitor = await DeploymentMonitor.open({ sessionId: 'failing', profile: fields, secrets, pollIntervalMs: 200, logger: quiet });
    await monitor.close();
  } catch (failure) {
    return failure instanceof Error ? failure.message : String(failure);
  }
  throw new Error('the attach succeeded');
}

afterAll(async () => {
  await stopAllRedisServers();
});

describe('a port that is not Redis', () => {
  const servers: Array<http.Server | net.Server> = [];
  const sockets = new Set<net.Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function listen(server: http.Server | net.Server): Promise<number> {
    servers.push(server);
    server.on('connection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as net.AddressInfo).port;
  }

  it('an HTTP server: "answered, but not as Redis", check the port', async () => {
    const port = await listen(http.createServer((_request, response) => response.end('hello')));
    const problem = await failing(profile(port));
    expect(problem).toMatchObject({ kind: 'not-redis', field: 'seeds' });
    expect(problem.summary).toBe(`127.0.0.1:${port} answered, but not as Redis: it looks like an HTTP server ("HTTP/1.1 400 Bad Request").`);
    expect(problem.fix).toMatch(/6379/);
    expect(await attachError(profile(port))).toContain('answered, but not as Redis: it looks like an HTTP server');
  });

  it('a server that answers with a web page straight away', async () => {
    const port = await listen(net.createServer((socket) => socket.once('data', () => socket.end('<!DOCTYPE html><html><body>login</body></html>'))));
    const problem = await failing(profile(port));
    expect(problem.kind).toBe('not-redis');
    expect(problem.summary).toContain('it looks like an HTTP server ("<!DOCTYPE html>');
    expect(problem.detail).toMatch(/Unknown RESP type 60/);
  });

  it('a port that accepts and never answers: no reply within the timeout', async () => {
    const port = await listen(net.createServer(() => {}));
    const problem = await failing(profile(port));
    expect(problem.kind).toBe('no-reply');
    expect(problem.summary).toBe(`127.0.0.1:${port} accepted the connection but did not answer within 2.5 s.`);
  });

  it('nothing listening, and a host name that does not resolve', async () => {
    const port = await freePort();
    expect(await failing(profile(port))).toMatchObject({ kind: 'refused', field: 'seeds', summary: `Nothing accepts connections at 127.0.0.1:${port} (ECONNREFUSED).` });
    const unknown = await failing({ ...profile(6379), seeds: [{ host: 'no-such-host.invalid', port: 6379 }] });
    expect(unknown).toMatchObject({ kind: 'host-not-found', field: 'seeds' });
    expect(unknown.summary).toMatch(/^The host name "no-such-host\.invalid" does not resolve \((ENOTFOUND|EAI_AGAIN: DNS did not answer)\)\.$/);
  });
});

describe('passwords and ACL users (redis-server)', () => {
  let protectedServer: RedisProcess;
  let aclServer: RedisProcess;
  beforeAll(async () => {
    protectedServer = await startRedisServer({ args: ['--requirepass', 's3cret'], password: 's3cret' });
    aclServer = await startRedisServer();
    await aclServer.call('ACL', 'SETUSER', 'watcher', 'on', '>watch-pw', '+ping', '+hello', '+client|setname');
    await aclServer.call('ACL', 'SETUSER', 'retired', 'off', '>old-pw', '+@all');
  });

  it('no password for a server that requires one: say so and point at the password (not raw NOAUTH)', async () => {
    const problem = await failing(profile(protectedServer.port), {}, 'answered');
    expect(problem).toMatchObject({ kind: 'password-required', field: 'password' });
    expect(problem.summary).toBe(`127.0.0.1:${protectedServer.port} requires a password, and none was given (NOAUTH).`);
  });

  it('a wrong password: reachable (redis-server answered WRONGPASS), what happened and what to check (not "Not reachable — WRONGPASS")', async () => {
    const problem = await failing(profile(protectedServer.port), { password: 'wrong' }, 'answered');
    expect(problem).toMatchObject({ kind: 'wrong-password', field: 'password' });
    expect(problem.summary).toBe(`127.0.0.1:${protectedServer.port} refused the ACL user "default" with this password (WRONGPASS): the password is wrong, or that user does not exist or is off.`);
    // Redis's reply alone, as the form shows it under "The server answered:".
    expect(problem.detail).toBe('WRONGPASS invalid username-password pair or user is disabled.');
    expect(await attachError(profile(protectedServer.port), { password: 'wrong' })).toBe(problem.message);
    // The right password works.
    expect((await testConnection(profile(protectedServer.port), { password: 's3cret' })).reachable).toBe(true);
  });

  it('an ACL user that does not exist, or is off, is a refused user and password', async () => {
    for (const username of ['ghost', 'retired']) {
      const problem = await failing(profile(aclServer.port, { username }), { password: 'old-pw' }, 'answered');
      expect(problem).toMatchObject({ kind: 'wrong-password', field: 'password' });
      expect(problem.summary).toContain(`refused the ACL user "${username}"`);
    }
  });

  it('an ACL user that may not run INFO: which command to grant, pointing at the user', async () => {
    const problem = await failing(profile(aclServer.port, { username: 'watcher' }), { password: 'watch-pw' }, 'answered');
    expect(problem).toMatchObject({ kind: 'no-permission', field: 'username' });
    // Redis's own refusal, read from the server as that user (7.0.15: "NOPERM this user has no permissions to run the 'info' command").
    const asWatcher = new RespConnection('127.0.0.1', aclServer.port);
    const refusal = await asWatcher.call('AUTH', 'watcher', 'watch-pw').then(() => asWatcher.call('INFO')).finally(() => asWatcher.close());
    expect(refusal).toBeInstanceOf(RespError);
    const verbatim = (refusal as RespError).message;
    expect(verbatim).toMatch(/^NOPERM .*'info'/);
    expect(problem.summary).toBe(`127.0.0.1:${aclServer.port} answered "${verbatim}": the ACL user "watcher" may not run INFO the console needs.`);
    expect(problem.detail).toBe(verbatim);
    expect(problem.fix).toContain('ACL SETUSER watcher +info');
    // Connecting names the same user, not "default" (found attaching to a Cluster as a user without +info).
    expect(await attachError(profile(aclServer.port, { username: 'watcher' }), { password: 'watch-pw' })).toBe(problem.message);
  });
});

describe('Sentinel profiles (redis-sentinel)', () => {
  let master: RedisProcess;
  let sentinel: RedisProcess;
  beforeAll(async () => {
    master = await startRedisServer();
    sentinel = await startRedisServer({ binary: 'redis-sentinel', configText: `sentinel monitor orders 127.0.0.1 ${master.port} 1\nrequirepass sentinel-pw\n`, password: 'sentinel-pw' });
  });
  const sentinelProfile = (port: number, extra: Partial<ProfileFields> = {}): ProfileFields => profile(port, { kind: 'sentinel', sentinelMasterName: 'orders', ...extra });

  it('a Sentinel without its password points at the Sentinel password field', async () => {
    const problem = await failing(sentinelProfile(sentinel.port), {}, 'answered');
    expect(problem).toMatchObject({ kind: 'password-required', field: 'sentinelPassword' });
    expect(problem.fix).toContain('Sentinel password');
  });

  it('a master group name the Sentinels do not know: the names they do monitor', async () => {
    const problem = await failing(sentinelProfile(sentinel.port, { sentinelMasterName: 'order' }), { sentinelPassword: 'sentinel-pw' }, 'answered');
    expect(problem).toMatchObject({ kind: 'unknown-master-group', field: 'sentinelMasterName', summary: 'The Sentinels monitor no master group named "order".', fix: 'They monitor "orders": enter one of these.' });
    expect(await attachError(sentinelProfile(sentinel.port, { sentinelMasterName: 'order' }), { sentinelPassword: 'sentinel-pw' })).toContain('monitor no master group of that name');
  });

  it('a data node given as a Sentinel, and a Sentinel given as a data node', async () => {
    const asSentinel = await failing(sentinelProfile(master.port), {}, 'answered');
    expect(asSentinel).toMatchObject({ kind: 'not-a-sentinel', field: 'seeds', summary: `127.0.0.1:${master.port} is a Redis data node, not a Sentinel (it does not know the SENTINEL command).` });
    const open = await startRedisServer({ binary: 'redis-sentinel', configText: `sentinel monitor orders 127.0.0.1 ${master.port} 1\n` });
    const asData = await failing(profile(open.port), {}, 'answered');
    expect(asData).toMatchObject({ kind: 'is-a-sentinel', field: 'kind', summary: `127.0.0.1:${open.port} is a Sentinel, not a Redis data node.`, fix: 'Choose the kind Sentinel and give the master group name (it monitors "orders").' });
    expect(await attachError(profile(open.port))).toBe(asData.message);
  });
});

describe('TLS mismatches (redis-server with a self-made CA)', () => {
  let files: TlsFiles;
  let plain: RedisProcess;
  let tlsPort: number;
  let expiredPort: number;
  let clientAuthPort: number;
  const tlsArgs = (port: number, certFile: string, authClients: 'yes' | 'no') => ['--tls-port', String(port), '--tls-cert-file', certFile, '--tls-key-file', files.keyFile, '--tls-ca-cert-file', files.caFile, '--tls-auth-clients', authClients];

  beforeAll(async () => {
    files = makeTlsFiles();
    plain = await startRedisServer();
    tlsPort = await freePort();
    await startRedisServer({ args: tlsArgs(tlsPort, files.certFile, 'no') });
    expiredPort = await freePort();
    await startRedisServer({ args: tlsArgs(expiredPort, files.expiredCertFile, 'no') });
    clientAuthPort = await freePort();
    await startRedisServer({ args: tlsArgs(clientAuthPort, files.certFile, 'yes') });
  });
  afterAll(() => files?.remove());

  const withTls = (port: number, tls: Partial<NonNullable<ProfileFields['tls']>> = {}): ProfileFields => profile(port, { tls: { enabled: true, caFile: files.caFile, insecureSkipVerify: false, ...tls } });

  it('TLS to a plain port: untick TLS', async () => {
    const problem = await failing(withTls(plain.port));
    expect(problem).toMatchObject({ kind: 'tls-to-plain-port', field: 'tls', summary: `TLS is on, but 127.0.0.1:${plain.port} speaks plain Redis: it never answered the TLS handshake.` });
    expect(await attachError(withTls(plain.port))).toBe(problem.message);
  });

  it('plain to a TLS port: tick TLS', async () => {
    const problem = await failing(profile(tlsPort));
    expect(problem).toMatchObject({ kind: 'plain-to-tls-port', field: 'tls', summary: `127.0.0.1:${tlsPort} expects TLS: it hung up when the console spoke plain Redis.` });
    expect(await attachError(profile(tlsPort))).toBe(problem.message);
  });

  it('a certificate from another CA, and no CA file at all: the CA file field', async () => {
    const other = await failing(withTls(tlsPort, { caFile: files.otherCaFile }));
    expect(other).toMatchObject({ kind: 'tls-untrusted-certificate', field: 'tlsCaFile' });
    expect(other.summary).toBe(`The TLS certificate of 127.0.0.1:${tlsPort} is not signed by the CA in the CA file (SELF_SIGNED_CERT_IN_CHAIN).`);
    const none = await failing(profile(tlsPort, { tls: { enabled: true, insecureSkipVerify: false } }));
    expect(none.summary).toContain('not signed by a CA this machine trusts, and no CA file is set');
    expect(none.field).toBe('tlsCaFile');
  });

  it('a host name the certificate does not list: the names it does, and the SNI field', async () => {
    const problem = await failing(withTls(tlsPort, { servername: 'db.internal' }));
    expect(problem).toMatchObject({ kind: 'tls-hostname-mismatch', field: 'tlsServername' });
    expect(problem.summary).toBe(`The certificate of 127.0.0.1:${tlsPort} is not for "db.internal" (it names DNS:localhost, IP:127.0.0.1): hostname mismatch.`);
  });

  it('an expired certificate', async () => {
    const problem = await failing(withTls(expiredPort));
    expect(problem).toMatchObject({ kind: 'tls-certificate-expired', summary: `The TLS certificate of 127.0.0.1:${expiredPort} has expired (CERT_HAS_EXPIRED).` });
    expect(problem.fix).toMatch(/Renew/);
  });

  it('a server that requires a client certificate: the client certificate field', async () => {
    const problem = await failing(withTls(clientAuthPort));
    expect(problem).toMatchObject({ kind: 'tls-client-certificate-required', field: 'tlsCertFile' });
    expect(await attachError(withTls(clientAuthPort))).toContain('requires a TLS client certificate');
    // With a client certificate the CA trusts, it connects.
    expect((await testConnection(withTls(clientAuthPort, { certFile: files.certFile, keyFile: files.keyFile }), {})).reachable).toBe(true);
  });

  it('a CA file that does not exist or is not a certificate: said next to the CA file field, not "Internal error ENOENT"', async () => {
    const missing = await failing(withTls(tlsPort, { caFile: '/nonexistent/ca.pem' }));
    expect(missing).toMatchObject({ kind: 'tls-file', field: 'tlsCaFile', summary: 'The CA file /nonexistent/ca.pem does not exist (on the machine the console runs on).' });
    const notPem = await failing(withTls(tlsPort, { caFile: files.keyFile }));
    expect(notPem.summary).toBe(`The CA file ${files.keyFile} is not a PEM certificate ("-----BEGIN CERTIFICATE-----").`);
    const key = await failing(withTls(tlsPort, { certFile: files.certFile, keyFile: files.caFile }));
    expect(key).toMatchObject({ field: 'tlsKeyFile' });
    expect(await attachError(withTls(tlsPort, { caFile: '/nonexistent/ca.pem' }))).toBe(missing.message);
  });
});

describe('a watched node that goes away', () => {
  it('its health and the event say what happened in words, never "Stream isn\'t writeable"', async () => {
    const server = await startRedisServer();
    const monitor = await DeploymentMonitor.open({ sessionId: 'gone', profile: profile(server.port), secrets: {}, pollIntervalMs: 200, logger: quiet });
    const messages: string[] = [];
    monitor.onEvent((event) => messages.push(event.message));
    try {
      await server.stop();
      const seen = new Set<string>();
      await waitFor(async () => {
        const node = (await monitor.pollNow()).nodes[0];
        seen.add(node?.healthDetail ?? '');
        return seen.size >= 3 || (node?.health === 'unreachable' && /ECONNREFUSED/.test(node.healthDetail ?? ''));
      }, { timeoutMs: 20_000, what: 'the stopped node reported unreachable' });
      for (let poll = 0; poll < 5; poll += 1) seen.add((await monitor.pollNow()).nodes[0]?.healthDetail ?? '');
      seen.delete('');
      for (const detail of [...seen, ...messages]) expect(detail).not.toMatch(/Stream isn't writeable|^Connection is closed\.?$/);
      expect([...seen].at(-1)).toBe(`Nothing accepts connections at 127.0.0.1:${server.port} (ECONNREFUSED). Check the host and port, and that the server is running.`);
      // The event is recorded when the link drops: the console found its connection closed, dialled again at once
      // and was refused, which is what it says (not "the connection is closed", which a server that cut this
      // console's connection and stayed up would also give).
      expect(messages).toContain(`127.0.0.1:${server.port} is unreachable: Nothing accepts connections at 127.0.0.1:${server.port} (ECONNREFUSED). Check the host and port, and that the server is running.`);
    } finally {
      await monitor.close();
    }
  });
});
