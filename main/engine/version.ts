/** The Redis version this engine is compatible with and reports (INFO redis_version, HELLO). */
export const ENGINE_REDIS_VERSION = '7.0.15';

/** Build facts as redis-server reports its own (INFO server, --version): no git commit, V8's heap, the engine's name for a build id. */
export const ENGINE_GIT_SHA1 = '00000000';
export const ENGINE_MEM_ALLOCATOR = 'v8';
export const ENGINE_BUILD_ID = 'replscope';
