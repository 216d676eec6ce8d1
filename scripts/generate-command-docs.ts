/**
 * Writes main/engine/commands/meta/command-docs.json: the complexity,
 * history and arguments of every command's COMMAND DOCS entry, read from a
 * real redis-server 7.0 (the summary, since, group and doc flags are in the
 * engine's command specs already). Run it again when the Redis version the
 * engine follows changes:
 *
 *   npx tsx scripts/generate-command-docs.ts
 *
 * Each argument is kept as the ordered [field, value] pairs Redis sends
 * (name, type, key_spec_index, token, since, flags, arguments, ...), so
 * command-docs.ts can replay them in the same order with the same types.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisServer, stopAllRedisServers } from '../test/support/redis-server';
import { RespConnection } from '../test/support/resp-connection';

type Field = [string, unknown];

/** One argument map as ordered pairs, nested arguments converted too. */
function argumentPairs(value: unknown): Field[] {
  if (!(value instanceof Map)) throw new Error(`argument is not a map: ${String(value)}`);
  return [...value].map(([field, inner]) => [String(field), field === 'arguments' ? (inner as unknown[]).map(argumentPairs) : inner]);
}

const out: Record<string, { complexity?: string; history?: Array<[string, string]>; arguments?: Field[][] }> = {};

function collect(name: string, doc: Map<unknown, unknown>): void {
  const entry: (typeof out)[string] = {};
  const complexity = doc.get('complexity');
  if (typeof complexity === 'string') entry.complexity = complexity;
  const history = doc.get('history');
  if (Array.isArray(history)) entry.history = history as Array<[string, string]>;
  const args = doc.get('arguments');
  if (Array.isArray(args)) entry.arguments = args.map(argumentPairs);
  out[name] = entry;
  const subcommands = doc.get('subcommands');
  if (subcommands instanceof Map) for (const [sub, subDoc] of subcommands) collect(String(sub), subDoc as Map<unknown, unknown>);
}

let version = '';
const redis = await startRedisServer();
try {
  const connection = new RespConnection('127.0.0.1', redis.port);
  const server = (await connection.call('HELLO', '3')) as Map<unknown, unknown>;
  version = String(server.get('version'));
  const docs = (await connection.call('COMMAND', 'DOCS')) as Map<unknown, unknown>;
  for (const [name, doc] of docs) collect(String(name), doc as Map<unknown, unknown>);
  connection.close();
} finally {
  await stopAllRedisServers();
}
const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '../main/engine/commands/meta/command-docs.json');
// Under one top-level key: loaders that turn a JSON module's top-level keys into
// named exports (tsx) cannot export names like "eval".
writeFileSync(target, `${JSON.stringify({ redisVersion: version, commands: sorted })}\n`);
console.log(`${Object.keys(sorted).length} commands written to ${target}`);
