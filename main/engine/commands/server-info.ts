/** INFO [section ...]: a verbatim string in RESP3, a bulk string in RESP2. */
import { defineCommand } from './define';
import { verbatim } from '../resp/reply';

export const infoCommand = defineCommand({
  name: 'info', arity: -1, flags: ['loading', 'stale'], acl: ['dangerous'], keys: null,
  doc: { summary: 'Get information and statistics about the server', since: '1.0.0', group: 'server' },
  handler: (ctx) => verbatim(ctx.node.renderInfo(ctx.argv.slice(1))),
});
