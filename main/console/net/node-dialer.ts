/**
 * Where the console's connection to a Redis node actually goes. Node ids stay
 * the addresses the deployment itself uses (what INFO, SENTINEL and CLUSTER
 * report), so discovery keeps working; the dialer maps such an address to the
 * endpoint a local socket can reach: the address itself, or a loopback port
 * forwarded through an SSH tunnel.
 */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface NodeDialer {
  /** The local endpoint for a node address (opens a forward on first use). */
  endpoint(host: string, port: number): Promise<Endpoint>;
  /** Why the dialer could not reach this address last time, when it knows better than the socket. */
  failureFor?(host: string, port: number): Promise<string | null>;
  /** Notes for the user (e.g. an SSH host key that was trusted on first use). */
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

/** No tunnel: nodes are dialled at their own addresses. */
export const directDialer: NodeDialer = {
  endpoint: (host, port) => Promise.resolve({ host, port }),
  warnings: [],
  close: () => Promise.resolve(),
};

/**
 * What a dialer's failure says about the node, in the health-problem terms
 * a direct connection gets (connection-failure.ts), so events read the same
 * through a tunnel: OpenSSH answers a direct-tcpip channel it could not
 * connect with the connect's own error text ("Channel open failure:
 * Connection refused": the SSH host's connect was refused, nothing listens
 * on the node's port). Anything else is 'tunnel': the detail says what.
 */
export function dialerFailureProblem(detail: string): string {
  if (/Channel open failure: Connection refused\b/i.test(detail)) return 'refused';
  if (/Channel open failure: (No route to host|Network is unreachable)\b/i.test(detail)) return 'no-route';
  if (/Channel open failure: Connection timed out\b/i.test(detail)) return 'connect-timeout';
  return 'tunnel';
}
