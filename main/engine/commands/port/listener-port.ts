/**
 * The TCP listeners as CONFIG SET port/bind moves them. Implemented by
 * server/tcp-server.ts.
 */
import type { BindAddress } from '../../server/bind-addresses';

export interface ListenerPort {
  /** Listens on the new port/addresses before closing the old; resolves with the bound port. */
  rebind(port: number, addresses: ReadonlyArray<BindAddress>, previous: { port: number; addresses: ReadonlyArray<BindAddress> }): Promise<number>;
}
