/**
 * Words for the identifiers the service sends with an action's result and
 * an event's numbers: the outcome ids ('partial-resync') and the figures'
 * keys (camelCase in the contract). The contract keeps its ids; only the
 * page says them in words. Where a figure is an INFO counter, its label
 * names the INFO field too, so an operator can hold it against redis-cli.
 */
export { actionTitle, chaosTitle, outcomeText } from '../../../shared/contract/action-words';

/** The keys the console sends, each with its label. Keys not listed are spelled out from camelCase. */
const FIGURES: Readonly<Record<string, string>> = {
  syncFullDelta: 'Full resyncs (sync_full change)',
  syncPartialOkDelta: 'Partial resyncs accepted (sync_partial_ok change)',
  syncFull: 'Full resyncs served (sync_full)',
  syncPartialOk: 'Partial resyncs accepted (sync_partial_ok)',
  syncPartialErr: 'Partial resyncs refused (sync_partial_err)',
  replicaOffset: 'Replica offset',
  masterReplOffset: 'Master offset (master_repl_offset)',
  backlogFirstByte: 'Backlog first byte (repl_backlog_first_byte_offset)',
  sizeBytes: 'Backlog size in bytes (repl-backlog-size)',
  promoted: 'Promoted node',
  oldMaster: 'Old master',
  replid: 'Replication ID (master_replid)',
  replid2: 'Previous replication ID (master_replid2)',
  secondReplOffset: 'Previous history valid up to (second_repl_offset)',
  requestedReplid: 'Replication ID asked for (PSYNC)',
  requestedOffset: 'Offset asked for (PSYNC)',
  backlogBytesSent: 'Bytes sent from the backlog',
  goodReplicas: 'Good replicas (min_slaves_good_slaves)',
  required: 'Required (min-replicas-to-write)',
  durationMs: 'Duration (ms)',
};

/** A figure's label: "Partial resyncs accepted (sync_partial_ok change)", or "Offset after" for offsetAfter. */
export function figureLabel(key: string): string {
  const known = FIGURES[key];
  if (known !== undefined) return known;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]+/g, ' ').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
