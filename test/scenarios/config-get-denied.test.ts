/**
 * An ACL user that may read INFO but not CONFIG GET (`-@all +ping +info
 * +replconf +client|list`, a user a new user makes): every node is watched
 * with its INFO figures, and each node says what it was refused in Redis's
 * own words, the reply the node gives that user for CONFIG GET, not only
 * "config|get" (found in a new-user walk on a TLS master and replica).
 */
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

const RULES = ['on', '>limited-pw', '-@all', '+ping', '+info', '+replconf', '+client|list'];

/** What the node answers this user for CONFIG GET: its refusal, word for word. */
async function refusalFor(port: number): Promise<string> {
  const client = new Redis({ port, host: '127.0.0.1', username: 'limited', password: 'limited-pw', lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    await client.call('CONFIG', 'GET', 'repl-timeout');
    throw new Error('CONFIG GET was allowed');
  } catch (failure) {
    return (failure as Error).message;
  } finally {
    client.disconnect();
  }
}

forEachNodeKind((kind) => {
  it(`a user without CONFIG GET: the figures from INFO, and Redis's own refusal on each node (${kind})`, async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    for (const node of group.nodes) await node.call('ACL', 'SETUSER', 'limited', ...RULES);
    const console = await ConsoleUnderTest.attach(group.master, { profile: { username: 'limited' }, secrets: { password: 'limited-pw' }, pollIntervalMs: 500 });
    await console.waitForSteadyGroup(group.nodes.map((node) => node.id));
    for (const node of group.nodes) {
      const reply = await refusalFor(node.port);
      expect(reply).toMatch(/^NOPERM /);
      const shown = console.node(node.id);
      expect(shown.deniedCommands).toEqual(['config|get']);
      expect(shown.deniedReplies).toEqual([reply]);
      expect(shown.config).toBeNull();
    }
    // The INFO figures are the nodes' own.
    const truth = await replicationTruth(group.master);
    await console.waitForSnapshot((snapshot) => snapshot.nodes.find((node) => node.id === group.master.id)?.masterReplOffset === truth.masterReplOffset, 'the master\'s offset as INFO gives it');
  });
});
