/**
 * The typed reply model. Command handlers return a Reply; the encoder turns it
 * into RESP2 or RESP3 bytes once, according to the client's protocol. Every
 * shape that differs between the two protocols is a distinct kind here, so a
 * handler never needs to know which protocol the client speaks:
 *
 *   kind        RESP3               RESP2
 *   null        _                   $-1        (a missing string)
 *   nullArray   _                   *-1        (e.g. BLPOP timeout, EXEC abort by WATCH)
 *   map         %n k v ...          *2n k v ...
 *   set         ~n ...              *n ...
 *   double      ,<%.17g>            $<len> <%.17g>
 *   bool        #t / #f             :1 / :0
 *   verbatim    =len txt:...        $len ...
 *   push        >n ...              *n ...
 *   attribute   |n k v ... <reply>  <reply>    (attributes are dropped in RESP2)
 *   streamId    $len <ms>-<seq>     the same   (a bulk string; see StreamIdReply)
 *
 * Strings are latin1 ("binary") JS strings: one char per byte.
 */

export type Reply =
  | SimpleReply
  | ErrorReply
  | IntegerReply
  | BulkReply
  | BulkArrayReply
  | NullReply
  | NullArrayReply
  | ArrayReply
  | MapReply
  | SetReply
  | DoubleReply
  | BoolReply
  | VerbatimReply
  | PushReply
  | BigNumberReply
  | AttributeReply
  | RawReply
  | StreamIdReply
  | NoReply;

export interface SimpleReply { readonly kind: 'simple'; readonly value: string }
/**
 * `message` includes the error code prefix, e.g. "ERR syntax error" or "WRONGTYPE ...".
 * `statsCounted`: the error was already counted in the error statistics when
 * it happened (a script's redis.call error becoming the script's reply):
 * the command still counts as failed, but total_error_replies and
 * errorstats are not incremented again (ERR_REPLY_FLAG_NO_STATS_UPDATE).
 */
export interface ErrorReply { readonly kind: 'error'; readonly message: string; readonly statsCounted?: boolean }
export interface IntegerReply { readonly kind: 'integer'; readonly value: number | bigint }
export interface BulkReply { readonly kind: 'bulk'; readonly value: string }
/** An array of bulk strings (null entries are null bulks): avoids one object per element. */
export interface BulkArrayReply { readonly kind: 'bulkArray'; readonly values: ReadonlyArray<string | null> }
export interface NullReply { readonly kind: 'null' }
export interface NullArrayReply { readonly kind: 'nullArray' }
export interface ArrayReply { readonly kind: 'array'; readonly items: ReadonlyArray<Reply> }
/** Flat key/value list: items[0] is the first key, items[1] its value, and so on. */
export interface MapReply { readonly kind: 'map'; readonly items: ReadonlyArray<Reply> }
export interface SetReply { readonly kind: 'set'; readonly items: ReadonlyArray<Reply> }
/**
 * `text`, when set, is the exact digits Redis prints for this double where it
 * does not use %.17g (addReplyHumanLongDouble: GEOPOS, WITHCOORD); a bulk
 * string of it in RESP2, ",text" in RESP3.
 */
export interface DoubleReply { readonly kind: 'double'; readonly value: number; readonly text?: string }
export interface BoolReply { readonly kind: 'bool'; readonly value: boolean }
export interface VerbatimReply { readonly kind: 'verbatim'; readonly format: string; readonly value: string }
export interface PushReply { readonly kind: 'push'; readonly items: ReadonlyArray<Reply> }
export interface BigNumberReply { readonly kind: 'bigNumber'; readonly value: string }
/** RESP3 attributes (flat key/value list as in MapReply) carried before the reply they describe. */
export interface AttributeReply { readonly kind: 'attribute'; readonly items: ReadonlyArray<Reply>; readonly reply: Reply }
/**
 * A stream ID `<ms>-<seq>` as a bulk string, both halves safe integers
 * (XADD's reply). The encoder writes its digits straight into the output
 * buffer, so the reply costs no string; a script gets the text
 * (lua-convert.ts). IDs with a half past 2^53 are plain bulk strings.
 */
export interface StreamIdReply { readonly kind: 'streamId'; readonly ms: number; readonly seq: number }
/** The command answers nothing at all (REPLCONF ACK). */
export interface NoReply { readonly kind: 'none' }
/** Pre-encoded protocol bytes, identical in RESP2 and RESP3 (used for cached constants). */
export interface RawReply { readonly kind: 'raw'; readonly bytes: Buffer }

export const OK: SimpleReply = Object.freeze({ kind: 'simple', value: 'OK' });
export const QUEUED: SimpleReply = Object.freeze({ kind: 'simple', value: 'QUEUED' });
export const PONG: SimpleReply = Object.freeze({ kind: 'simple', value: 'PONG' });
export const NULL: NullReply = Object.freeze({ kind: 'null' });
export const NULL_ARRAY: NullArrayReply = Object.freeze({ kind: 'nullArray' });
export const NO_REPLY: NoReply = Object.freeze({ kind: 'none' });
export const EMPTY_ARRAY: BulkArrayReply = Object.freeze({ kind: 'bulkArray', values: Object.freeze([]) });

const SHARED_INTEGERS = 10_000;
const sharedIntegers: IntegerReply[] = Array.from({ length: SHARED_INTEGERS }, (_, i) => Object.freeze({ kind: 'integer', value: i }));

export const simple = (value: string): SimpleReply => ({ kind: 'simple', value });
export const error = (message: string): ErrorReply => ({ kind: 'error', message });
export const integer = (value: number | bigint): IntegerReply =>
  typeof value === 'number' && value >= 0 && value < SHARED_INTEGERS && Number.isInteger(value) ? sharedIntegers[value]! : { kind: 'integer', value };
export const bulk = (value: string): BulkReply => ({ kind: 'bulk', value });
export const bulkOrNull = (value: string | null | undefined): BulkReply | NullReply => (value == null ? NULL : { kind: 'bulk', value });
export const bulkArray = (values: ReadonlyArray<string | null>): BulkArrayReply => ({ kind: 'bulkArray', values });
export const array = (items: ReadonlyArray<Reply>): ArrayReply => ({ kind: 'array', items });
export const map = (items: ReadonlyArray<Reply>): MapReply => ({ kind: 'map', items });
export const set = (items: ReadonlyArray<Reply>): SetReply => ({ kind: 'set', items });
export const double = (value: number): DoubleReply => ({ kind: 'double', value });
export const doubleWithText = (value: number, text: string): DoubleReply => ({ kind: 'double', value, text });
export const bool = (value: boolean): BoolReply => ({ kind: 'bool', value });
export const verbatim = (value: string, format = 'txt'): VerbatimReply => ({ kind: 'verbatim', format, value });
export const push = (items: ReadonlyArray<Reply>): PushReply => ({ kind: 'push', items });
export const bigNumber = (value: string): BigNumberReply => ({ kind: 'bigNumber', value });
export const withAttributes = (items: ReadonlyArray<Reply>, reply: Reply): AttributeReply => ({ kind: 'attribute', items, reply });

export const ZERO = integer(0);
export const ONE = integer(1);

/** Builds a map reply from [key, value] string pairs where values are already replies. */
export function mapOf(entries: ReadonlyArray<readonly [string, Reply]>): MapReply {
  const items: Reply[] = [];
  for (const [key, value] of entries) items.push(bulk(key), value);
  return map(items);
}

export function isError(reply: Reply): reply is ErrorReply {
  return reply.kind === 'error';
}
