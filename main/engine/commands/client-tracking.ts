/**
 * CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO (networking.c
 * clientCommand): the client side of server-assisted client-side caching.
 * The tables and messages are in server/tracking.ts.
 *
 * CLIENT TRACKING checks, in Redis's order: the options (REDIRECT needs an
 * existing client id, only one REDIRECT), then for ON: PREFIX needs BCAST,
 * BCAST cannot be switched while on, BCAST excludes OPTIN/OPTOUT, OPTIN
 * excludes OPTOUT, OPTIN/OPTOUT cannot be switched while on, BCAST prefixes
 * must not overlap (among themselves or with the client's). ON again while
 * on resets the flags and adds prefixes.
 */
import { defineCommand, int64Arg, isOption } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, error, integer, map, OK, set, type Reply } from '../resp/reply';
import type { Client } from '../server/client';

const sub = (name: string, arity: number, summary: string, since: string, handler: (ctx: CommandContext) => Reply) =>
  defineCommand({
    name, arity, flags: ['noscript', 'loading', 'stale'], acl: ['connection'], keys: null,
    doc: { summary, since, group: 'connection' },
    handler,
  });

interface ParsedTracking {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: string[];
}

function parseTrackingOptions(ctx: CommandContext): ParsedTracking | Reply {
  const options: ParsedTracking = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [] };
  for (let j = 3; j < ctx.argc; j++) {
    const option = ctx.arg(j);
    const moreArgs = j < ctx.argc - 1;
    if (isOption(option, 'redirect') && moreArgs) {
      j++;
      if (options.redirect !== 0) return error('ERR A client can only redirect to a single other client');
      const id = int64Arg(ctx.arg(j));
      if (id === null) return errors.NOT_INTEGER;
      // The target must exist now (it may go later: the redirect then turns "broken").
      if (typeof id === 'bigint' || !ctx.node.clients.clients.has(id)) return error('ERR The client ID you want redirect to does not exist');
      options.redirect = id;
    } else if (isOption(option, 'bcast')) {
      options.bcast = true;
    } else if (isOption(option, 'optin')) {
      options.optin = true;
    } else if (isOption(option, 'optout')) {
      options.optout = true;
    } else if (isOption(option, 'noloop')) {
      options.noloop = true;
    } else if (isOption(option, 'prefix') && moreArgs) {
      options.prefixes.push(ctx.arg(++j));
    } else {
      return errors.SYNTAX;
    }
  }
  return options;
}

/** The checks CLIENT TRACKING ON makes before enabling; null when the options are acceptable. */
function refuseTrackingOn(ctx: CommandContext, options: ParsedTracking): Reply | null {
  const current = ctx.client.tracking;
  if (!options.bcast && options.prefixes.length > 0) return error('ERR PREFIX option requires BCAST mode to be enabled');
  if (current !== null && current.bcast !== options.bcast) {
    return error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
  }
  if (options.bcast && (options.optin || options.optout)) return error('ERR OPTIN and OPTOUT are not compatible with BCAST');
  if (options.optin && options.optout) return error("ERR You can't specify both OPTIN mode and OPTOUT mode");
  if ((options.optin && current?.optout) || (options.optout && current?.optin)) {
    return error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
  }
  if (options.bcast) {
    const collision = ctx.node.tracking.prefixCollision(ctx.client, options.prefixes);
    if (collision !== null) return error(collision);
  }
  return null;
}

const clientTracking = sub('tracking', -3, 'Enable or disable server assisted client side caching support', '6.0.0', (ctx) => {
  const options = parseTrackingOptions(ctx);
  if ('kind' in options) return options;
  if (isOption(ctx.arg(2), 'on')) {
    const refused = refuseTrackingOn(ctx, options);
    if (refused) return refused;
    ctx.node.tracking.enable(ctx.client, options);
  } else if (isOption(ctx.arg(2), 'off')) {
    ctx.node.tracking.disable(ctx.client);
  } else {
    return errors.SYNTAX;
  }
  return OK;
});

const clientCaching = sub('caching', 3, 'Instruct the server about tracking or not keys in the next request', '6.0.0', (ctx) => {
  const tracking = ctx.client.tracking;
  if (tracking === null) return error('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
  if (isOption(ctx.arg(2), 'yes')) {
    if (!tracking.optin) return error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
  } else if (isOption(ctx.arg(2), 'no')) {
    if (!tracking.optout) return error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
  } else {
    return errors.SYNTAX;
  }
  tracking.caching = true;
  return OK;
});

/** The redirect id while tracking (0: none), -1 when tracking is off. */
export function trackingRedirect(client: Client): number {
  return client.tracking === null ? -1 : client.tracking.redirect;
}

const clientGetredir = sub('getredir', 2, 'Get tracking notifications redirection client ID if any', '6.0.0', (ctx) => integer(trackingRedirect(ctx.client)));

const clientTrackinginfo = sub('trackinginfo', 2, 'Return information about server assisted client side caching for the current connection', '6.2.0', (ctx) => {
  const tracking = ctx.client.tracking;
  const flags = [tracking === null ? 'off' : 'on'];
  if (tracking !== null) {
    if (tracking.bcast) flags.push('bcast');
    if (tracking.optin) flags.push('optin', ...(tracking.caching ? ['caching-yes'] : []));
    if (tracking.optout) flags.push('optout', ...(tracking.caching ? ['caching-no'] : []));
    if (tracking.noloop) flags.push('noloop');
    if (tracking.brokenRedirect) flags.push('broken_redirect');
  }
  const prefixes = tracking === null ? [] : [...tracking.prefixes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return map([
    bulk('flags'), set(flags.map((flag) => bulk(flag))),
    bulk('redirect'), integer(trackingRedirect(ctx.client)),
    bulk('prefixes'), prefixes.length === 0 ? array([]) : bulkArray(prefixes),
  ]);
});

export const CLIENT_TRACKING_SUBCOMMANDS = [clientTracking, clientCaching, clientGetredir, clientTrackinginfo];

/** CLIENT LIST flag letters of tracking: t (on), R (broken redirect), B (BCAST). */
export function trackingFlags(client: Client): string {
  const tracking = client.tracking;
  if (tracking === null) return '';
  return `t${tracking.brokenRedirect ? 'R' : ''}${tracking.bcast ? 'B' : ''}`;
}
