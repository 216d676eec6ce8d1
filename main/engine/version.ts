import { crc64 } from './rdb/crc64';

/** The Redis version this engine is compatible with and reports (INFO redis_version, HELLO). */
export const ENGINE_REDIS_VERSION = '7.0.15';

/** Build facts as redis-server reports its own (INFO server, --version): no git commit, V8's heap. */
export const ENGINE_GIT_SHA1 = '00000000';
export const ENGINE_GIT_DIRTY = '0';
export const ENGINE_MEM_ALLOCATOR = 'v8';

/**
 * redis-server's build id is crc64 (the DUMP/RDB checksum) of its version,
 * its build host-and-date string, git dirty flag and sha1, printed in
 * lowercase hex without leading zeros (%llx), the same in --version and
 * INFO redis_build_id. Tools parse it as hex. The engine has no build host
 * or date; its name stands there, so the id is stable per version and
 * names no real redis build.
 */
export const ENGINE_BUILD_ID = crc64(Buffer.from(`${ENGINE_REDIS_VERSION}replscope${ENGINE_GIT_DIRTY}${ENGINE_GIT_SHA1}`, 'latin1')).toString(16);
