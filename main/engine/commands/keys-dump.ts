/**
 * DUMP and RESTORE (cluster.c): the value in RDB encoding with version and
 * CRC64 (rdb/dump-payload.ts), interoperable with redis-server 7.0 both ways.
 * RESTORE's argument checks run in Redis's order (options, BUSYKEY, TTL,
 * payload); a relative TTL is propagated as an absolute one with ABSTTL, and
 * a TTL already in the past only deletes (propagated as DEL when it replaced).
 * IDLETIME and FREQ are validated and accepted; per-key access times are not
 * tracked by this engine (see memory/memory-manager.ts).
 */
import { defineCommand, cString } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { bulk, error, NULL, OK, type Reply } from '../resp/reply';
import { createDumpPayload, readDumpPayload, verifyDumpPayload } from '../rdb/dump-payload';
import { RdbFormatError } from '../rdb/format-error';
import { parseInt64, parseInt64Big } from '../util/integers';
import { NotifyType } from '../pubsub/keyspace-events';

export const dumpCommand = defineCommand({
  name: 'dump', arity: 2, flags: ['readonly'], acl: ['keyspace', 'read', 'slow'], keys: [1, 1, 1],
  doc: { summary: 'Return a serialized version of the value stored at the specified key.', since: '2.6.0', group: 'generic' },
  handler: (ctx) => {
    const value = ctx.read(ctx.arg(1));
    if (value === undefined) return NULL;
    return bulk(createDumpPayload(value, { compress: ctx.node.config.bool('rdbcompression'), plainNodeThreshold: ctx.node.debug.quicklistPackedThreshold, listFill: ctx.node.config.int('list-max-listpack-size'), listCompressDepth: ctx.node.config.int('list-compress-depth') }).toString('latin1'));
  },
});

function restore(ctx: CommandContext): Reply {
  let replace = false;
  let absttl = false;
  // getLongLongFromObjectOrReply: any int64 is taken, not only doubles' safe range.
  let idle: number | bigint | null = null;
  let freq: number | bigint | null = null;
  for (let j = 4; j < ctx.argc; j++) {
    const option = cString(ctx.arg(j)).toLowerCase();
    const additional = ctx.argc - j - 1;
    if (option === 'replace') replace = true;
    else if (option === 'absttl') absttl = true;
    else if (option === 'idletime' && additional >= 1 && freq === null) {
      idle = parseInt64(ctx.arg(++j));
      if (idle === null) return errors.NOT_INTEGER;
      if (idle < 0) return error('ERR Invalid IDLETIME value, must be >= 0');
    } else if (option === 'freq' && additional >= 1 && idle === null) {
      freq = parseInt64(ctx.arg(++j));
      if (freq === null) return errors.NOT_INTEGER;
      if (freq < 0 || freq > 255) return error('ERR Invalid FREQ value, must be >= 0 and <= 255');
    } else {
      return errors.SYNTAX;
    }
  }
  const key = ctx.arg(1);
  if (!replace && ctx.write(key) !== undefined) return errors.BUSYKEY;
  let ttl = parseInt64Big(ctx.arg(2));
  if (ttl === null) return errors.NOT_INTEGER;
  if (ttl < 0) return error('ERR Invalid TTL value, must be >= 0');
  const payload = Buffer.from(ctx.arg(3), 'latin1');
  if (!verifyDumpPayload(payload)) return error('ERR DUMP payload version or checksum are wrong');
  let value;
  try {
    value = readDumpPayload(payload, { databases: ctx.node.keyspace.dbs.length, encoding: ctx.node.hot });
  } catch (failure) {
    if (failure instanceof RdbFormatError) return error('ERR Bad data format');
    throw failure;
  }
  ctx.write(key);
  const deleted = replace ? ctx.keyspace.deleteKey(ctx.db, key) : false;
  // One clock reading for a relative TTL's base and the already-expired check (redis-server reads
  // mstime() twice, nanoseconds apart; inside EXEC or a script each is a fresh reading here, and a
  // 1 ms stall between two made RESTORE k 1 delete what it restored).
  const nowMs = BigInt(ctx.mstime());
  // ttl + mstime() in int64: a relative TTL near 2^63 wraps negative, so the key is already expired (cluster.c).
  if (ttl !== 0n && !absttl) ttl = BigInt.asIntN(64, ttl + nowMs);
  if (ttl !== 0n && ttl <= nowMs && !ctx.node.replication.isReplica) {
    if (deleted) {
      ctx.rewriteArgv(['DEL', key]);
      ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
      ctx.addDirty();
    } else {
      ctx.preventPropagation();
    }
    return OK;
  }
  ctx.keyspace.setKey(ctx.db, key, value);
  ctx.keyspace.applyUsage(ctx.db, key, Number(freq ?? -1), idle ?? -1);
  if (ttl !== 0n) {
    ctx.keyspace.setExpire(ctx.db, key, ttl);
    if (!absttl) ctx.rewriteArgv([...ctx.argv.slice(0, 2), ttl.toString(), ...ctx.argv.slice(3), 'ABSTTL']);
  }
  ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'restore', key);
  ctx.addDirty();
  return OK;
}

export const restoreCommand = defineCommand({
  name: 'restore', arity: -4, flags: ['write', 'denyoom'], acl: ['keyspace', 'write', 'slow', 'dangerous'], keys: [1, 1, 1],
  doc: { summary: 'Create a key using the provided serialized value, previously obtained using DUMP.', since: '2.6.0', group: 'generic' },
  handler: restore,
});

/**
 * RESTORE-ASKING is RESTORE run by MIGRATE on a cluster target: the same
 * procedure (restoreCommand), plus the asking flag that lets it write to a
 * slot being imported. A server without cluster support runs it as RESTORE,
 * and it is propagated under its own name, as it was called.
 */
export const restoreAskingCommand = defineCommand({
  name: 'restore-asking', arity: -4, flags: ['write', 'denyoom', 'asking'], acl: ['keyspace', 'write', 'slow', 'dangerous'], keys: [1, 1, 1],
  doc: {
    summary: 'An internal command for migrating keys in a cluster', since: '3.0.0', group: 'server',
    complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
  },
  handler: restore,
});

export const DUMP_COMMANDS = [dumpCommand, restoreCommand, restoreAskingCommand];
