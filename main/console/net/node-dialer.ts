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
