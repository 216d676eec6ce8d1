/**
 * Collects what one top-level command propagates (server.also_propagate) and
 * hands it to the replication stream when the command ends
 * (propagatePendingCommands): several effects are wrapped in MULTI ... EXEC so
 * replicas apply them atomically; a single effect goes out bare. MULTI takes
 * the database of the first effect (so a needed SELECT comes before it) and
 * EXEC the database of the last (so no SELECT is injected before it).
 */
export type PropagationSink = (dbIndex: number, argv: ReadonlyArray<string>) => void;

export interface PendingOp {
  readonly dbIndex: number;
  readonly argv: ReadonlyArray<string>;
}

const MULTI = ['MULTI'] as const;
const EXEC = ['EXEC'] as const;

export class Propagator {
  private pending: PendingOp[] = [];
  /** A suspended script's effects are out (detach) and not yet back (attach). */
  private detached = false;
  /** Set for commands whose lazy-expiry DELs must go out bare (SCAN, RANDOMKEY, KEYS). */
  noMulti = false;

  /**
   * `wanted` says whether anything would receive the stream now (a master
   * with a backlog, replicationFeedSlaves' early return): when not, effects
   * are not even collected.
   * `released`: the propagation queue is over for the command that just
   * ended (propagatePendingCommands), and with it the references it held to
   * its argv's objects (OBJECT REFCOUNT of a value a script stored from its
   * argv, keyspace/argv-held-values.ts). Called by every flush() and
   * discard(), whether or not anything was collected, so those marks never
   * outlive the command even when one was made without an effect to go with
   * it; not while a suspended script's effects are detached (they still hold
   * their argv until the script ends).
   */
  constructor(
    private readonly sink: PropagationSink,
    private readonly wanted: () => boolean,
    private readonly released: () => void = () => {},
  ) {}

  /** Whether add() would keep an effect now: a command may skip building a rewrite nobody receives. */
  get collecting(): boolean {
    return this.wanted();
  }

  add(dbIndex: number, argv: ReadonlyArray<string>): void {
    if (!this.wanted()) return;
    this.pending.push({ dbIndex, argv });
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Emits everything collected for the command that just ended. */
  flush(): void {
    const ops = this.pending;
    if (ops.length > 0) {
      this.pending = [];
      const wrap = ops.length > 1 && !this.noMulti;
      if (wrap) this.sink(ops[0]!.dbIndex, MULTI);
      for (const op of ops) this.sink(op.dbIndex, op.argv);
      if (wrap) this.sink(ops[ops.length - 1]!.dbIndex, EXEC);
    }
    this.noMulti = false;
    if (!this.detached) this.released();
  }

  /**
   * Takes what was collected so far out of the propagator (a script that
   * yields to the event loop keeps its effects until it ends, so nothing
   * run meanwhile flushes half a script).
   */
  detach(): PendingOp[] {
    const ops = this.pending;
    this.pending = [];
    this.detached = true;
    return ops;
  }

  /** Puts detached effects back, before anything collected since. */
  attach(ops: ReadonlyArray<PendingOp>): void {
    this.detached = false;
    if (ops.length > 0) this.pending = [...ops, ...this.pending];
  }

  /** Drops what was collected (a command whose effects must not leave this node). */
  discard(): void {
    this.pending = [];
    this.noMulti = false;
    if (!this.detached) this.released();
  }
}
