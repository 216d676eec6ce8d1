/**
 * The tap's preflight: what attaching does to this master, said exactly, and
 * whether it may. Run again by tap.start (a preflight the user read a minute
 * ago proves nothing about the master now).
 *
 * Refusals:
 *  - the profile has not opted in (`streamTap`, off by default);
 *  - in the demo's session, the node is not one of the demo's engines (the
 *    demo acts only on its own nodes, as its actions do);
 *  - the node is not a master, or has no replication backlog (a PSYNC could
 *    only be answered with a full resync, a fork: the tap never asks then);
 *  - the ACL user may not run PSYNC or REPLCONF (ACL DRYRUN, which runs
 *    nothing; if DRYRUN itself is refused, that is said and the handshake
 *    will tell);
 *  - this session already taps the node.
 * Consent: min-replicas-to-write in force (INFO prints min_slaves_good_slaves
 * exactly then): the tap would count as a good replica.
 */
import type { Redis } from 'ioredis';
import type { ProfileFields } from '../../../shared/contract/profiles';
import { TAP_ANNOUNCED_NAME, type TapCheck, type TapPreflight } from '../../../shared/contract/tap';
import { keyNamesFor } from './key-labels';
import { effectiveHardLimit, readReplicationConfig, readReplicationFacts, type ReplicationConfig, type ReplicationFacts } from './master-facts';
import { bytesText } from './tap-wording';

export interface TapTargetContext {
  readonly sessionId: string;
  readonly nodeId: string;
  readonly profile: ProfileFields;
  /** One of the embedded demo's own nodes (every command allowed to the console, tap allowed). */
  readonly embedded: boolean;
  /**
   * The demo's session, but a node that is not one of its engines (a real
   * redis-server made a replica of the demo master): the demo acts only on
   * its own nodes, and the tap is refused there as every action is.
   */
  readonly foreignInDemo: boolean;
  /** The session's connection to the node. */
  readonly client: Redis;
  readonly alreadyTapped: boolean;
}

export interface PreflightResult {
  readonly preflight: TapPreflight;
  readonly facts: ReplicationFacts | null;
  readonly config: ReplicationConfig | null;
}

/** ACL DRYRUN for the tap's commands: null when allowed, else the reason; 'unchecked: ...' when DRYRUN itself is refused. */
async function dryRun(client: Redis, username: string, args: string[]): Promise<string | null> {
  const reply = await client.call('ACL', 'DRYRUN', username, ...args).catch((failure: unknown) => failure);
  if (reply === 'OK') return null;
  if (reply instanceof Error) return /unknown command|unknown subcommand/i.test(reply.message) ? null : `unchecked: ${reply.message}`;
  return String(reply);
}

export async function tapPreflight(context: TapTargetContext): Promise<PreflightResult> {
  const { profile, nodeId } = context;
  const checks: TapCheck[] = [];
  const keyNames = keyNamesFor(profile.safetyMode);
  const user = profile.username || 'default';
  const optedIn = context.embedded || profile.streamTap === true;
  if (context.foreignInDemo) {
    checks.push({ name: 'profile', status: 'refuse', detail: `The demo acts only on its embedded nodes: ${nodeId} is not one of them (attach it with a profile of its own, with the stream tap allowed, to tap it).` });
  } else {
    checks.push(optedIn
      ? { name: 'profile', status: 'ok', detail: context.embedded ? 'The demo\'s own nodes may always be tapped.' : 'This profile allows the stream tap.' }
      : { name: 'profile', status: 'refuse', detail: 'The stream tap is off for this profile. Edit the profile and tick "Allow the replication-stream tap" to use it.' });
  }
  if (context.alreadyTapped) checks.push({ name: 'already tapped', status: 'refuse', detail: `${nodeId} is already tapped in this session.` });

  let facts: ReplicationFacts | null = null;
  let config: ReplicationConfig | null = null;
  try {
    facts = await readReplicationFacts(context.client);
    config = await readReplicationConfig(context.client);
  } catch (failure) {
    checks.push({ name: 'master', status: 'refuse', detail: `INFO replication could not be read on ${nodeId}: ${failure instanceof Error ? failure.message : String(failure)}` });
  }
  if (facts) {
    if (facts.role !== 'master') {
      const master = facts.masterHost ? ` Its master is ${facts.masterHost}:${facts.masterPort ?? '?'}.` : '';
      checks.push({ name: 'role', status: 'refuse', detail: `${nodeId} is a replica: the tap attaches to masters.${master}` });
    } else if (!facts.backlogActive) {
      checks.push({ name: 'backlog', status: 'refuse', detail: `${nodeId} has no replication backlog (repl_backlog_active:0: no replica has attached since it started, or repl-backlog-ttl freed it). A PSYNC can then only be answered with a full resync, which forks the master: the tap does not ask.` });
    } else {
      checks.push({ name: 'backlog', status: 'ok', detail: `Backlog active: ${bytesText(facts.backlogHistlen)} held of ${bytesText(config?.backlogSize ?? facts.backlogSize ?? 0)}; PSYNC ${facts.replid.slice(0, 8)}… at offset ${facts.masterReplOffset + 1} is inside it.` });
    }
    checks.push(minReplicasCheck(facts, config));
  }
  if (!context.embedded) {
    for (const [command, args] of [['PSYNC', ['PSYNC', facts?.replid ?? '?', String((facts?.masterReplOffset ?? 0) + 1)]], ['REPLCONF', ['REPLCONF', 'ACK', '0']]] as const) {
      const denied = await dryRun(context.client, user, [...args]);
      if (denied === null) checks.push({ name: `permission ${command}`, status: 'ok', detail: `${user} may run ${command} (ACL DRYRUN).` });
      else if (denied.startsWith('unchecked: ')) checks.push({ name: `permission ${command}`, status: 'warn', detail: `ACL DRYRUN answered "${denied.slice(11).split('\n')[0]!.trim()}": ${command} could not be checked for ${user}. If it is refused, the tap stops with the master's answer.` });
      // ACL DRYRUN's own reply first, verbatim (7.0: "This user has no permissions to run the 'psync' command"), then what it means.
      else checks.push({ name: `permission ${command}`, status: 'refuse', detail: `ACL DRYRUN ${user} ${command} answered "${denied}": ${user} may not run ${command}, which the tap needs.` });
    }
  }
  if (config) {
    checks.push(forkCheck(config));
    checks.push(outputLimitCheck(config));
  } else if (facts) {
    checks.push({ name: 'settings', status: 'warn', detail: 'CONFIG GET is not allowed for this user: repl-timeout, client-output-buffer-limit and the diskless settings are assumed to be Redis\'s defaults.' });
  }
  if (profile.kind === 'sentinel') {
    checks.push({ name: 'sentinel', status: 'warn', detail: `Sentinels read the master's replica list: they cannot resolve "${TAP_ANNOUNCED_NAME}", so they add nothing, but each logs "Failed to resolve hostname '${TAP_ANNOUNCED_NAME}'" at every INFO of the master (every 10 s) while the tap runs.` });
  }
  checks.push({ name: 'key names', status: 'ok', detail: keyNames === 'shown' ? `Key names and prefixes are shown (${profile.safetyMode} mode); values are cut to 32 bytes.` : 'Key names and prefixes are hashed (monitor-only mode); values are never shown, only their length.' });

  const refused = checks.some((check) => check.status === 'refuse');
  return {
    facts,
    config,
    preflight: {
      sessionId: context.sessionId,
      nodeId,
      allowed: !refused,
      needsConfirmation: checks.some((check) => check.status === 'confirm'),
      statements: statements(context, facts, config),
      checks,
      commands: [...(profile.username || !context.embedded ? ['AUTH (when the profile has a password)'] : []), 'REPLCONF ip-address / capa / ACK', 'PSYNC'],
      keyNames,
    },
  };
}

function minReplicasCheck(facts: ReplicationFacts, config: ReplicationConfig | null): TapCheck {
  if (facts.goodReplicas === null) {
    return { name: 'min-replicas-to-write', status: 'ok', detail: config ? `min-replicas-to-write is ${config.minReplicasToWrite}${config.minReplicasToWrite > 0 ? ' with min-replicas-max-lag 0 (not in force)' : ''}: writes do not depend on replicas.` : 'INFO shows no min_slaves_good_slaves: min-replicas-to-write is not in force.' };
  }
  const wanted = config ? `${config.minReplicasToWrite} (max lag ${config.minReplicasMaxLag} s)` : 'set';
  return {
    name: 'min-replicas-to-write',
    status: 'confirm',
    detail: `min-replicas-to-write is ${wanted}, with ${facts.goodReplicas} good replica(s) now. The tap ACKs every second, so it counts as one more good replica: the master may accept writes with one real replica fewer than it requires, and the count drops by one when the tap stops. Confirm to attach anyway.`,
  };
}

function forkCheck(config: ReplicationConfig): TapCheck {
  if (config.disklessSync && config.disklessSyncDelay > 0) {
    return { name: 'full resync fallback', status: 'ok', detail: `Should the master refuse the partial sync (its backlog moved on in the instant between INFO and PSYNC), it would wait ${config.disklessSyncDelay} s (repl-diskless-sync-delay) before forking; the tap hangs up at its first keepalive, so no fork happens.` };
  }
  const why = config.disklessSync ? 'repl-diskless-sync-delay is 0' : 'repl-diskless-sync is no';
  return { name: 'full resync fallback', status: 'warn', detail: `Should the master refuse the partial sync (its backlog moved on in the instant between INFO and PSYNC), it would fork for a snapshot at once (${why}); the tap closes without reading it. Unlikely unless the backlog is tiny for the write rate.` };
}

function outputLimitCheck(config: ReplicationConfig): TapCheck {
  const limit = config.replicaOutputLimit;
  if (!limit) return { name: 'output buffer', status: 'ok', detail: 'No client-output-buffer-limit for replicas could be read.' };
  const hard = effectiveHardLimit(limit, config.backlogSize);
  const soft = limit.softBytes > 0 ? `, or more than ${bytesText(limit.softBytes)} for ${limit.softSeconds} s` : '';
  return {
    name: 'output buffer',
    status: 'ok',
    detail: hard === 0 && soft === '' ? 'client-output-buffer-limit replica is unlimited.' : `The master drops the tap if it falls more than ${bytesText(hard)} behind${soft} (client-output-buffer-limit replica ${limit.hardBytes} ${limit.softBytes} ${limit.softSeconds}); the tap then says so.`,
  };
}

function statements(context: TapTargetContext, facts: ReplicationFacts | null, config: ReplicationConfig | null): string[] {
  const node = context.nodeId;
  const user = context.profile.username || 'default';
  const offset = facts ? `${facts.masterReplOffset + 1}` : '<master_repl_offset + 1>';
  const timeout = config?.replTimeout ?? 60;
  return [
    `Opens one connection to ${node}${context.embedded ? '' : `, authenticated as ${user} (the profile's user)`}.`,
    `Sends REPLCONF ip-address ${TAP_ANNOUNCED_NAME} and REPLCONF capa eof capa psync2, then PSYNC <master_replid> ${offset}, with the id and offset read from INFO just before: the master answers +CONTINUE and streams its writes from there. No RDB, no fork.`,
    `While it runs it is a replica of ${node}: INFO lists it as slaveN:ip=${TAP_ANNOUNCED_NAME},port=0, ROLE lists it, connected_slaves counts it, and sync_partial_ok goes up by one at each start.`,
    'It counts for WAIT (it acknowledges the bytes it has read, though it keeps no data) and for min-replicas-to-write.',
    `It sends REPLCONF ACK once a second and answers REPLCONF GETACK, so the master does not time it out (repl-timeout ${timeout} s). It sends nothing else and never writes.`,
    'If the master offers a full resync instead, the tap closes at once without reading the RDB and says why; starting again asks from the offset the master is at then.',
    `Stop, or closing the session, closes the connection (the master logs "Connection with replica ${TAP_ANNOUNCED_NAME}:<unknown-replica-port> lost").`,
    `If ${node} becomes a replica (a promotion elsewhere), the tap stops and names the new master; tapping it is a new start, with its own preflight.`,
  ];
}
