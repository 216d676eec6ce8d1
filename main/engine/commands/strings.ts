/**
 * String commands. (Starter set: GET and plain SET; the full family follows.)
 */
import { defineCommand } from './define';
import * as errors from '../resp/errors';
import { bulk, NULL, OK } from '../resp/reply';

export const get = defineCommand({
  name: 'get', arity: 2, flags: ['readonly', 'fast'], acl: ['read', 'string'], keys: [1, 1, 1],
  doc: { summary: 'Get the value of a key', since: '1.0.0', group: 'string' },
  handler: (ctx) => {
    const value = ctx.read(ctx.arg(1));
    if (value === undefined) return NULL;
    if (typeof value !== 'string') return errors.WRONGTYPE;
    return bulk(value);
  },
});

export const set = defineCommand({
  name: 'set', arity: -3, flags: ['write', 'denyoom'], acl: ['write', 'string'], keys: [1, 1, 1],
  doc: { summary: 'Set the string value of a key', since: '1.0.0', group: 'string' },
  handler: (ctx) => {
    if (ctx.argc > 3) return errors.SYNTAX;
    ctx.keyspace.setKey(ctx.db, ctx.arg(1), ctx.arg(2));
    ctx.addDirty();
    return OK;
  },
});

export const STRING_COMMANDS = [get, set];
