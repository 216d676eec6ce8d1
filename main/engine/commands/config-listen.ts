/**
 * CONFIG SET of `port` or `bind`: the node listens elsewhere before the
 * change is recorded (updatePort / applyBind). Binding is asynchronous in
 * Node, so the calling client waits (blocked, 'external') while it happens,
 * and the whole CONFIG SET is applied only if it succeeded. A port in use
 * answers Redis's "Unable to listen on this port" and changes nothing:
 * neither the listeners nor any other parameter of the same CONFIG SET.
 *
 * Inside MULTI/EXEC or a script a command cannot wait: there the change is
 * applied at once and the listeners follow; if binding then fails, the
 * error is logged and port/bind get their old values back.
 */
import type { PreparedChange } from '../config/engine-config';
import { bindAddresses } from '../server/bind-addresses';
import { error, OK, type Reply } from '../resp/reply';
import type { CommandNode } from './port/command-node';
import type { BlockRequest } from './command-spec';

export interface ListenChange {
  readonly port: number;
  readonly bind: string;
  /** The argument the error names: port before bind, as Redis applies them. */
  readonly name: string;
  readonly reason: string;
}

/** The new port/bind of a prepared CONFIG SET, when they differ from what the node listens on; else null. */
export function listenChangeOf(node: CommandNode, change: PreparedChange): ListenChange | null {
  let port = node.config.int('port');
  let bind = node.config.string('bind');
  let portName: string | null = null;
  let bindName: string | null = null;
  for (const [param, value, name] of change) {
    if (param.name === 'port' && value !== port) {
      port = value as number;
      portName = name;
    } else if (param.name === 'bind' && value !== bind) {
      bind = String(value);
      bindName = name;
    }
  }
  if (portName !== null) return { port, bind, name: portName, reason: 'Unable to listen on this port. Check server logs.' };
  if (bindName !== null) return { port, bind, name: bindName, reason: 'Failed to bind to specified addresses.' };
  return null;
}

/** Moves the listeners; resolves once they listen, rejects (nothing changed) on a bind failure. */
async function relisten(node: CommandNode, target: ListenChange): Promise<void> {
  const previous = { port: node.port, addresses: bindAddresses(node.config.string('bind')) };
  node.port = await node.tcp.rebind(target.port, bindAddresses(target.bind), previous);
  node.log.notice(target.port === 0 ? 'TCP listening disabled (port 0)' : `Listening on port ${node.port} (tcp)`);
}

function appliedReply(failure: string | null): Reply {
  return failure === null ? OK : error(failure);
}

/** The CONFIG SET result when the change moves the listeners (see header). */
export function configSetMovingListeners(node: CommandNode, change: PreparedChange, target: ListenChange): BlockRequest {
  let outcome: Reply | null = null;
  return {
    kind: 'block',
    keys: [],
    deadline: 0,
    wakeOn: 'external',
    onBlocked: (client) => {
      relisten(node, target).then(
        () => {
          outcome = appliedReply(node.config.apply(change));
        },
        () => {
          outcome = error(`ERR CONFIG SET failed (possibly related to argument '${target.name}') - ${target.reason}`);
        },
      ).finally(() => {
        if (client.blocked !== null) node.dispatcher.resumeBlocked(client, 'retry');
      });
    },
    retry: () => outcome,
    onTimeout: () => {
      const oldPort = node.config.format('port');
      const oldBind = node.config.format('bind');
      const failure = node.config.apply(change);
      if (failure !== null) return error(failure);
      relisten(node, target).catch((cause: unknown) => {
        node.log.warning(`CONFIG SET in a transaction could not move the listeners (${cause instanceof Error ? cause.message : String(cause)}); port and bind restored`);
        node.config.setMany([['port', oldPort], ['bind', oldBind]], 'runtime');
      });
      return OK;
    },
  };
}
