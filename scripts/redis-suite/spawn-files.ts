/**
 * Suite files run with `--spawn`: runtest starts its own servers (the
 * replication and persistence files, every test of which starts servers with
 * start_server), with what real redis-server 7.0.15 passes in each, measured
 * here with `npm run test:redis-suite -- --spawn --redis FILE` (null: not
 * measured yet). `--spawn` without FILE runs these, in this order (shortest
 * first). Not part of the default run: together they take far longer than
 * the external-mode files.
 */
export const spawnFiles: ReadonlyMap<string, number | null> = new Map<string, number | null>([
  ['integration/replication-3', null],
]);
