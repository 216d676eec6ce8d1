/**
 * Reloading the dataset in place: DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]
 * (save, empty, load dbfilename back) and DEBUG LOADAOF.
 *
 * The engine keeps no append-only file. With appendonly on, Redis's AOF
 * holds exactly the dataset (absolute expiry times included), so reloading
 * it yields the same dataset with every value rebuilt: here the dataset is
 * dumped to memory and loaded back, which rebuilds every value the same
 * way, and dirty is reset as Redis does after an AOF load. (Redis 7.0 with
 * appendonly off has no AOF to load and exits: commands/server-debug.ts.)
 */
import { readFileSync } from 'node:fs';
import { fsPath, resolveBytes } from '../util/byte-paths';
import type { EngineNode } from '../node';
import { RdbLoader, type LoadedRdb } from '../rdb/rdb-loader';
import { encodingLimits } from './persistence';
import { ReloadError } from './reload-error';
import type { ReloadOptions } from '../commands/port/persistence-port';

export type { ReloadOptions };

export { ReloadError };

function loaderFor(node: EngineNode): RdbLoader {
  return new RdbLoader({
    databases: node.keyspace.dbs.length,
    keepExpired: node.replication.isReplica,
    limits: encodingLimits(node),
    warn: (message) => node.log.warning(message),
    access: node.keyspace.access,
  });
}

/** Loads what is in the file, or throws ReloadError. */
function loadFile(node: EngineNode): LoadedRdb {
  const file = resolveBytes(node.config.string('dir'), node.config.string('dbfilename'));
  const loader = loaderFor(node);
  try {
    loader.feed(readFileSync(fsPath(file)));
    return loader.finish();
  } catch (failure) {
    node.log.warning(`DEBUG RELOAD could not load ${file}: ${failure instanceof Error ? failure.message : String(failure)}`);
    throw new ReloadError('ERR Error trying to load the RDB dump');
  }
}

/**
 * NOFLUSH without MERGE: a key present in both is refused before anything
 * changes (Redis panics there).
 */
function refuseDuplicateKeys(node: EngineNode, loaded: LoadedRdb): void {
  for (const [index, db] of loaded.dbs.entries()) {
    const current = node.keyspace.dbs[index];
    for (const key of db.dict.keys()) {
      if (current?.dict.has(key)) {
        node.log.warning(`RDB has duplicated key '${key}' in DB ${index}`);
        throw new ReloadError('ERR Error trying to load the RDB dump');
      }
    }
  }
}

/** Adds the loaded keys to the current dataset (NOFLUSH); a key in both takes the loaded value. */
function mergeInto(node: EngineNode, loaded: LoadedRdb): void {
  for (const [index, db] of loaded.dbs.entries()) {
    const current = node.keyspace.dbs[index];
    if (!current) continue;
    for (const [key, value] of db.dict.entries()) {
      node.keyspace.setKey(current, key, value);
      const expiry = db.expireOf(key);
      if (expiry !== undefined) node.keyspace.setExpire(current, key, expiry);
    }
  }
}

/** DEBUG RELOAD with its options. Throws ReloadError with the reply text. */
export function reloadDataset(node: EngineNode, options: ReloadOptions): void {
  if (options.save) {
    try {
      node.persistence.saveSync();
    } catch {
      throw new ReloadError('ERR');
    }
  }
  const loaded = loadFile(node);
  if (!options.flush && !options.merge) refuseDuplicateKeys(node, loaded);
  // The file's libraries first, as the RDB holds them before the keys: a
  // flushing reload replaces ours (emptyData drops functions too), MERGE
  // replaces same-named ones, NOFLUSH alone fails on a library we have.
  const failure = node.scripting.installLoadedLibraries(loaded.functions, options.flush ? 'flush' : options.merge ? 'replace' : 'append');
  if (failure !== null) {
    node.log.warning(`Failed loading library, ${failure}`);
    throw new ReloadError('ERR Error trying to load the RDB dump');
  }
  if (options.flush) {
    // emptyData(-1) also forgets a writable replica's own TTL keys.
    node.replicaKeyExpiry.clear();
    node.replaceAllDatabases(loaded.dbs);
  } else mergeInto(node, loaded);
  node.log.warning('DB reloaded by DEBUG RELOAD');
}

/** DEBUG LOADAOF: the dataset rebuilt from a dump of itself (see the header). */
export function reloadFromMemory(node: EngineNode): void {
  const chunks: Buffer[] = [];
  node.snapshots.start(node.keyspace.dbs, { write: (chunk) => (chunks.push(Buffer.from(chunk)), true) }, {
    replication: null,
    compress: false,
    checksum: true,
    usedMemory: node.memory.usedMemory(),
    synchronous: true,
    plainNodeThreshold: node.debug.quicklistPackedThreshold,
    listFill: node.config.int('list-max-listpack-size'),
    listCompressDepth: node.config.int('list-compress-depth'),
    functions: node.scripting.libraryCodes(),
  });
  const loader = loaderFor(node);
  loader.feed(Buffer.concat(chunks));
  const loaded = loader.finish();
  const failure = node.scripting.installLoadedLibraries(loaded.functions, 'flush');
  if (failure !== null) throw new Error(`reloading our own libraries failed: ${failure}`);
  node.replicaKeyExpiry.clear();
  node.replaceAllDatabases(loaded.dbs);
  node.dirty = 0;
  node.log.warning('Append Only File loaded by DEBUG LOADAOF');
}
