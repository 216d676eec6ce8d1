/**
 * Worker thread entry: one embedded engine node (plus its link's chaos
 * proxy when it is a replica). Runs the same EngineNode the CLI runs, so the
 * demo is real Redis-protocol replication over loopback TCP that any client
 * (redis-cli too) can reach.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineNode } from '../../engine/node';
import { ChaosProxy } from './chaos-proxy';
import type { ChaosAction, EngineWorkerData, FromWorker, ToWorker } from './engine-worker-protocol';

const data = workerData as EngineWorkerData;
const port = parentPort!;
const post = (message: FromWorker): void => port.postMessage(message);

async function main(): Promise<void> {
  let proxy: ChaosProxy | null = null;
  let config = [...data.config];
  if (data.upstreamPort !== null) {
    proxy = new ChaosProxy('127.0.0.1', data.upstreamPort);
    const proxyPort = await proxy.listen(data.proxyPort);
    config = config.filter(([name]) => name !== 'replicaof');
    config.push(['replicaof', `127.0.0.1 ${proxyPort}`]);
  }
  const node = new EngineNode({
    config,
    logSink: (record) => post({ type: 'log', line: record.line }),
    ignoreRdbReplicationInfo: data.ignoreRdbReplicationInfo,
  });
  node.replication.events.on((event) => {
    post({ type: 'event', event });
    // A redis-server that panics aborts: the console ends this thread (EmbeddedNode), proxy and all.
    if (event.type === 'crashed') post({ type: 'crashed', message: event.message });
  });
  const boundPort = await node.start();
  post({ type: 'ready', port: boundPort, proxyPort: proxy?.port ?? null });

  port.on('message', (message: ToWorker) => {
    void handle(message);
  });

  async function handle(message: ToWorker): Promise<void> {
    try {
      switch (message.type) {
        case 'chaos':
          if (!proxy) throw new Error(`${data.name} has no replication link to disturb`);
          applyChaos(proxy, message.chaos);
          post({ type: 'reply', id: message.id, values: proxy.activeFaults(), error: null });
          return;
        case 'faults':
          post({ type: 'reply', id: message.id, values: proxy?.activeFaults() ?? [], error: null });
          return;
        case 'role':
          // The state ROLE and INFO replication answer from: a node with a master address is a replica,
          // and that address (master_host, master_port) is whom it follows, its link up or not.
          post({ type: 'reply', id: message.id, values: node.replication.isReplica ? ['slave', node.replication.masterHost ?? '', String(node.replication.masterPort)] : ['master'], error: null });
          return;
        case 'proxy-upstream-address': {
          const address = proxy?.upstreamAddressFor(message.downstream) ?? null;
          post({ type: 'reply', id: message.id, values: address === null ? [] : [address], error: null });
          return;
        }
        case 'stop':
          if (message.save) await shutdownSaving(node);
          else await node.shutdown();
          await proxy?.close();
          post({ type: 'reply', id: message.id, values: [], error: null });
          port.close();
          return;
      }
    } catch (failure) {
      post({ type: 'reply', id: message.id, values: [], error: failure instanceof Error ? failure.message : String(failure) });
    }
  }
}

function applyChaos(proxy: ChaosProxy, chaos: ChaosAction): void {
  switch (chaos.action) {
    case 'cut': proxy.cut(chaos.seconds); break;
    case 'latency': proxy.latency(chaos.ms); break;
    case 'bandwidth': proxy.bandwidth(chaos.bytesPerSec); break;
    case 'pause': proxy.pause(chaos.seconds); break;
    case 'heal': proxy.heal(); break;
  }
}

main().catch((failure: unknown) => {
  post({ type: 'failed', message: failure instanceof Error ? failure.message : String(failure) });
});

/**
 * A stop that saves is SHUTDOWN SAVE NOW, through the sequence the command
 * runs (server/shutdown.ts), so the node's log says what a redis-server's
 * does: "User requested shutdown...", "Saving the final RDB snapshot before
 * exiting.", "DB saved on disk", "Redis is now ready to exit, bye bye...".
 * NOW: the demo's restart does not wait for lagging replicas. A failed save
 * keeps the node running, as Redis does, and the stop fails.
 */
async function shutdownSaving(node: EngineNode): Promise<void> {
  const stopped = new Promise<void>((resolve, reject) => {
    node.onShutdownRequest = () => void node.shutdown().then(resolve, reject);
  });
  if (node.shutdownSequence.prepare({ save: true, nosave: false, now: true, force: false }) === 'failed') {
    node.onShutdownRequest = null;
    throw new Error("Errors trying to SHUTDOWN. Check logs.");
  }
  await stopped;
}
