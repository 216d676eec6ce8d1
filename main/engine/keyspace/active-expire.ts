/**
 * The active expire cycle (expire.c activeExpireCycle, simplified): every
 * cron tick, walk each database's expires dictionary from where the last
 * tick stopped, deleting keys whose time has passed, within a small time
 * budget. Map iterators in JS stay valid while entries are added or deleted,
 * which gives the same resumable cursor Redis gets from dictScan.
 * Only masters run it: replicas wait for their master's DELs.
 */
import type { EngineNode } from '../node';

const KEYS_PER_LOOP = 20;
/** Share of a tick the cycle may use (Redis: 25% of CPU at effort 1). */
const TIME_BUDGET_SHARE = 0.25;

export class ActiveExpire {
  /** Per database: the expires map being walked and the walk's position in it. */
  private readonly cursors = new Map<number, { map: Map<string, number>; iterator: IterableIterator<[string, number]> }>();
  enabled = true;

  constructor(private readonly node: EngineNode) {}

  /** One cycle; its duration feeds the latency monitor's expire-cycle event, as in Redis. */
  cycle(): void {
    if (!this.enabled) return;
    const started = performance.now();
    this.walk(started);
    this.node.latency.addSampleIfNeeded('expire-cycle', performance.now() - started);
  }

  private walk(started: number): void {
    const node = this.node;
    const budgetMs = (1000 / node.config.int('hz')) * TIME_BUDGET_SHARE;
    const now = Date.now();
    const access = { now, isReplica: false, isMasterClient: false };
    for (const db of node.keyspace.dbs) {
      if (db.expires.size === 0) continue;
      let walk = this.cursors.get(db.id);
      if (!walk || walk.map !== db.expires) {
        // First walk, or the dictionary was replaced (FLUSHDB, SWAPDB, a load).
        walk = { map: db.expires, iterator: db.expires.entries() };
        this.cursors.set(db.id, walk);
      }
      const cursor = walk.iterator;
      for (;;) {
        let expiredInLoop = 0;
        let checked = 0;
        for (; checked < KEYS_PER_LOOP; checked++) {
          const next = cursor.next();
          if (next.done) {
            this.cursors.delete(db.id);
            break;
          }
          const [key, when] = next.value;
          if (now > when && node.keyspace.expireIfNeeded(db, key, access)) expiredInLoop++;
        }
        node.propagation.flush();
        if (checked < KEYS_PER_LOOP) break;
        if (performance.now() - started > budgetMs) return;
        // Like Redis: keep going on this db only while many sampled keys were expired.
        if (expiredInLoop < KEYS_PER_LOOP / 4) break;
      }
    }
  }

}
