/**
 * One of the numbered databases: the main dictionary and the expires
 * dictionary, as in Redis (db.c). This class is deliberately dumb storage;
 * the rules (lazy expiry, replica semantics, notifications, snapshot
 * copy-on-write) live in Keyspace, which every command goes through.
 *
 * Invariant: every key in `expires` is also in `dict`.
 */
import { Dict } from './dict';

export class Database {
  dict = new Dict();
  /** key -> absolute expiry time in unix milliseconds. */
  expires = new Map<string, number>();
  /** Incremented on every change; lets long walks (snapshots, SCAN) notice swaps. */
  version = 0;

  constructor(public id: number) {}

  get size(): number {
    return this.dict.size;
  }

  /** Swaps content with another database (SWAPDB): ids stay, data moves. */
  swapContentWith(other: Database): void {
    const dict = this.dict;
    const expires = this.expires;
    this.dict = other.dict;
    this.expires = other.expires;
    other.dict = dict;
    other.expires = expires;
    this.version++;
    other.version++;
  }

  clear(): void {
    this.dict = new Dict();
    this.expires = new Map();
    this.version++;
  }
}
