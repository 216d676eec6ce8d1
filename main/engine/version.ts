/** The Redis version this engine is compatible with and reports (INFO redis_version, HELLO). */
export const ENGINE_REDIS_VERSION = '7.0.15';
