/**
 * The connect-time preflight: which commands the connected ACL user may run,
 * and which console features that enables. Asked with `ACL DRYRUN <user>
 * <command> ...` (Redis 7.0), which runs nothing; read-only probes (INFO,
 * ROLE, CONFIG GET) are simply tried. When the user may not even run ACL
 * DRYRUN, the admin commands are reported as unknown (not allowed, with the
 * reason) rather than guessed. A server with no ACL command at all (before
 * Redis 6) has no per-command permissions: every command is allowed to
 * whoever authenticated. The embedded demo's nodes are the console's own,
 * reached as their default user, which may run everything: they are not
 * asked (an embedded engine attached through a profile is asked like any
 * server, and answers ACL DRYRUN as redis-server does).
 */
import type { Redis } from 'ioredis';
import type { Capabilities } from '../../../shared/contract/sessions';

const DRYRUN_PROBES: ReadonlyArray<[string, string[]]> = [
  ['client|list', ['CLIENT', 'LIST', 'TYPE', 'master']],
  ['client|kill', ['CLIENT', 'KILL', 'TYPE', 'replica']],
  ['replicaof', ['REPLICAOF', 'NO', 'ONE']],
  ['failover', ['FAILOVER']],
  ['cluster|failover', ['CLUSTER', 'FAILOVER']],
  ['config|set', ['CONFIG', 'SET', 'repl-backlog-size', '1mb']],
  ['debug', ['DEBUG', 'SLEEP', '0']],
];

const FEATURES: ReadonlyArray<{ feature: string; needs: string[] }> = [
  { feature: 'topology and lag', needs: ['info'] },
  { feature: 'backlog size reading', needs: ['info'] },
  { feature: 'disconnect a link', needs: ['client|list', 'client|kill'] },
  { feature: 'promote / re-point / force a full resync', needs: ['replicaof'] },
  { feature: 'coordinated failover', needs: ['failover'] },
  { feature: 'set repl-backlog-size', needs: ['config|set'] },
];

function isUnknownCommand(reply: unknown): boolean {
  return reply instanceof Error && /^ERR unknown command/i.test(reply.message);
}

function denied(reply: unknown): boolean {
  return reply instanceof Error && /NOPERM|no permissions|not allowed/i.test(reply.message);
}

export async function probeCapabilities(client: Redis, username: string | undefined, embedded: boolean): Promise<Capabilities> {
  const commands: Record<string, boolean> = {};
  const reasons: Record<string, string> = {};
  const dryrunAnswers: Record<string, string> = {};
  let uncheckedBecause: string | null = null;
  const tryRead = async (name: string, args: string[]): Promise<void> => {
    const reply = await client.call(args[0]!, ...args.slice(1)).catch((failure: unknown) => failure);
    commands[name] = !denied(reply) && !(reply instanceof Error && /unknown command/i.test(reply.message));
    if (!commands[name]) reasons[name] = reply instanceof Error ? reply.message : 'refused';
  };
  await tryRead('info', ['INFO', 'server']);
  await tryRead('role', ['ROLE']);
  await tryRead('config|get', ['CONFIG', 'GET', 'repl-backlog-size']);
  const noAclSystem = !embedded && isUnknownCommand(await client.call('ACL', 'WHOAMI').catch((failure: unknown) => failure));
  if (embedded || noAclSystem) {
    // The demo's own nodes (default user, every command) and servers without ACLs.
    for (const [name] of DRYRUN_PROBES) commands[name] = true;
  } else {
    for (const [name, args] of DRYRUN_PROBES) {
      const reply = await client.call('ACL', 'DRYRUN', username || 'default', ...args).catch((failure: unknown) => failure);
      if (reply === 'OK') commands[name] = true;
      else {
        commands[name] = false;
        reasons[name] = reply instanceof Error ? `could not check (${reply.message})` : String(reply);
        // DRYRUN's answer is the verdict; an error is the node refusing the check itself.
        if (reply instanceof Error) uncheckedBecause ??= reply.message;
        else dryrunAnswers[name] = String(reply);
      }
    }
  }
  const features = FEATURES.map(({ feature, needs }) => {
    const missing = needs.filter((name) => !commands[name]);
    return {
      feature,
      available: missing.length === 0,
      reason: missing.length === 0 ? null : missing.map((name) => `${name.replace('|', ' ').toUpperCase()}: ${reasons[name] ?? 'not allowed for this user'}`).join('; '),
    };
  });
  return { commands, features, dryrunAnswers, uncheckedBecause };
}
