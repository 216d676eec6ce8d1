/**
 * The stream command family (t_stream.c), one concept per file:
 *
 *   streams-add.ts       XADD XTRIM                 streams-trim-args.ts  their options
 *   streams-range.ts     XRANGE XREVRANGE XLEN XDEL
 *   streams-read.ts      XREAD XREADGROUP (blocking) streams-deliver.ts   group delivery + its propagation
 *   streams-groups.ts    XGROUP XSETID XACK
 *   streams-pending.ts   XPENDING                   streams-claim.ts      XCLAIM XAUTOCLAIM
 *   streams-info.ts      XINFO                      streams-access.ts     shared helpers
 *
 * The value itself lives in keyspace/values/stream-*.ts.
 */
import { xadd, xtrim } from './streams-add';
import { xautoclaim, xclaim } from './streams-claim';
import { xack, xgroup, xsetid } from './streams-groups';
import { xinfo } from './streams-info';
import { xpending } from './streams-pending';
import { xdel, xlen, xrange, xrevrange } from './streams-range';
import { xread, xreadgroup } from './streams-read';

export const STREAM_COMMANDS = [xadd, xtrim, xrange, xrevrange, xlen, xdel, xread, xreadgroup, xgroup, xsetid, xack, xpending, xclaim, xautoclaim, xinfo];
