/**
 * What replication needs from the RDB machinery, as types only, so this
 * module does not depend on how snapshots and loads are implemented
 * (main/engine/rdb provides both; node.ts plugs them in).
 *
 * A snapshot is point-in-time at the synchronous call of `start`: the
 * +FULLRESYNC offset is read at that same instant, so the RDB plus the
 * stream after that offset is exactly the master's dataset.
 */
import type { Database } from '../keyspace/database';

export interface SnapshotSink {
  /** Receives encoded RDB bytes in order; returning false pauses the walk until resume(). */
  write(chunk: Buffer): boolean;
}

export interface SnapshotHandle {
  readonly done: Promise<{ bytes: number; keys: number; durationMs: number }>;
  readonly bytesWritten: number;
  resume(): void;
  abort(reason: string): void;
}

export interface ReplicationAux {
  readonly replid: string;
  readonly offset: number;
  readonly streamDb: number;
}

/**
 * What a replica asked the RDB to hold (REPLCONF rdb-filter-only): 'all';
 * 'functions' only (redis-cli --functions-rdb); 'none', an empty dataset
 * (redis-cli --replica, which wants the command stream only).
 */
export type RdbFilter = 'all' | 'functions' | 'none';

export type StartSnapshot = (sink: SnapshotSink, options: { replication: ReplicationAux | null; filter: RdbFilter }) => SnapshotHandle;

export interface LoadedDataset {
  readonly dbs: Database[];
  readonly aux: Map<string, string>;
  readonly stats: { keysLoaded: number; keysExpired: number; keysSkipped: number };
  /** FUNCTION library payloads (installed with the databases, in place of ours). */
  readonly functions: ReadonlyArray<string>;
}

export interface StreamingLoader {
  /** Consumes bytes of the RDB; returns how many (nothing after EOF + checksum). Throws on bad data. */
  feed(chunk: Buffer): number;
  readonly isComplete: boolean;
  /** The loaded dataset (fresh Database objects); throws if incomplete or corrupt. */
  finish(): LoadedDataset;
}

export type CreateLoader = (options: { keepExpired: boolean }) => StreamingLoader;
