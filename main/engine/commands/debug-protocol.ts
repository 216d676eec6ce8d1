/**
 * DEBUG PROTOCOL <type>: one test value of each RESP3 type (debug.c), for
 * client test suites. In RESP2 every type falls back to its RESP2 form
 * (attributes are dropped), except push, which RESP2 cannot carry.
 */
import { array, bigNumber, bool, bulk, double, error, integer, map, NULL, push, set, verbatim, withAttributes, type Reply } from '../resp/reply';
import type { CommandContext } from './command-context';

const ZERO_ONE_TWO = [integer(0), integer(1), integer(2)];

const VALUES: ReadonlyMap<string, (ctx: CommandContext) => Reply> = new Map<string, (ctx: CommandContext) => Reply>([
  ['string', () => bulk('Hello World')],
  ['integer', () => integer(12345)],
  ['double', () => double(3.141)],
  ['bignum', () => bigNumber('1234567999999999999999999999999999999')],
  ['null', () => NULL],
  ['array', () => array(ZERO_ONE_TWO)],
  ['set', () => set(ZERO_ONE_TWO)],
  ['map', () => map([integer(0), bool(false), integer(1), bool(true), integer(2), bool(false)])],
  // Attributes are not replies themselves: a real reply always follows.
  ['attrib', () => withAttributes([bulk('key-popularity'), array([bulk('key:123'), integer(90)])], bulk('Some real reply following the attribute'))],
  ['push', (ctx) => {
    if (ctx.client.protocol < 3) return error('ERR RESP2 is not supported by this command');
    // A push is no reply to the command: the real reply follows it, so a
    // client that discards pushes still reads one reply.
    ctx.client.reply(push([bulk('server-cpu-usage'), integer(42)]));
    return bulk('Some real reply following the push reply');
  }],
  ['true', () => bool(true)],
  ['false', () => bool(false)],
  ['verbatim', () => verbatim('This is a verbatim\nstring')],
]);

export function debugProtocolReply(ctx: CommandContext, type: string): Reply {
  const value = VALUES.get(type.toLowerCase());
  if (value) return value(ctx);
  return error('ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
}
