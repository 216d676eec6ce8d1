/**
 * The string values that are, for a while after they were stored, still an
 * object of some command's argv (multi.c, server.c, object.c): OBJECT
 * REFCOUNT and DEBUG OBJECT count those references.
 *
 * SET, SETNX, SETEX, PSETEX, GETSET, MSET, MSETNX and APPEND on a missing
 * key store the argument object itself in the database (incrRefCount), and
 * INCRBYFLOAT stores the object it rewrites its argv with. Two holders keep
 * such an argv past the command:
 *  - EXEC's queue: a transaction's queued argv lives until EXEC has run all
 *    of it (freeClientMultiState after the loop), so a value its own queued
 *    command stored has one more reference until EXEC ends;
 *  - the propagation queue: while the node propagates (a master with a
 *    backlog, shouldPropagate), call() hands the argv of every propagated
 *    command to alsoPropagate, which takes a reference to each object until
 *    propagatePendingCommands runs at the end of the top-level command. A
 *    value stored by a command inside EXEC or a script therefore has one
 *    more reference until EXEC or the script ends (the script's own argv is
 *    freed after each call).
 * A top-level command's holders are gone before anything can read them, so
 * only commands run by EXEC or a script are recorded.
 *
 * A value that is written again is a new object (setKey, dbAdd) or unshared
 * first (dbUnshareStringValue, incrDecrCommand's refcount test), so the
 * count goes with any rewrite; a RENAME or MOVE keeps the object, so the
 * count follows it. Shared integers (refcount OBJ_SHARED_REFCOUNT) are not
 * affected: tryObjectEncoding puts the shared object in the argv instead.
 */
export class ArgvHeldValues {
  /** Database index -> key -> references argv holders keep to its value (1 or 2). */
  private readonly held = new Map<number, Map<string, number>>();

  /**
   * `client`: the one running EXEC, whose queue holds its commands' argv;
   * null for a script run at top level (only the propagation queue holds).
   */
  constructor(readonly client: object | null) {}

  /** The value of `key` is held by `references` argv holders (replacing what its previous value had). */
  mark(dbIndex: number, key: string, references: number): void {
    let keys = this.held.get(dbIndex);
    if (keys === undefined) this.held.set(dbIndex, (keys = new Map()));
    keys.set(key, references);
  }

  /** References argv holders keep to the value of `key` (0 when none). */
  references(dbIndex: number, key: string): number {
    return this.held.get(dbIndex)?.get(key) ?? 0;
  }

  forget(dbIndex: number, key: string): void {
    this.held.get(dbIndex)?.delete(key);
  }

  /** FLUSHDB / FLUSHALL. */
  forgetDatabase(dbIndex: number): void {
    this.held.delete(dbIndex);
  }

  /** SWAPDB: the counts go with the data. */
  swapDatabases(a: number, b: number): void {
    const first = this.held.get(a);
    const second = this.held.get(b);
    this.held.delete(a);
    this.held.delete(b);
    if (second !== undefined) this.held.set(a, second);
    if (first !== undefined) this.held.set(b, first);
  }
}
