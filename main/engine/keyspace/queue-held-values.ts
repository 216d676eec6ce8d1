/**
 * The string values EXEC's queued commands stored straight from their own
 * arguments, while EXEC runs (multi.c, object.c).
 *
 * Redis keeps a transaction's queued argv until EXEC has run all of it
 * (freeClientMultiState after the loop). SET, SETNX, SETEX, PSETEX, GETSET,
 * MSET, MSETNX and APPEND on a missing key store the argument object itself
 * in the database (incrRefCount), so while EXEC runs that object has two
 * references: OBJECT REFCOUNT (and DEBUG OBJECT) of such a key read 2 in
 * the same transaction, 1 once EXEC is over. A value that is written again
 * is a new object (setKey, dbAdd) or unshared first (dbUnshareStringValue,
 * incrDecrCommand's refcount test), so the mark goes with any rewrite; a
 * RENAME or MOVE keeps the object, so the mark follows it.
 *
 * Shared integers (refcount OBJ_SHARED_REFCOUNT) are not affected:
 * tryObjectEncoding puts the shared object in the argv instead.
 */
export class QueueHeldValues {
  /** Database index -> keys whose value is an argument of the running EXEC's queue. */
  private readonly held = new Map<number, Set<string>>();

  /** `client`: the one running EXEC (a script inside it calls with its own argv, which it frees at once). */
  constructor(readonly client: object) {}

  mark(dbIndex: number, key: string): void {
    let keys = this.held.get(dbIndex);
    if (keys === undefined) this.held.set(dbIndex, (keys = new Set()));
    keys.add(key);
  }

  has(dbIndex: number, key: string): boolean {
    return this.held.get(dbIndex)?.has(key) ?? false;
  }

  forget(dbIndex: number, key: string): void {
    this.held.get(dbIndex)?.delete(key);
  }

  /** FLUSHDB / FLUSHALL. */
  forgetDatabase(dbIndex: number): void {
    this.held.delete(dbIndex);
  }

  /** SWAPDB: the marks go with the data. */
  swapDatabases(a: number, b: number): void {
    const first = this.held.get(a);
    const second = this.held.get(b);
    this.held.delete(a);
    this.held.delete(b);
    if (second !== undefined) this.held.set(a, second);
    if (first !== undefined) this.held.set(b, first);
  }
}
