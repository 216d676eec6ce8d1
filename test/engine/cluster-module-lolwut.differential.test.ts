/**
 * The 7.0 commands a server without cluster support or modules still has,
 * against redis-server 7.0.15 in RESP2 and RESP3: ASKING, READONLY,
 * READWRITE (the cluster-disabled error), RESTORE-ASKING (RESTORE under
 * another name, propagated as called), MODULE (HELP, LIST, the protected
 * LOAD/LOADEX/UNLOAD, refused or failing as a failed dlopen), LOLWUT (the
 * version picked, Schotter's fixed top rows byte for byte, the random art's
 * layout), their COMMAND INFO / DOCS entries and COMMAND COUNT.
 * BGREWRITEAOF is the one where the engine answers differently on purpose
 * (it keeps no AOF: commands/persistence.ts), except where redis-server
 * only schedules the rewrite (in EXEC, during a BGSAVE).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { runDifferential, step, type Step } from '../support/differential';
import { startRedisServer, type RedisProcess } from '../support/redis-server';
import { startEngine, type EngineHandle } from '../support/engine';
import { waitFor } from '../support/wait';

const peers = differentialPair();

/** One cell of LOLWUT 6: ESC [ <gray> m, a space, ESC [ 0 m. */
const GRAY_CELL = new RegExp(`${String.fromCharCode(27)}\\[0;(?:30;40|90;100|37;47|97;107)m ${String.fromCharCode(27)}\\[0m`, 'g');

/**
 * LOLWUT art with every drawn cell (a Braille character or a colored space)
 * replaced by one mark: the layout without the randomness. The length line
 * goes too (color escapes differ in length).
 */
function artLayout(raw: Buffer): string {
  return raw.toString('utf8').replace(/^[$=]\d+\r\n/, '').replace(/[\u2800-\u28ff]/g, 'b').replace(GRAY_CELL, 'c');
}

const layout = (...cmd: string[]): Step => ({ cmd, compare: artLayout });

describe('cluster connection commands, RESTORE-ASKING, MODULE, LOLWUT against redis-server', () => {
  it('replies match in RESP2 and RESP3', async () => {
    const steps: Step[] = [
      step('ASKING'), step('READONLY'), step('READWRITE'), step('ASKING', 'x'), step('READONLY', 'x'), step('READWRITE', 'x'),
      step('SET', 'src', 'value'), step('PEXPIRE', 'src', '100000'),
      step('RESTORE-ASKING', 'k'), step('RESTORE-ASKING', 'k', '0', 'x'), step('RESTORE-ASKING', 'k', '0', 'x', 'BOGUS'),
      step('EVAL', "local p = redis.call('DUMP', 'src') redis.call('RESTORE-ASKING', 'dst', '0', p) return redis.call('GET', 'dst')", '0'),
      step('EVAL', "local p = redis.call('DUMP', 'src') return redis.pcall('RESTORE-ASKING', 'dst', '0', p)", '0'),
      step('MODULE'), step('MODULE', 'HELP'), step('MODULE', 'help', 'x'), step('MODULE', 'LIST'), step('MODULE', 'LIST', 'x'),
      step('MODULE', 'LOAD'), step('MODULE', 'LOAD', '/nonexistent/module.so'), step('MODULE', 'LOADEX', '/x.so', 'CONFIG', 'a', 'b'),
      step('MODULE', 'UNLOAD', 'foo'), step('MODULE', 'UNLOAD'), step('MODULE', 'NOSUCH'),
      step('EVAL', "return redis.pcall('MODULE', 'LIST')", '0'),
      step('LOLWUT'), step('LOLWUT', 'foo'), step('LOLWUT', '5'), step('LOLWUT', 'VERSION'), step('LOLWUT', 'VERSION', 'x'),
      step('LOLWUT', 'VERSION', '1'), step('LOLWUT', 'version', '4'), step('LOLWUT', 'VERSION', '7'), step('LOLWUT', 'VERSION', '59'),
      step('LOLWUT', 'VERSION', '4294967301', '10', '3', '2'), step('LOLWUT', 'VERSION', '-4294967291', '10', '3', '2'),
      step('LOLWUT', 'VERSION', '5', 'x'), step('LOLWUT', 'VERSION', '5', '10', '3', 'x'), step('LOLWUT', 'VERSION', '6', '10', 'x'),
      // Schotter's first two rows of squares are neither turned nor shifted: byte for byte.
      step('LOLWUT', 'VERSION', '5', '40', '4', '2'), step('LOLWUT', 'VERSION', '5', '2', '2', '2'), step('LOLWUT', 'VERSION', '5', '1', '1', '1'),
      step('LOLWUT', 'VERSION', '5', '0', '0', '0'), step('LOLWUT', 'VERSION', '5', '100000', '7', '1'), step('LOLWUT', 'VERSION', '5', '33', '999', '2'),
      layout('LOLWUT', 'VERSION', '5'), layout('LOLWUT', 'VERSION', '5', '20', '3', '7'), layout('LOLWUT', 'VERSION', '5', '-5', '-5', '-5'),
      layout('LOLWUT', 'VERSION', '6'), layout('LOLWUT', 'VERSION', '6', '7', '3'), layout('LOLWUT', 'VERSION', '6', '1', '1'), layout('LOLWUT', 'VERSION', '6', '0', '2000'),
      step('COMMAND', 'COUNT'),
      ...['asking', 'readonly', 'readwrite', 'restore-asking', 'bgrewriteaof', 'lolwut', 'module|list', 'module|load', 'module|loadex', 'module|unload', 'module|help']
        .map((name) => step('COMMAND', 'INFO', name)),
      ...['asking', 'readonly', 'readwrite', 'bgrewriteaof', 'module|list', 'module|help'].map((name) => step('COMMAND', 'DOCS', name)),
      step('COMMAND', 'GETKEYS', 'RESTORE-ASKING', 'k', '0', 'payload'),
      step('ACL', 'DRYRUN', 'default', 'READONLY'),
    ];
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(steps, protocol)).toEqual([]);
    }
  });

  it('RESTORE-ASKING restores and expires as RESTORE does', async () => {
    const steps: Step[] = [
      step('SET', 'src2', 'hello'), step('DUMP', 'src2'),
    ];
    expect(await peers.compare(steps)).toEqual([]);
    for (const peer of [peers.redis, peers.ours]) {
      const payload = Buffer.from((await peer.call('DUMP', 'src2')) as string, 'latin1');
      expect(await peer.call('RESTORE-ASKING', 'copy', '50000', payload)).toBe('OK');
      expect(await peer.call('GET', 'copy')).toBe('hello');
      const ttl = Number(await peer.call('PTTL', 'copy'));
      expect(ttl).toBeGreaterThan(40_000);
      expect(String(await peer.call('RESTORE-ASKING', 'copy', '0', payload))).toMatch(/BUSYKEY/);
    }
  });
});

describe('MODULE LOAD allowed (enable-module-command yes)', () => {
  let redis: RedisProcess;
  let ours: EngineHandle;
  beforeAll(async () => {
    [redis, ours] = await Promise.all([
      startRedisServer({ args: ['--enable-module-command', 'yes'] }),
      startEngine([['enable-module-command', 'yes']]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([ours.stop(), redis.stop()]);
  });

  it('LOAD and LOADEX fail as a failed dlopen does, UNLOAD finds no module, and the log says why', async () => {
    const steps: Step[] = [
      step('MODULE', 'LOAD', '/nonexistent/module.so'), step('MODULE', 'LOAD', '/nonexistent/module.so', 'arg1', 'arg2'),
      step('MODULE', 'LOADEX', '/x.so'), step('MODULE', 'LOADEX', '/x.so', 'CONFIG', 'a'), step('MODULE', 'LOADEX', '/x.so', 'foo'),
      step('MODULE', 'LOADEX', '/x.so', 'CONFIG', 'a', 'b', 'ARGS', 'c'), step('MODULE', 'UNLOAD', 'foo'), step('MODULE', 'LIST'),
      step('CONFIG', 'GET', 'enable-module-command'),
    ];
    for (const protocol of [2, 3] as const) {
      expect(await runDifferential({ port: redis.port }, { port: ours.port }, steps, protocol)).toEqual([]);
    }
    await waitFor(() => /Syntax Error from arguments to loadex around foo\./.test(redis.log()));
    const lines = [/Module \/nonexistent\/module\.so failed to load: /, /CONFIG specified without name value pair/, /Syntax Error from arguments to loadex around foo\./];
    for (const line of lines) {
      expect(redis.log()).toMatch(line);
      expect(ours.logs.join('\n')).toMatch(line);
    }
    expect(ours.logs.join('\n')).toMatch(/Module \/x\.so failed to load: .*cannot load C modules/);
  });
});

describe('BGREWRITEAOF on an engine without AOF', () => {
  it('refuses with the error redis-server gives for a rewrite it cannot start, and logs why', async () => {
    expect(await peers.redis.call('BGREWRITEAOF')).toBe('Background append only file rewriting started');
    expect(String(await peers.ours.call('BGREWRITEAOF'))).toContain(
      "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
    );
    expect(peers.ours.logs.join('\n')).toMatch(/keeps no append only file/);
    const info = String(await peers.ours.call('INFO', 'persistence'));
    expect(info).toMatch(/aof_rewrite_in_progress:0/);
    expect(await peers.compare([step('BGREWRITEAOF', 'x'), step('EVAL', "return redis.pcall('BGREWRITEAOF')", '0')])).toEqual([]);
  });

  it('schedules the rewrite inside MULTI and during a BGSAVE as redis-server does; the scheduled rewrite then fails in the log', async () => {
    await waitFor(async () => String(await peers.redis.call('INFO', 'persistence')).includes('aof_rewrite_in_progress:0'));
    const inMulti: Step[] = [step('MULTI'), step('BGREWRITEAOF'), step('PING'), step('EXEC')];
    expect(await peers.compare(inMulti)).toEqual([]);
    await waitFor(async () => /aof_rewrite_scheduled:0/.test(String(await peers.ours.call('INFO', 'persistence'))));
    expect(peers.ours.logs.join('\n')).toMatch(/Can't rewrite the append only file in background.*\(scheduled\)/);
    expect(String(await peers.ours.call('INFO', 'persistence'))).toMatch(/aof_last_bgrewrite_status:err/);
    // A BGSAVE in progress (slowed per key) defers the rewrite on both; redis-server's
    // cron must have started and finished the rewrite it scheduled in EXEC first.
    const idle = /aof_rewrite_in_progress:0[\s\S]*aof_rewrite_scheduled:0/;
    await waitFor(async () => idle.test(String(await peers.redis.call('INFO', 'persistence'))));
    const duringBgsave: Step[] = [
      step('FLUSHALL'), step('MSET', 'a', '1', 'b', '2', 'c', '3'), step('CONFIG', 'SET', 'rdb-key-save-delay', '300000'), step('BGSAVE'),
      step('BGREWRITEAOF'), step('CONFIG', 'SET', 'rdb-key-save-delay', '0'),
    ];
    expect(await peers.compare(duringBgsave)).toEqual([]);
    for (const peer of [peers.redis, peers.ours]) {
      await waitFor(async () => /rdb_bgsave_in_progress:0[\s\S]*aof_rewrite_scheduled:0/.test(String(await peer.call('INFO', 'persistence'))));
    }
  });
});
