/**
 * How large V8's young generation may grow in a process or worker that runs
 * an engine node, and the two ways of saying so (V8 reads it once, when the
 * isolate is created: `v8.setFlagsFromString` at start-up changes nothing).
 *
 * V8 grows each semi-space up to 16 MB (64-bit default) while objects keep
 * surviving scavenges, which is what any bulk write does: every value built
 * stays. It never shrinks them while the process is idle, so after loading
 * 1M small keys by commands the engine kept 32 MB of young generation
 * (2 x 16 MB, almost empty) on top of the data. With 4 MB semi-spaces the
 * same load ends about 30 MB lower (RSS 328-333 MB -> 299 MB in-process),
 * and the scavenger copies no more: survivors are promoted at the first
 * scavenge they survive either way. The cost is more frequent scavenges on
 * the request path: -P 16 SET/GET/LPUSH/HSET 0-4% fewer requests per
 * second in alternating A/B runs, unpipelined unchanged
 * (docs/benchmark-history.md, "Where a key's bytes go").
 *
 *  - a process (the benchmarks; `npm run engine` spells the same flag in
 *    package.json): ENGINE_NODE_FLAGS on the node command line;
 *  - a worker thread (the console's embedded nodes, in Electron's main
 *    process or web mode): ENGINE_WORKER_RESOURCE_LIMITS in the Worker's
 *    options; the worker's isolate has its own heap, so the limit applies
 *    to the engine alone and not to the app around it.
 */

/** Largest size of one semi-space, in MB. */
export const ENGINE_SEMI_SPACE_MB = 4;

/**
 * V8's background threads in an engine process. Each helper thread that
 * marks, sweeps or compiles allocates from a malloc arena of its own, and
 * glibc keeps an arena's freed memory: after 1M small keys built by
 * commands the default four helpers held about 8 MB of such arenas (RSS
 * 258-259 MB with four, 250 MB with one, alternating runs). The engine
 * runs its commands on one thread; one helper still keeps concurrent
 * marking and optimizing compilation off it. The flag is per process: a
 * worker thread's engine shares the app's platform and its pool.
 */
export const ENGINE_V8_POOL_SIZE = 1;

/** Node command-line flags for a process that runs an engine. */
export const ENGINE_NODE_FLAGS: ReadonlyArray<string> = [`--max-semi-space-size=${ENGINE_SEMI_SPACE_MB}`, `--v8-pool-size=${ENGINE_V8_POOL_SIZE}`];

/**
 * Worker resource limits with the same effect: Node's maxYoungGenerationSizeMb
 * counts the young generation V8 sizes as three semi-spaces (two plus the
 * new large-object space), so 12 MB gives 4 MB semi-spaces.
 */
export const ENGINE_WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 3 * ENGINE_SEMI_SPACE_MB } as const;
