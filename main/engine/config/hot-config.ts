/**
 * Configuration values read on every command, kept as plain fields and
 * refreshed on CONFIG SET, so the hot path does no name lookups.
 */
import type { EngineConfig } from './engine-config';

const WATCHED = [
  'replica-read-only',
  'replica-serve-stale-data',
  'enable-debug-command',
  'maxmemory',
  'slowlog-log-slower-than',
  'slowlog-max-len',
  'min-replicas-to-write',
  'min-replicas-max-lag',
  'hash-max-listpack-entries',
  'hash-max-listpack-value',
  'zset-max-listpack-entries',
  'zset-max-listpack-value',
  'set-max-intset-entries',
  'latency-monitor-threshold',
  'latency-tracking',
  'stream-node-max-bytes',
  'stream-node-max-entries',
  'hll-sparse-max-bytes',
] as const;

export class HotConfig {
  /** The default user needs a password or is off (kept by the node's ACL, not read from config). */
  authRequired = false;
  replicaReadOnly = true;
  replicaServeStaleData = true;
  debugCommand: 'no' | 'yes' | 'local' = 'no';
  maxmemory = 0;
  slowlogThresholdMicros = 10_000;
  slowlogMaxLen = 128;
  minReplicasToWrite = 0;
  minReplicasMaxLag = 10;
  // Encoding limits, checked by every write to a hash, zset or set.
  hashMaxListpackEntries = 512;
  hashMaxListpackValue = 64;
  zsetMaxListpackEntries = 128;
  zsetMaxListpackValue = 64;
  setMaxIntsetEntries = 512;
  /** Latency monitor threshold in ms (0 = off) and per-command latency histograms on/off. */
  latencyMonitorThreshold = 0;
  latencyTracking = true;
  /** When XADD starts a new stream node (listpack bytes, entries). */
  streamNodeMaxBytes = 4096;
  streamNodeMaxEntries = 100;
  /** When PFADD turns a sparse HLL dense (its size in bytes). */
  hllSparseMaxBytes = 3000;

  constructor(private readonly config: EngineConfig) {
    this.refresh();
    for (const name of WATCHED) config.onChange(name, () => this.refresh());
  }

  private refresh(): void {
    const config = this.config;
    this.replicaReadOnly = config.bool('replica-read-only');
    this.replicaServeStaleData = config.bool('replica-serve-stale-data');
    this.debugCommand = config.string('enable-debug-command') as HotConfig['debugCommand'];
    this.maxmemory = config.int('maxmemory');
    this.slowlogThresholdMicros = config.int('slowlog-log-slower-than');
    this.slowlogMaxLen = config.int('slowlog-max-len');
    this.minReplicasToWrite = config.int('min-replicas-to-write');
    this.minReplicasMaxLag = config.int('min-replicas-max-lag');
    this.hashMaxListpackEntries = config.int('hash-max-listpack-entries');
    this.hashMaxListpackValue = config.int('hash-max-listpack-value');
    this.zsetMaxListpackEntries = config.int('zset-max-listpack-entries');
    this.zsetMaxListpackValue = config.int('zset-max-listpack-value');
    this.setMaxIntsetEntries = config.int('set-max-intset-entries');
    this.latencyMonitorThreshold = config.int('latency-monitor-threshold');
    this.latencyTracking = config.bool('latency-tracking');
    this.streamNodeMaxBytes = config.int('stream-node-max-bytes');
    this.streamNodeMaxEntries = config.int('stream-node-max-entries');
    this.hllSparseMaxBytes = config.int('hll-sparse-max-bytes');
  }
}
