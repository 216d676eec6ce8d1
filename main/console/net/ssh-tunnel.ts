/**
 * An SSH tunnel (ssh2) that reaches every node of a deployment behind one
 * SSH host: each node address gets its own loopback listener on this machine
 * (127.0.0.1, a free port), and each connection to it becomes a direct-tcpip
 * channel to that address *as the SSH host resolves it*. So nodes discovered
 * later (replicas listed by a master, a master named by Sentinel, the other
 * shards of a Cluster) are reached through the same tunnel without any
 * per-node configuration.
 *
 * Invariants:
 *  - one SSH session per tunnel, opened at attach time (a wrong host, key or
 *    password fails the attach with SSH's reason) and re-opened on demand by
 *    the next channel after it drops; concurrent channels share one attempt;
 *  - the host key is checked on every (re)connect: against the profile's
 *    pinned SHA256 fingerprint when there is one, else against the key seen
 *    first by this tunnel (trust on first use, reported as a warning);
 *  - listeners bind to loopback only and are closed with the tunnel, with
 *    every socket they accepted;
 *  - secrets (password, key passphrase) are never logged.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { ProfileSecrets, SshSettings } from '../../../shared/contract/profiles';
import type { ConsoleLogger } from '../service-types';
import type { Endpoint, NodeDialer } from './node-dialer';

const READY_TIMEOUT_MS = 10_000;
const KEEPALIVE_INTERVAL_MS = 10_000;

/** OpenSSH's fingerprint format: "SHA256:" + unpadded base64 of the key blob's digest. */
export function sshFingerprint(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

interface Forward {
  /** The node address as the SSH host reaches it. */
  readonly remote: Endpoint;
  readonly server: net.Server;
  /** The loopback listener on this machine. */
  endpoint: Endpoint;
  /** The last reason a channel to this address could not be opened. */
  lastFailure: string | null;
}

export class SshTunnel implements NodeDialer {
  readonly warnings: string[] = [];
  private session: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private trustedFingerprint: string | null;
  private readonly forwards = new Map<string, Promise<Forward>>();
  private readonly sockets = new Set<net.Socket>();
  private closed = false;

  private constructor(
    private readonly settings: SshSettings,
    private readonly secrets: Pick<ProfileSecrets, 'sshPassword' | 'sshKeyPassphrase'>,
    private readonly logger: ConsoleLogger,
  ) {
    this.trustedFingerprint = settings.hostKeyFingerprint ?? null;
  }

  /** Opens the SSH session; rejects with SSH's reason (auth, host key, unreachable). */
  static async open(settings: SshSettings, secrets: Pick<ProfileSecrets, 'sshPassword' | 'sshKeyPassphrase'>, logger: ConsoleLogger): Promise<SshTunnel> {
    const tunnel = new SshTunnel(settings, secrets, logger);
    await tunnel.connected();
    return tunnel;
  }

  private get label(): string {
    return `${this.settings.user}@${this.settings.host}:${this.settings.port}`;
  }

  async endpoint(host: string, port: number): Promise<Endpoint> {
    return (await this.forwardFor(host, port)).endpoint;
  }

  /** Why the last channel to this address failed, if it did (for the node's health detail). */
  async failureFor(host: string, port: number): Promise<string | null> {
    const forward = this.forwards.get(`${host}:${port}`);
    return forward ? (await forward).lastFailure : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const forwards = await Promise.allSettled(this.forwards.values());
    this.forwards.clear();
    await Promise.all(forwards.map((result) => (result.status === 'fulfilled' ? new Promise<void>((resolve) => result.value.server.close(() => resolve())) : undefined)));
    this.session?.end();
    this.session = null;
  }

  private forwardFor(host: string, port: number): Promise<Forward> {
    if (this.closed) return Promise.reject(new Error('the SSH tunnel is closed'));
    const key = `${host}:${port}`;
    let forward = this.forwards.get(key);
    if (!forward) {
      forward = this.listen(host, port);
      this.forwards.set(key, forward);
      forward.catch(() => this.forwards.delete(key));
    }
    return forward;
  }

  private listen(host: string, port: number): Promise<Forward> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.pipeThroughTunnel(socket, forward));
      const forward: Forward = { remote: { host, port }, server, endpoint: { host: '127.0.0.1', port: 0 }, lastFailure: null };
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        forward.endpoint = { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
        resolve(forward);
      });
    });
  }

  private pipeThroughTunnel(socket: net.Socket, forward: Forward): void {
    const remote = forward.remote;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.pause();
    this.connected()
      .then((session) => {
        session.forwardOut('127.0.0.1', socket.remotePort ?? 0, remote.host, remote.port, (failure: Error | undefined, channel: ClientChannel) => {
          if (failure) {
            forward.lastFailure = `through SSH ${this.label}: ${failure.message}`;
            socket.destroy();
            return;
          }
          forward.lastFailure = null;
          if (socket.destroyed) {
            channel.close();
            return;
          }
          channel.on('error', () => socket.destroy());
          channel.on('close', () => socket.destroy());
          socket.on('close', () => channel.close());
          socket.pipe(channel).pipe(socket);
          socket.resume();
        });
      })
      .catch((failure: unknown) => {
        forward.lastFailure = failure instanceof Error ? failure.message : String(failure);
        socket.destroy();
      });
  }

  /** The live session, connecting (once, shared) when there is none. */
  private connected(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('the SSH tunnel is closed'));
    if (this.session) return Promise.resolve(this.session);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private connect(): Promise<Client> {
    // A key file gone or a secret missing rejects like any other failure to
    // connect: connect() runs inside a forward's 'connection' handler, where
    // a throw would be an uncaught exception in the main process.
    let config: ConnectConfig;
    try {
      config = this.connectConfig();
    } catch (failure) {
      return Promise.reject(failure instanceof Error ? failure : new Error(String(failure)));
    }
    return new Promise((resolve, reject) => {
      const client = new Client();
      let hostKeyProblem: string | null = null;
      config.hostVerifier = (hostKey: Buffer): boolean => {
        const seen = sshFingerprint(hostKey);
        if (this.trustedFingerprint === null) {
          this.trustedFingerprint = seen;
          this.warnings.push(`SSH host key of ${this.settings.host}:${this.settings.port} was not pinned; trusted ${seen} on first use (pin it in the profile)`);
          return true;
        }
        if (seen === this.trustedFingerprint) return true;
        hostKeyProblem = `SSH host key of ${this.settings.host}:${this.settings.port} does not match: expected ${this.trustedFingerprint}, the server presented ${seen}. Refusing to connect (the host was reinstalled, or someone is in between)`;
        return false;
      };
      client.once('ready', () => {
        this.logger.info(`SSH tunnel ${this.label} is up`);
        this.session = client;
        client.once('close', () => {
          if (this.session === client) this.session = null;
          if (!this.closed) this.logger.warn(`SSH tunnel ${this.label} closed; it reopens with the next connection`);
        });
        resolve(client);
      });
      client.on('error', (failure: Error & { level?: string }) => {
        if (this.session === client) {
          this.logger.warn(`SSH tunnel ${this.label}: ${failure.message}`);
          return;
        }
        client.end();
        reject(new Error(describeSshFailure(failure, this.label, this.settings.auth, hostKeyProblem)));
      });
      try {
        client.connect(config);
      } catch (failure) {
        reject(new Error(`SSH ${this.label}: ${failure instanceof Error ? failure.message : String(failure)}`));
      }
    });
  }

  private connectConfig(): ConnectConfig {
    const base: ConnectConfig = {
      host: this.settings.host,
      port: this.settings.port,
      username: this.settings.user,
      readyTimeout: READY_TIMEOUT_MS,
      keepaliveInterval: KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: 3,
    };
    switch (this.settings.auth) {
      case 'key': {
        if (!this.settings.keyFile) throw new Error(`SSH ${this.label}: key authentication needs a key file`);
        let privateKey: Buffer;
        try {
          privateKey = readFileSync(expandHome(this.settings.keyFile));
        } catch (failure) {
          throw new Error(`SSH ${this.label}: cannot read the key file ${this.settings.keyFile} (${(failure as NodeJS.ErrnoException).code ?? String(failure)})`);
        }
        return { ...base, privateKey, ...(this.secrets.sshKeyPassphrase ? { passphrase: this.secrets.sshKeyPassphrase } : {}) };
      }
      case 'password':
        if (!this.secrets.sshPassword) throw new Error(`SSH ${this.label}: password authentication needs a password`);
        return { ...base, password: this.secrets.sshPassword };
      case 'agent': {
        const agent = process.platform === 'win32' ? 'pageant' : process.env.SSH_AUTH_SOCK;
        if (!agent) throw new Error(`SSH ${this.label}: agent authentication needs a running ssh-agent (SSH_AUTH_SOCK is not set)`);
        return { ...base, agent };
      }
    }
  }
}

/** "~/.ssh/id_ed25519" as people write it. */
function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(homedir(), file.slice(1)) : file;
}

/** SSH's failure in the user's terms, without any secret. */
function describeSshFailure(failure: Error & { level?: string; code?: string }, label: string, auth: SshSettings['auth'], hostKeyProblem: string | null): string {
  if (hostKeyProblem) return hostKeyProblem;
  if (failure.level === 'client-authentication') return `SSH ${label}: authentication failed (${auth === 'key' ? 'the server did not accept the key' : auth === 'password' ? 'wrong password' : 'no key in the agent was accepted'})`;
  if (failure.level === 'client-timeout') return `SSH ${label}: no SSH handshake within ${READY_TIMEOUT_MS / 1000} s`;
  if (failure.code === 'ECONNREFUSED') return `SSH ${label}: connection refused (is sshd listening there?)`;
  if (/encrypted private key|passphrase/i.test(failure.message)) return `SSH ${label}: the key file is encrypted and the passphrase is missing or wrong`;
  return `SSH ${label}: ${failure.message}`;
}
