/**
 * RDB format constants (rdb.h), with the format drawn beside them.
 *
 * File:
 *   "REDIS" <4 ASCII digits version>
 *   ( AUX <string key> <string value> )*          0xFA
 *   ( FUNCTION2 <string library code> )*          0xF5
 *   for each non-empty db:
 *     SELECTDB <length db>                        0xFE
 *     RESIZEDB <length keys> <length expires>     0xFB
 *     ( [EXPIRETIME_MS <8 bytes LE ms>]           0xFC
 *       [IDLE <length seconds>]                   0xF8
 *       [FREQ <1 byte>]                           0xF9
 *       <1 byte type> <string key> <value> )*
 *   EOF                                           0xFF
 *   <8 bytes LE CRC64 of everything before, 0 = not checked>
 *
 * Length encoding (first byte, big-endian for multi-byte forms):
 *   00|XXXXXX                       6-bit length
 *   01|XXXXXX XXXXXXXX              14-bit length
 *   10|000000 [32 bit big-endian]   32-bit length
 *   10|000001 [64 bit big-endian]   64-bit length
 *   11|OBKIND                       special string encoding follows:
 *      0 INT8  <1 byte>     1 INT16 <2 bytes LE>     2 INT32 <4 bytes LE>
 *      3 LZF   <length compressed> <length original> <compressed bytes>
 */

export const RDB_VERSION_WRITTEN = 10; // Redis 7.0: what a 7.0 replica accepts
export const RDB_VERSION_MAX_READ = 12; // Redis 7.4

export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

// Value types. NOTE: a new type needs the loader, the writer and the DUMP path.
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1; //              plain list (pre 3.2)
export const RDB_TYPE_SET = 2; //               hashtable set
export const RDB_TYPE_ZSET = 3; //              scores as text (pre 3.0)
export const RDB_TYPE_HASH = 4; //              hashtable hash
export const RDB_TYPE_ZSET_2 = 5; //            scores as 8-byte LE doubles
export const RDB_TYPE_MODULE_PRE_GA = 6; //     never written by 7.0
export const RDB_TYPE_MODULE_2 = 7; //          module value
export const RDB_TYPE_HASH_ZIPMAP = 9; //       2.x
export const RDB_TYPE_LIST_ZIPLIST = 10; //     pre 3.2
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12; //     pre 7.0
export const RDB_TYPE_HASH_ZIPLIST = 13; //     pre 7.0
export const RDB_TYPE_LIST_QUICKLIST = 14; //   3.2 - 6.2 (ziplist nodes)
export const RDB_TYPE_STREAM_LISTPACKS = 15; // 5.0 - 6.2
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18; // 7.0 (listpack / plain nodes)
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19; // 7.0
export const RDB_TYPE_SET_LISTPACK = 20; //     7.2
export const RDB_TYPE_STREAM_LISTPACKS_3 = 21; // 7.2
export const RDB_TYPE_HASH_METADATA_PRE_GA = 22; // 7.4 RCs
export const RDB_TYPE_HASH_LISTPACK_EX_PRE_GA = 23; // 7.4 RCs
export const RDB_TYPE_HASH_METADATA = 24; //    7.4 field TTLs
export const RDB_TYPE_HASH_LISTPACK_EX = 25; // 7.4 field TTLs

// Quicklist 2 node containers.
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

// Opcodes.
export const RDB_OPCODE_SLOT_INFO = 0xf4; //    7.4, cluster only
export const RDB_OPCODE_FUNCTION2 = 0xf5; //    7.0 function library
export const RDB_OPCODE_FUNCTION_PRE_GA = 0xf6;
export const RDB_OPCODE_MODULE_AUX = 0xf7;
export const RDB_OPCODE_IDLE = 0xf8; //         LRU idle seconds
export const RDB_OPCODE_FREQ = 0xf9; //         LFU counter
export const RDB_OPCODE_AUX = 0xfa;
export const RDB_OPCODE_RESIZEDB = 0xfb;
export const RDB_OPCODE_EXPIRETIME_MS = 0xfc;
export const RDB_OPCODE_EXPIRETIME = 0xfd; //   seconds, legacy
export const RDB_OPCODE_SELECTDB = 0xfe;
export const RDB_OPCODE_EOF = 0xff;

// Module value opcodes (RDB_TYPE_MODULE_2 payloads).
export const RDB_MODULE_OPCODE_EOF = 0;
export const RDB_MODULE_OPCODE_SINT = 1;
export const RDB_MODULE_OPCODE_UINT = 2;
export const RDB_MODULE_OPCODE_FLOAT = 3;
export const RDB_MODULE_OPCODE_DOUBLE = 4;
export const RDB_MODULE_OPCODE_STRING = 5;

/** Strings longer than this are tried with LZF when rdbcompression is on. */
export const LZF_MIN_LENGTH = 20;
