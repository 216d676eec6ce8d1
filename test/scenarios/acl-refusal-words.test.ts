/**
 * Why an action is refused for the connected ACL user, in words that are
 * true on the node. Found in a new-user walk: attached as a user that may
 * not run ACL DRYRUN (`+@all -acl|dryrun`, or the `+info +ping` user a new
 * user makes first), every preflight said "the connected user may not run
 * CLIENT LIST, CLIENT KILL" / "... REPLICAOF" — yet the first user runs both
 * on the node, which only refused the check (NOPERM for ACL DRYRUN). The
 * console cannot tell without the check, so it still refuses, but it says
 * that it could not check and gives the node's NOPERM line; a user the check
 * did refuse is told so with ACL DRYRUN's own answer. The Controls tab gives
 * the same reason as the preflight.
 *
 * Held against the node's own replies to each user: CLIENT LIST and
 * REPLICAOF NO ONE (harmless on a master) accepted, ACL DRYRUN refused.
 */
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { aclRefusal } from '../../shared/contract/acl-refusal';
import { controlStates } from '../../renderer/src/utils/controls';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, type ScenarioNode } from './harness';

useScenarioCleanup();

/** The node's reply to one command sent as `user`: its text, or its error line. */
async function replyAs(node: ScenarioNode, user: string, ...args: string[]): Promise<string> {
  const client = new Redis({ port: node.port, host: '127.0.0.1', username: user, password: `${user}-pw`, lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    return String(await client.call(args[0]!, ...args.slice(1)));
  } catch (failure) {
    return (failure as Error).message;
  } finally {
    client.disconnect();
  }
}

forEachNodeKind((kind) => {
  it('a user that may not run ACL DRYRUN: actions refused as "could not check", with the node\'s NOPERM line, not as "may not run"', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.node('replica-1');
    const users = { unchecked: ['+@all', '-acl|dryrun'], peek: ['-@all', '+info', '+ping'], lister: ['-@all', '+info', '+ping', '+acl|dryrun', '+client|list'] };
    for (const node of group.nodes) {
      for (const [name, rules] of Object.entries(users)) expect(await node.call('ACL', 'SETUSER', name, 'on', `>${name}-pw`, '~*', '&*', ...rules)).toBe('OK');
    }
    // The nodes' truth for the first user: the commands run, only the check is refused.
    expect(await replyAs(replica, 'unchecked', 'CLIENT', 'LIST', 'TYPE', 'master')).toMatch(/^id=/);
    expect(await replyAs(group.master, 'unchecked', 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    const dryrunRefused = await replyAs(group.master, 'unchecked', 'ACL', 'DRYRUN', 'unchecked', 'REPLICAOF', 'NO', 'ONE');
    expect(dryrunRefused).toBe("NOPERM this user has no permissions to run the 'acl|dryrun' command");

    for (const user of ['unchecked', 'peek'] as const) {
      const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500, profile: { username: user }, secrets: { password: `${user}-pw` } });
      const snapshot = await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      const capabilities = await replscope.call('sessions.capabilities', { sessionId: replscope.sessionId });
      const controls = controlStates(replscope.node(replica.id, snapshot), { safetyMode: 'ops', capabilities, snapshot });
      const disconnect = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'master' });
      const resync = await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id });
      for (const preflight of [disconnect, resync]) {
        expect(preflight.allowed).toBe(false);
        expect(preflight.deniedReason).not.toMatch(/may not run/);
        expect(preflight.deniedReason).toContain('could not check');
        expect(preflight.deniedReason).toContain(`ACL DRYRUN answered "${dryrunRefused}" (grant +acl|dryrun to let it check)`);
      }
      expect(disconnect.deniedReason).toContain('CLIENT LIST, CLIENT KILL');
      expect(resync.deniedReason).toContain('REPLICAOF');
      // The Controls tab says the same as the preflight.
      expect(controls.find((state) => state.kind === 'force-full-resync')?.reason?.toLowerCase()).toContain(resync.deniedReason!.toLowerCase());
      await replscope.close();
    }

    // A check the node refused for another reason than permission: its line quoted, no grant offered (granting would not help).
    const notFoundReply = await group.master.call('ACL', 'DRYRUN', 'nosuchuser', 'REPLICAOF', 'NO', 'ONE').catch((failure: unknown) => failure);
    const notFound = notFoundReply instanceof Error ? notFoundReply.message : String(notFoundReply);
    expect(notFound).toBe("ERR User 'nosuchuser' not found");
    expect(aclRefusal({ commands: { replicaof: false }, features: [], dryrunAnswers: {}, uncheckedBecause: notFound }, ['replicaof'])).toBe(
      `the console could not check whether the connected ACL user may run REPLICAOF: ACL DRYRUN answered "${notFound}"`,
    );

    // A user the check did refuse: "may not run", with ACL DRYRUN's own answer.
    const verdict = await replyAs(group.master, 'lister', 'ACL', 'DRYRUN', 'lister', 'CLIENT', 'KILL', 'TYPE', 'replica');
    expect(verdict).toBe("This user has no permissions to run the 'client|kill' command");
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500, profile: { username: 'lister' }, secrets: { password: 'lister-pw' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const disconnect = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'master' });
    expect(disconnect.allowed).toBe(false);
    expect(disconnect.deniedReason).toBe(`the connected ACL user may not run CLIENT KILL: ACL DRYRUN answered "${verdict}"`);
  }, 60_000);
});
