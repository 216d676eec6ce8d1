/**
 * A real OpenSSH server on loopback for tests (Debian's openssh-server): its
 * own host key, a client key pair allowed for the current user, TCP
 * forwarding on, nothing else (no passwords, no PAM). Started with -D so the
 * test owns the process; stop() kills it with its sessions and removes the
 * directory.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { waitFor } from './wait';

export interface SshServer {
  readonly port: number;
  readonly user: string;
  /** Private key the server accepts for `user`. */
  readonly clientKeyFile: string;
  /** A key the server does not accept. */
  readonly strangerKeyFile: string;
  /** The host key's OpenSSH fingerprint, "SHA256:...". */
  readonly hostKeyFingerprint: string;
  stop(): Promise<void>;
}

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
}

export async function startSshServer(): Promise<SshServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-sshd-'));
  const port = await freePort();
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'client_key'));
  keygen(path.join(dir, 'stranger_key'));
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'client_key.pub')));
  chmodSync(path.join(dir, 'authorized_keys'), 0o600);
  const config = path.join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${path.join(dir, 'host_key')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'AllowTcpForwarding yes',
    'LogLevel ERROR',
    '',
  ].join('\n'));
  // sshd refuses to start without its privilege-separation directory.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const fingerprint = /SHA256:\S+/.exec(execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'host_key.pub')]).toString())?.[0];
  if (!fingerprint) throw new Error('could not read the host key fingerprint');
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      // The per-connection sshd processes (each in its own session) outlive
      // the listener: end them first, so open tunnels really go down.
      try {
        execFileSync('pkill', ['-TERM', '-P', String(child.pid)]);
      } catch {
        // no session open
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`sshd exited: ${stderr}`);
      return new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('data', (banner) => {
          socket.destroy();
          resolve(banner.toString().startsWith('SSH-2.0'));
        });
        socket.once('error', () => resolve(false));
      });
    }, { timeoutMs: 10_000, what: `sshd on port ${port}` });
  } catch (failure) {
    await stop();
    throw failure;
  }
  return { port, user: userInfo().username, clientKeyFile: path.join(dir, 'client_key'), strangerKeyFile: path.join(dir, 'stranger_key'), hostKeyFingerprint: fingerprint, stop };
}
