/**
 * Suite files outside the suite README's table that run tests in external
 * mode, with what real redis-server 7.0.15 passes in each, measured here
 * with `npm run test:redis-suite -- --redis FILE` (2026-12-05). The other
 * top-level files tag every test `external:skip` and run nothing against a
 * server already up (wait, shutdown, info, acl, auth, maxmemory, ...).
 * A full run covers these after the README's files. Left out:
 * integration/redis-cli (31 on both when it passes): its "ASK redirect test"
 * talks only to two fake Tcl nodes, not to the server, and failed 2 of 4
 * runs here on its own timing.
 */
export const moreFiles: ReadonlyMap<string, number> = new Map([
  ['unit/pause', 14],
  ['unit/slowlog', 16],
  ['unit/quit', 3],
  ['unit/violations', 1],
  ['integration/replication-buffer', 2],
]);
