/** Redis's request limits (server.h PROTO_*), shared by the decoder's two paths. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** Before authentication, a request may have at most this many arguments... */
export const PROTO_UNAUTH_MAX_MULTIBULK = 10;
/** ...of at most this many bytes each. */
export const PROTO_UNAUTH_MAX_BULK = 16384;
