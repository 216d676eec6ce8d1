/**
 * One `bind` address made a listening socket, as listenToPort (server.c)
 * and _anetTcpServer (anet.c) of redis-server 7.0.15 make it:
 *
 * - The family is the written address's: one with a ':' is IPv6, anything
 *   else IPv4 (a host name is resolved for IPv4 only; "*" and "::*" are the
 *   family's every address).
 * - An IPv6 socket is IPV6_V6ONLY, so "::*" and "*" bind side by side on
 *   one port (Node's default dual-stack "::" would take the IPv4 port too).
 * - A failure is logged for every address, optional or not, with
 *   anetTcpServer's error text: gai_strerror alone when the name does not
 *   resolve, "bind: <strerror>" when bind(2) refuses.
 * - After the log line, only an optional address that does not exist here
 *   (EADDRNOTAVAIL), or any address of a family or protocol the machine
 *   lacks, is skipped; everything else (a port in use, a name that does not
 *   resolve, even for "-" addresses) fails the whole listen.
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { constants } from 'node:os';
import { systemErrorText } from '../util/system-error-text';
import type { BindAddress } from './bind-addresses';

/** Why one address could not be listened on: the Warning's text, and whether listenToPort goes on without it. */
export class ListenFailure extends Error {
  constructor(
    readonly reason: string,
    readonly skipped: boolean,
    readonly failure: unknown,
  ) {
    super(reason);
  }
}

/** Errors of socket(2) for a family or protocol the machine lacks: listenToPort skips the address. */
const UNSUPPORTED = new Set(['EPROTONOSUPPORT', 'ESOCKTNOSUPPORT', 'EPFNOSUPPORT', 'EAFNOSUPPORT']);

/** gai_strerror (glibc) for what Node reports of a failed getaddrinfo. */
function resolverErrorText(failure: unknown): string {
  switch ((failure as NodeJS.ErrnoException).code) {
    // Node reports EAI_NONAME and EAI_NODATA both as ENOTFOUND.
    case 'ENOTFOUND': return 'Name or service not known';
    case 'EAI_AGAIN': return 'Temporary failure in name resolution';
    case 'EAI_FAIL': return 'Non-recoverable failure in name resolution';
    case 'EAI_ADDRFAMILY': return 'Address family for hostname not supported';
    case 'EAI_MEMORY': return 'Memory allocation failure';
    default: return failure instanceof Error ? failure.message : String(failure);
  }
}

/** The address to bind: a literal of the family as it is, a name resolved for that family (getaddrinfo). */
async function resolve(host: string, family: 4 | 6): Promise<string> {
  if (net.isIP(host) === family) return host;
  try {
    return (await lookup(host, { family })).address;
  } catch (failure) {
    // errno after getaddrinfo is not bind's: redis-server aborts here, "-" or not.
    throw new ListenFailure(resolverErrorText(failure), false, failure);
  }
}

/** anetTcpServer's error text and listenToPort's errno rules for a failed socket/bind/listen. */
function bindFailure(failure: unknown, optional: boolean): ListenFailure {
  const code = (failure as NodeJS.ErrnoException).code ?? '';
  // socket(2) failed for every resolved address: anet names no syscall, only the errno's number.
  if (UNSUPPORTED.has(code)) return new ListenFailure(`unable to bind socket, errno: ${constants.errno[code as keyof typeof constants.errno]}`, true, failure);
  // setsockopt(IPV6_V6ONLY) refused.
  if (code === 'ENOPROTOOPT') return new ListenFailure('setsockopt: Protocol not available', true, failure);
  return new ListenFailure(`bind: ${systemErrorText(failure)}`, optional && code === 'EADDRNOTAVAIL', failure);
}

/** Listens on one address; rejects with a ListenFailure. */
export async function listenAddress(server: net.Server, address: BindAddress, port: number, backlog: number): Promise<void> {
  const family = address.written.includes(':') ? 6 : 4;
  const host = await resolve(address.host, family);
  await new Promise<void>((done, reject) => {
    const fail = (failure: unknown): void => reject(bindFailure(failure, address.optional));
    server.once('error', fail);
    server.listen({ port, host, backlog, ipv6Only: family === 6 }, () => {
      server.off('error', fail);
      done();
    });
  });
}
