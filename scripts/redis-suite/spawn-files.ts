/**
 * Suite files run with `--spawn`: runtest starts its own servers (the
 * replication and persistence files, every test of which starts servers with
 * start_server), with what real redis-server 7.0.15 passes in each, measured
 * here with `npm run test:redis-suite -- --spawn --redis FILE` (2026-12-08;
 * null: not measured). `--spawn` without FILE runs these, shortest first.
 * Not part of the default run: on the engine they take over 25 minutes in
 * all (replication-psync alone 5, replication 7 before it times out).
 * integration/psync2 runs a random number of cycles: its count differs from
 * run to run on either server (52 on redis-server here, 61 on the engine).
 */
export const spawnFiles: ReadonlyMap<string, number | null> = new Map<string, number | null>([
  ['integration/convert-zipmap-hash-on-load', 3],
  ['integration/convert-ziplist-hash-on-load', 2],
  ['integration/convert-ziplist-zset-on-load', 2],
  ['integration/failover', 13],
  ['integration/replication-2', 7],
  ['integration/replication-3', 7],
  ['integration/rdb', 14],
  ['integration/shutdown', 5],
  ['integration/psync2-master-restart', 4],
  ['integration/psync2-pingoff', 6],
  ['integration/psync2-reg', 22],
  ['integration/block-repl', 2],
  ['integration/replication-4', 16],
  ['integration/aof', 40],
  ['integration/aof-multi-part', 35],
  ['integration/psync2', null],
  ['integration/replication-psync', 60],
  ['integration/replication', 59],
]);
