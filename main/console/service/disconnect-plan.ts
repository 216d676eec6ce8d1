/**
 * "Disconnect link": close one replication connection on purpose, so the
 * replica reconnects and PSYNCs (a partial resync when its offset is still
 * inside the master's backlog).
 *
 *  - replica side: CLIENT KILL TYPE master on the replica. A replica has one
 *    master link, so this closes exactly that link.
 *  - master side: the master must close this replica's connection and no
 *    other one. The master knows replica connections only by their source
 *    address, which the replica reports as the local end (`laddr`) of its
 *    master link: CLIENT LIST TYPE master on the replica, then
 *    CLIENT KILL ADDR <that address> TYPE replica on the master. Never
 *    CLIENT KILL TYPE replica, which drops every replica of the master.
 *    In the demo the link goes through the chaos proxy, which connects to
 *    the master from its own address: the demo translates it.
 *
 * The filter form of CLIENT KILL answers the number of connections it
 * closed (an integer), not +OK: exactly 1 is success.
 */
import type { ActionRequest } from '../../../shared/contract/actions';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import type { DeploymentMonitor } from '../monitor/deployment-monitor';
import type { ActionPlan } from './action-plan';
import { linkPrediction } from './link-prediction';
import { masterOf, unknownMasterReason } from './unknown-master';

type DisconnectRequest = Extract<ActionRequest, { kind: 'disconnect-link' }>;

interface CommandClient {
  call(...args: string[]): Promise<unknown>;
}

export function planDisconnect(snapshot: TopologySnapshot, replica: NodeSnapshot, link: LinkSnapshot | undefined, side: DisconnectRequest['side']): ActionPlan {
  const { prediction, reason } = linkPrediction(link);
  const resync = prediction === 'partial' ? 'The master answers +CONTINUE and sends only the missing bytes.' : 'The master may answer +FULLRESYNC and send a whole snapshot.';
  if (side === 'replica') {
    return {
      steps: [`On ${replica.id}: CLIENT KILL TYPE master closes its one link to its master.`, `${replica.id} reconnects at once and sends PSYNC with its replication id and offset.`, resync],
      commands: [`CLIENT KILL TYPE master (on ${replica.id})`],
      aclNames: ['client|kill'],
      prediction,
      predictionReason: reason,
      guardNodeId: replica.id,
    };
  }
  const unknown = unknownMasterReason(replica, link);
  if (unknown !== null) {
    return { steps: [`Not possible now: ${unknown}.`], commands: [], aclNames: [], prediction, predictionReason: reason, guardNodeId: replica.id, refusal: unknown };
  }
  const masterId = masterOf(replica, link)!;
  const proxied = snapshot.kind === 'demo';
  const source = proxied ? 'the address the chaos proxy forwards that connection from' : 'the local address of that connection';
  return {
    steps: [
      `On ${replica.id}: CLIENT LIST TYPE master gives the local address of its link to ${masterId}${proxied ? ' (the demo maps it to the chaos proxy\'s address, which the master sees)' : ''}.`,
      `On ${masterId}: CLIENT KILL ADDR with that address and TYPE replica closes that one connection; its other replicas keep streaming.`,
      `${replica.id} reconnects at once and sends PSYNC with its replication id and offset.`,
      resync,
    ],
    commands: [`CLIENT LIST TYPE master (on ${replica.id})`, `CLIENT KILL ADDR <${source}> TYPE replica (on ${masterId})`],
    aclNames: ['client|list', 'client|kill'],
    prediction,
    predictionReason: reason,
    guardNodeId: masterId,
  };
}

export async function executeDisconnect(monitor: DeploymentMonitor, link: LinkSnapshot | undefined, action: DisconnectRequest, clientFor: (nodeId: string) => CommandClient): Promise<void> {
  if (action.side === 'replica') {
    const closed = await clientFor(action.replicaId).call('CLIENT', 'KILL', 'TYPE', 'master');
    if (closed === 0) throw new Error(`${action.replicaId} had no link to a master to close`);
    return;
  }
  if (!link) throw new Error(`the console shows no link to ${action.replicaId}`);
  const listing = String(await clientFor(action.replicaId).call('CLIENT', 'LIST', 'TYPE', 'master'));
  const localAddress = /laddr=(\S+)/.exec(listing)?.[1];
  if (!localAddress) throw new Error(`${action.replicaId} has no connection to its master right now (CLIENT LIST TYPE master is empty)`);
  const address = await monitor.masterSideAddress(action.replicaId, localAddress);
  if (address === null) throw new Error(`the chaos proxy of ${action.replicaId} carries no connection from ${localAddress}`);
  const closed = await clientFor(link.masterId).call('CLIENT', 'KILL', 'ADDR', address, 'TYPE', 'replica');
  if (closed === 1) return;
  if (closed === 0) throw new Error(`${link.masterId} has no replica connection from ${address} (a proxy or NAT between them?): disconnect from the replica side instead`);
  throw new Error(`${link.masterId} answered ${String(closed)} to CLIENT KILL ADDR ${address} TYPE replica`);
}
