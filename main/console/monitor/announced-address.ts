/**
 * The address a replica's master lists it at (INFO slaveN:ip=...,port=...),
 * from the replica's own replica-announce-ip / replica-announce-port.
 *
 * What the master lists (replication.c, REPLCONF ip-address / listening-port,
 * then replicationGetSlaveName):
 *
 *   announce-ip  announce-port   listed as
 *   ""           0               <peer ip of the link connection>:<tcp_port>   (not an alias)
 *   "A"          0               A:<tcp_port>
 *   ""           P               <peer ip of the link connection>:P
 *   "A"          P               A:P
 *
 * The port the replica sends when none is announced is its own `port`
 * (INFO tcp_port), not the one this console dials: behind a proxy or a
 * port mapping they differ. With only the port announced, the listed ip is
 * the one the master sees the link connection come from, which the replica
 * does not know: its bind-source-addr, the source address its kernel chose,
 * or a NAT's. So it is read off the master's own listing, among the lines
 * at the announced port: the one at the address the replica is watched at
 * if there is one, else the single line there that no other node answers
 * at and no other replica announces. Two or more such lines (replicas of
 * one master behind different addresses announcing one port) cannot be
 * told apart from INFO: then the watched host stays the guess.
 */
import { replicaEntries, type InfoFields } from './info-fields';

/** What announcedAddress needs of a node's poll (a NodeSample). */
export interface AnnouncingNode {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly info: InfoFields | null;
  readonly config: ReadonlyMap<string, string> | null;
}

export interface AnnouncedAddressContext {
  /** The replica's master as watched (its id after aliases), its poll when it answered this time; undefined otherwise. */
  readonly masterInfo: InfoFields | undefined;
  /** Addresses that are not this replica: nodes that answer there, and what other replicas announce. */
  readonly takenAddresses: ReadonlySet<string>;
}

/**
 * `host:port` the replica's master lists it at, when its announce settings
 * make that differ from where it would otherwise be listed; null when it
 * announces nothing (the master lists its real address).
 */
export function announcedAddress(replica: AnnouncingNode, context: AnnouncedAddressContext): string | null {
  if (replica.config === null) return null;
  const announcedPort = Number(replica.config.get('replica-announce-port') ?? '0');
  const announcedIp = replica.config.get('replica-announce-ip') ?? '';
  if (announcedPort === 0 && announcedIp === '') return null;
  const listenPort = Number(replica.info?.get('tcp_port') ?? '');
  const listedPort = announcedPort || (Number.isInteger(listenPort) && listenPort > 0 ? listenPort : replica.port);
  if (announcedIp !== '') return `${announcedIp}:${listedPort}`;
  return `${listedIpForPort(replica, listedPort, context) ?? replica.host}:${listedPort}`;
}

/** The ip the master lists beside the announced port for this replica, when its listing tells it (see the top). */
function listedIpForPort(replica: AnnouncingNode, listedPort: number, context: AnnouncedAddressContext): string | null {
  if (context.masterInfo === undefined) return null;
  const atPort = replicaEntries(context.masterInfo).filter((entry) => entry.port === listedPort);
  if (atPort.some((entry) => entry.ip === replica.host)) return replica.host;
  const free = atPort.filter((entry) => !context.takenAddresses.has(`${entry.ip}:${entry.port}`));
  return free.length === 1 ? free[0]!.ip : null;
}
