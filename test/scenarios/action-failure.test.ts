/**
 * Issue 15, point 11, for actions: a failed action says in a plain sentence
 * which command failed on which node, what happened and what to do, in the
 * action's result (the dialog shows it where the operator pressed Run) —
 * never the client library's "Connection is closed." or "Stream isn't
 * writeable and enableOfflineQueue options is false".
 *
 * Provoked for real: the node the action runs on hangs (SIGSTOP) between
 * its preflight and its run. It keeps its last known role (point 7), so the
 * run passes its role check and the command meets a node that never
 * answers; ioredis says "Command timed out". A node that is gone altogether
 * is refused before anything runs ("is now unknown (it was replica at
 * preflight)"), also checked.
 */
import { expect, it } from 'vitest';
import { RespConnection, RespError } from '../support/resp-connection';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

const LIBRARY_TEXTS = /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|ECONNREFUSED|ECONNRESET/;

forEachNodeKind((kind) => {
  it('the replica hangs between preflight and run: the result names the command and the node, in words, with what to do', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const preflight = await replscope.preflight({ kind: 'set-backlog-size', nodeId: replica.id, bytes: 2 * 1024 * 1024 });
    expect(preflight.allowed).toBe(true);

    replica.signal('SIGSTOP');
    try {
      const result = await replscope.run(preflight);
      expect(result.outcome).toBe('failed');
      expect(result.message).not.toMatch(LIBRARY_TEXTS);
      expect(result.message).toContain(`CONFIG SET on ${replica.id}`);
      expect(result.message).toContain('did not answer within');
    } finally {
      replica.signal('SIGCONT');
    }

    // The console polled the hung replica as unreachable: a preflight before it sees it answer again is
    // refused for that (rightly), so wait for a poll after the resume that shows the group steady, and
    // check this preflight allows the action.
    const resumedAt = Date.now();
    await replscope.waitForSnapshot((snapshot) => snapshot.time > resumedAt, 'a poll after the replica resumed');
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const again = await replscope.preflight({ kind: 'set-backlog-size', nodeId: replica.id, bytes: 2 * 1024 * 1024 });
    expect(again.allowed).toBe(true);
    await replica.stop();
    await expect(replscope.run(again)).rejects.toThrow(`${replica.id} is now unknown (it was replica at preflight): refused, run the preflight again`);
  });
});

forEachNodeKind((kind) => {
  it('the ACL user loses CONFIG SET between preflight and run: NOPERM in words, with the ACL SETUSER that grants it', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.node('replica-1');
    const rules = ['+ping', '+info', '+role', '+config|get', '+client|setname', '+acl|dryrun', '+config|set'];
    for (const node of group.nodes) await node.call('ACL', 'SETUSER', 'operator', 'on', '>op-secret', ...rules);
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500, profile: { username: 'operator' }, secrets: { password: 'op-secret' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const preflight = await replscope.preflight({ kind: 'set-backlog-size', nodeId: replica.id, bytes: 2 * 1024 * 1024 });
    expect(preflight.allowed).toBe(true);

    await replica.call('ACL', 'SETUSER', 'operator', '-config|set');
    const result = await replscope.run(preflight);

    expect(result.outcome).toBe('failed');
    // The node's own refusal, read as that user (redis-server 7.0.15: "NOPERM this user has no permissions to run the 'config|set' command").
    const [host = '', port = ''] = [replica.id.slice(0, replica.id.lastIndexOf(':')), replica.id.slice(replica.id.lastIndexOf(':') + 1)];
    const asOperator = new RespConnection(host, Number(port));
    const refusal = await asOperator.call('AUTH', 'operator', 'op-secret').then(() => asOperator.call('CONFIG', 'SET', 'repl-backlog-size', String(2 * 1024 * 1024))).finally(() => asOperator.close());
    expect(refusal).toBeInstanceOf(RespError);
    const verbatim = (refusal as RespError).message;
    expect(verbatim).toMatch(/^NOPERM .*'config\|set'/);
    expect(result.message).toBe(`CONFIG SET on ${replica.id} failed: ${replica.id} answered "${verbatim}": the ACL user "operator" may not run config|set the console needs. `
      + 'Grant it on the server: ACL SETUSER operator +config|set (the README lists a monitor-only user\'s rules).');
    expect(await replica.call('CONFIG', 'GET', 'repl-backlog-size')).not.toContain(String(2 * 1024 * 1024));
  });
});
