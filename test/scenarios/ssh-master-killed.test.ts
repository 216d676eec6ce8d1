/**
 * A master killed (SIGKILL) while the console reaches the nodes through an
 * SSH tunnel (a real OpenSSH server on loopback): the SSH host's connect to
 * the dead port is refused, which OpenSSH reports as a channel open failure
 * "Connection refused". The timeline must say what it says when the console
 * dials the node itself: the node refuses connections (cause
 * connection-refused), and its replica's link-down is put down to its
 * master being gone (cause master-unreachable, "its process is gone"), as
 * the replica's own log says it lost its master. Before, through SSH, both
 * were "cause unknown" / "is unreachable" (found in a new-user walk on a
 * Redis Cluster attached through SSH).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSshServer, type SshServer } from '../support/ssh-server';
import { ConsoleUnderTest, forEachNodeKind, LOG, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

let sshd: SshServer;
beforeAll(async () => {
  sshd = await startSshServer();
});
afterAll(async () => {
  await sshd?.stop();
});

forEachNodeKind((kind) => {
  it(`through SSH, a killed master refuses connections and its replica's link-down says its process is gone (${kind})`, async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const [master, replica] = group.nodes as [typeof group.nodes[0], typeof group.nodes[0]];
    const ssh = { enabled: true, host: '127.0.0.1', port: sshd.port, user: sshd.user, auth: 'key' as const, keyFile: sshd.clientKeyFile, hostKeyFingerprint: sshd.hostKeyFingerprint };
    const console = await ConsoleUnderTest.attach(master, { profile: { ssh }, pollIntervalMs: 500 });
    await console.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const mark = replica.mark();
    master.signal('SIGKILL');
    await waitForLog(replica, LOG.replicaMasterLost, mark);
    const gone = await console.waitForEvent((event) => event.kind === 'node-unreachable' && event.nodeId === master.id, 'the master unreachable');
    expect(gone.cause, console.describeEvents()).toBe('connection-refused');
    expect(gone.message).toContain('through SSH');
    const down = await console.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id, 'the replica\'s link-down');
    expect(down.peerId).toBe(master.id);
    expect(down.cause, console.describeEvents()).toBe('master-unreachable');
    expect(down.message).toContain('its process is gone');
  });
});
