/**
 * Evidence that a person changed a node's role: either this console ran the
 * action (an intent noted before it runs), or the node's own command
 * counters moved — INFO commandstats counts every REPLICAOF, SLAVEOF,
 * FAILOVER and CLUSTER FAILOVER it executed (inside MULTI too).
 * Its CLIENT KILL count (cmdstat_client|kill) is kept beside them: a
 * replication link dropped and re-established between two polls, with
 * CLIENT KILL counted on one of its ends since before the drop, less this
 * console's own (noteOwnClientKill), was killed by someone else.
 *
 * Counters only help against a baseline taken before the command. A
 * baseline is taken on the node's own connection just before each of its
 * INFO polls (same connection, so Redis runs it first; the poll's own INFO
 * has no commandstats section). Every poll, not every few: the question is
 * always "since the last poll that still showed things as they were", and a
 * baseline older than that poll counts commands run before it too (an
 * unrelated CLIENT KILL some polls before a link-down was blamed for it,
 * when baselines were taken every 10 polls). For a role change first seen at poll P,
 * the command ran after poll P-1's INFO, so any baseline taken at or before
 * P-1 precedes it; the counters are read again when the change is settled,
 * after poll P. Sentinel sends SLAVEOF too: Sentinel's own notices are
 * checked before this (role-attribution.ts).
 *
 * Not so for CLUSTER FAILOVER: it returns at once and the replica promotes
 * itself later, from its cron, once its master has paused and its offset is
 * caught up; its old master turns replica when it hears of the promotion. A
 * poll can fall in between, its baseline already counting the command while
 * both nodes still show their old roles: the promotion and the demotion were
 * put down to "the Cluster ... with no CLUSTER FAILOVER counted on it"
 * (seen on redis-server 7.0 with the replica running DEBUG SLEEP 1 after the
 * command, and once in cluster-failover.test.ts unforced). A manual failover
 * not done within CLUSTER_MF_TIMEOUT (5000 ms, cluster.h) is given up
 * ("Manual failover timed out."), so one that changed roles ran at most that
 * long before: it is counted from a baseline asked that much (and a margin)
 * before the one of poll P-1.
 *
 * FAILOVER (run on the master) is the same, with no bound: it returns OK
 * at once, the master pauses writes and waits for its target to acknowledge
 * its offset (INFO replication master_failover_state:waiting-for-sync, then
 * failover-in-progress), indefinitely without TIMEOUT, then turns replica and
 * the target is promoted. Polls falling in between counted it while both
 * nodes showed their old roles: promotion and demotion were "(who did it is
 * unknown)" (redis-server 7.0, the replica asleep over the command). But the
 * state is set by the command itself: a poll's INFO showing it proves the
 * FAILOVER ran before that INFO, and one showing no-failover that it ran
 * after. So each baseline notes the failover state of the INFO that followed
 * it, and FAILOVER is counted from the last baseline before the run of polls
 * that showed the failover under way at poll P-1 (or P-2: the master leaves
 * the state only once its target answers its PSYNC FAILOVER as a master, so
 * it was in it when the target last showed its old role, but its own INFO of
 * that poll may have come just after).
 */
import type { Redis } from 'ioredis';
import { infoString, parseInfo, type InfoFields } from './info-fields';

/**
 * Baselines kept per node: those of the last KEPT_POLLS polls (a role change
 * is settled up to some seconds after the poll it asks about: Sentinel's
 * notices are waited for), and never fewer than MIN_KEPT, so a node that
 * stopped answering keeps the ones taken before.
 */
const KEPT_POLLS = 120;
const MIN_KEPT = 3;
/**
 * How long before the last poll that showed the old roles a CLUSTER FAILOVER
 * that changed them may have run: CLUSTER_MF_TIMEOUT (5000 ms), plus a second
 * for what follows its checks (clusterCron runs every 100 ms, the votes come
 * back, the old master hears of the promotion by the new master's PONG).
 */
const CLUSTER_FAILOVER_LEAD_MS = 5000 + 1000;
/** How long after an action starts the role changes it causes are put down to it. */
const INTENT_TTL_MS = 60_000;

/** The commands that change a node's role, as INFO commandstats names them. */
const ROLE_COMMANDS = ['replicaof', 'slaveof', 'failover', 'cluster|failover'] as const;
/** The other commands of the transaction redis-sentinel wraps its SLAVEOF in (sentinelTransactionCount). */
const SENTINEL_TRANSACTION_COMMANDS = ['multi', 'exec', 'config|rewrite'] as const;
export type RoleCommandCounts = Readonly<Record<(typeof ROLE_COMMANDS)[number] | (typeof SENTINEL_TRANSACTION_COMMANDS)[number] | 'client|kill' | 'client|pause', number>>;

/**
 * The CLIENT KILLs in one of Sentinel's SLAVEOF transactions: TYPE normal and
 * TYPE pubsub (sentinel.c sentinelSendSlaveOf). Neither cuts a replication
 * link: a replica's link to its master is TYPE master on it, its master's to
 * it TYPE replica.
 */
const SENTINEL_KILLS_PER_TRANSACTION = 2;

interface Baseline {
  readonly poll: number;
  /** When it was asked for (before the poll's INFO). */
  readonly at: number;
  /** When its reply arrived: the node was answering this console then. */
  readonly answeredAt: number;
  readonly counts: RoleCommandCounts;
  /** cmdstat_exec failed_calls: EXECs that ran and failed (a Sentinel SLAVEOF transaction aborted, sentinel-slaveof-lines.ts). */
  readonly failedExecs: number;
  /** master_failover_state of the INFO that followed it on the connection (undefined: none answered before the next baseline). */
  failoverState?: string;
}

/** A reply within this long of its request counts as the node answering promptly. */
const PROMPT_ANSWER_MS = 1000;

/** CLIENT PAUSEs counted on a node since a baseline (this console never runs CLIENT PAUSE itself). */
export interface ClientPauses {
  readonly count: number;
  /** When the baseline was taken: the pauses ran between then and now. */
  readonly since: number;
}

/** CLIENT KILLs counted on a node since a baseline, less this console's own. */
export interface ClientKills {
  readonly count: number;
  /** When the baseline was taken: the kills ran between then and now. */
  readonly since: number;
}

export interface ConsoleIntent {
  readonly nodeIds: readonly string[];
  readonly description: string;
  readonly startedAt: number;
  /** The action was a SENTINEL FAILOVER: Sentinel carries it out. */
  readonly viaSentinel: boolean;
}

export function roleCommandCounts(commandstats: string): RoleCommandCounts {
  const fields = parseInfo(commandstats);
  const calls = (name: string): number => Number(/calls=(\d+)/.exec(fields.get(`cmdstat_${name}`) ?? '')?.[1] ?? 0);
  return {
    replicaof: calls('replicaof'), slaveof: calls('slaveof'), failover: calls('failover'), 'cluster|failover': calls('cluster|failover'),
    multi: calls('multi'), exec: calls('exec'), 'config|rewrite': calls('config|rewrite'), 'client|kill': calls('client|kill'), 'client|pause': calls('client|pause'),
  };
}

/** INFO commandstats cmdstat_exec failed_calls (0 when EXEC is not listed: Redis lists only commands it counted). */
export function failedExecCalls(commandstats: string): number {
  return Number(/failed_calls=(\d+)/.exec(parseInfo(commandstats).get('cmdstat_exec') ?? '')?.[1] ?? 0);
}

/** SLAVEOF transactions of redis-sentinel counted on a node since a baseline (roleCommandsSince). */
export interface SentinelTransactions {
  readonly count: number;
  /** When the baseline was taken: they ran between then and now. */
  readonly since: number;
  /** What the node's INFO commandstats counted since then, in words ("cmdstat_slaveof +1, cmdstat_multi +1, ..."). */
  readonly counted: string;
}

/** The words for Sentinel's transactions counted on a node, as evidence that a SLAVEOF there was Sentinel's. */
export function sentinelTransactionWords(nodeId: string, transactions: SentinelTransactions): string {
  const times = transactions.count === 1 ? 'the transaction' : `${transactions.count} of the transactions`;
  return `${times} redis-sentinel wraps its SLAVEOF in (MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL TYPE normal and pubsub, EXEC) ran on ${nodeId}: ${transactions.counted} in its INFO commandstats since ${new Date(transactions.since).toISOString()}`;
}

/**
 * How many of Sentinel's SLAVEOF transactions the counts moved by: each is
 * MULTI, SLAVEOF <host> <port> (or NO ONE), CONFIG REWRITE, CLIENT KILL TYPE
 * normal, CLIENT KILL TYPE pubsub, EXEC on the node (sentinel.c
 * sentinelSendSlaveOf, for a failover's promotion and re-pointing,
 * +convert-to-slave and +fix-slave-config alike; INFO commandstats counts
 * the commands run inside EXEC, and a CONFIG REWRITE that fails for want of
 * a config file too). Sentinel always says SLAVEOF, never REPLICAOF. A
 * person typing SLAVEOF alone moves none of the others, so the least of the
 * moves is the count.
 */
function sentinelTransactionCount(from: RoleCommandCounts, now: RoleCommandCounts): number {
  const moved = (name: keyof RoleCommandCounts): number => Math.max(0, now[name] - from[name]);
  return Math.min(moved('slaveof'), ...SENTINEL_TRANSACTION_COMMANDS.map(moved), Math.floor(moved('client|kill') / SENTINEL_KILLS_PER_TRANSACTION));
}

function sentinelTransactionsOf({ baseline, now }: { baseline: Baseline; now: RoleCommandCounts }): SentinelTransactions {
  const names = ['multi', 'slaveof', 'config|rewrite', 'client|kill', 'exec'] as const;
  return { count: sentinelTransactionCount(baseline.counts, now), since: baseline.at, counted: names.map((name) => `cmdstat_${name} +${now[name] - baseline.counts[name]}`).join(', ') };
}

/** One reading of a node's role commands since a poll (CommandEvidence.roleCommandsSince). */
export interface RoleCommandsReading {
  readonly nodeId: string;
  /** The role commands counted ("SLAVEOF ×1", "REPLICAOF ×2"...), as commandsSince gives them. */
  readonly commands: string[];
  readonly sentinelTransactions: SentinelTransactions;
}

/**
 * The words saying the SLAVEOFs among `ran` (role commands of `reading`, or
 * the caller's choice of them) were redis-sentinel's, when `ran` is one
 * entry, SLAVEOF ×N, and at least N of Sentinel's transactions were
 * counted in the same reading; else null (a REPLICAOF or another role
 * command counted beside it is someone else's). Proof that the SLAVEOF was
 * Sentinel's whether or not its notice (+slave-reconf-sent,
 * +convert-to-slave, +fix-slave-config) has reached this console: it
 * publishes the notice as it sends the transaction, but a console with a
 * slow path to that Sentinel, or not subscribed to it, hears it after it
 * polls the node, or never. Used for re-points (event-detector.ts) and role
 * changes (role-attribution.ts) alike.
 */
export function sentinelSlaveofEvidence(reading: RoleCommandsReading, ran: readonly string[]): string | null {
  const slaveofs = ran.length === 1 ? /^SLAVEOF ×(\d+)$/.exec(ran[0]!) : null;
  if (slaveofs === null) return null;
  return reading.sentinelTransactions.count >= Number(slaveofs[1]) ? sentinelTransactionWords(reading.nodeId, reading.sentinelTransactions) : null;
}

export class CommandEvidence {
  private poll = 0;
  private readonly baselines = new Map<string, Baseline[]>();
  private readonly intents: ConsoleIntent[] = [];
  /** This console's own CLIENT KILLs (Disconnect link), by node, when they were noted (before they ran). */
  private readonly ownKills: { readonly nodeId: string; readonly at: number }[] = [];

  /** Call once per poll, before the nodes are sampled; returns the poll's number, which its snapshot carries to the event detector. */
  nextPoll(): number {
    return ++this.poll;
  }

  /**
   * Call right before a node's INFO poll, on the same connection: returns a
   * promise for the baseline when one is due (it is stored when it arrives).
   */
  sampleBeforePoll(nodeId: string, client: Redis, lastInfo: { readonly info: InfoFields; readonly time: number } | null = null): Promise<void> | null {
    if (lastInfo) this.noteFailoverState(nodeId, lastInfo);
    const list = this.baselines.get(nodeId);
    const last = list?.[list.length - 1];
    if (last && last.poll === this.poll) return null;
    const poll = this.poll;
    const at = Date.now();
    return client.info('commandstats').then((text) => {
      const entries = this.baselines.get(nodeId) ?? [];
      entries.push({ poll, at, answeredAt: Date.now(), counts: roleCommandCounts(text), failedExecs: failedExecCalls(text) });
      while (entries.length > MIN_KEPT && entries[0]!.poll < poll - KEPT_POLLS) entries.shift();
      this.baselines.set(nodeId, entries);
    }, () => undefined);
  }

  /** The node's failed EXECs at the latest baseline that answered (null: none did). */
  failedExecs(nodeId: string): number | null {
    return this.baselines.get(nodeId)?.at(-1)?.failedExecs ?? null;
  }

  /**
   * Notes the failover state of the node's last INFO on the baseline taken
   * just before it (the latest answered before the INFO was), once.
   */
  private noteFailoverState(nodeId: string, lastInfo: { readonly info: InfoFields; readonly time: number }): void {
    const entries = this.baselines.get(nodeId) ?? [];
    const entry = entries.findLast((candidate) => candidate.answeredAt <= lastInfo.time);
    if (entry && entry.failoverState === undefined) entry.failoverState = infoString(lastInfo.info, 'master_failover_state') ?? 'no-failover';
  }

  /**
   * The baseline to count FAILOVER from, given the one of the last poll that
   * showed the old roles (see the comment at the top): when the INFO after it,
   * or after the one before it, showed a failover under way, the latest
   * baseline before those polls whose INFO showed none (the command ran
   * after that INFO); else the one given.
   */
  private failoverBaseline(nodeId: string, baseline: Baseline): Baseline {
    const entries = this.baselines.get(nodeId) ?? [];
    const underWay = (entry: Baseline | undefined): boolean => entry?.failoverState !== undefined && entry.failoverState !== 'no-failover';
    let index = entries.indexOf(baseline);
    if (!underWay(entries[index])) index--;
    if (index < 0 || !underWay(entries[index])) return baseline;
    // Back over the polls that showed it under way (or whose INFO went unanswered) to one that showed none.
    while (index > 0 && entries[index]!.failoverState !== 'no-failover') index--;
    return entries[index]!;
  }

  /**
   * The role commands run on the node since before `beforePoll` (the last
   * poll that still showed its old role), or null when there is no baseline
   * that old or the counters cannot be read now.
   */
  async commandsSince(nodeId: string, beforePoll: number, client: Redis | undefined): Promise<string[] | null> {
    return (await this.roleCommandsSince(nodeId, beforePoll, client))?.commands ?? null;
  }

  /**
   * The role commands run on the node since before `beforePoll` and
   * Sentinel's SLAVEOF transactions among them, from one reading of its
   * INFO commandstats (two readings could disagree: a transaction landing
   * between them), or null when there is no baseline that old or the
   * counters cannot be read now.
   */
  async roleCommandsSince(nodeId: string, beforePoll: number, client: Redis | undefined): Promise<RoleCommandsReading | null> {
    const counted = await this.countsSince(nodeId, beforePoll, client);
    if (!counted) return null;
    return { nodeId, commands: this.roleCommandsOf(nodeId, counted), sentinelTransactions: sentinelTransactionsOf(counted) };
  }

  private roleCommandsOf(nodeId: string, counted: { baseline: Baseline; now: RoleCommandCounts }): string[] {
    const { baseline, now } = counted;
    const clusterFailoverBaseline = this.baselineAskedBy(nodeId, baseline.at - CLUSTER_FAILOVER_LEAD_MS) ?? baseline;
    const failoverBaseline = this.failoverBaseline(nodeId, baseline);
    const from = (name: (typeof ROLE_COMMANDS)[number]): Baseline => (name === 'cluster|failover' ? clusterFailoverBaseline : name === 'failover' ? failoverBaseline : baseline);
    return ROLE_COMMANDS.map((name) => ({ name, from: from(name) }))
      .filter(({ name, from }) => now[name] > from.counts[name])
      .map(({ name, from }) => `${name.replace('|', ' ').toUpperCase()} ×${now[name] - from.counts[name]}`);
  }

  /**
   * The latest baseline of the node asked at or before `time`, else its
   * oldest kept (asked later, so whatever it counts ran after `time` too).
   */
  private baselineAskedBy(nodeId: string, time: number): Baseline | undefined {
    const entries = this.baselines.get(nodeId) ?? [];
    return entries.findLast((entry) => entry.at <= time) ?? entries[0];
  }

  /**
   * The CLIENT KILLs run on the node since before `beforePoll` that were not
   * this console's, or null when there is no baseline that old or the
   * counters cannot be read now.
   */
  async clientKillsSince(nodeId: string, beforePoll: number, client: Redis | undefined): Promise<ClientKills | null> {
    const counted = await this.countsSince(nodeId, beforePoll, client);
    if (!counted) return null;
    const { baseline, now } = counted;
    // An own kill noted just before the baseline was asked for may have run after it.
    const own = this.ownKills.filter((kill) => kill.nodeId === nodeId && kill.at >= baseline.at - 1000).length;
    // Sentinel's SLAVEOF transactions kill normal and pubsub clients, never a replication link.
    const sentinels = sentinelTransactionCount(baseline.counts, now) * SENTINEL_KILLS_PER_TRANSACTION;
    return { count: Math.max(0, now['client|kill'] - baseline.counts['client|kill'] - own - sentinels), since: baseline.at };
  }

  /**
   * How many of the node's baselines were asked for and answered within
   * PROMPT_ANSWER_MS, with the answer between `from` and `to`: proof that it
   * answered this console's polls then (a node asleep or stopped answers
   * late or never).
   */
  promptAnswersBetween(nodeId: string, from: number, to: number): number {
    return (this.baselines.get(nodeId) ?? []).filter((entry) => entry.answeredAt >= from && entry.answeredAt <= to && entry.answeredAt - entry.at < PROMPT_ANSWER_MS).length;
  }

  /**
   * The CLIENT PAUSEs run on the node since the latest baseline asked for at
   * or before `atOrBefore` (the oldest kept when none is that old: `since`
   * says from when), or null when there is none or the counters cannot be
   * read now.
   */
  async clientPausesSince(nodeId: string, atOrBefore: number, client: Redis | undefined): Promise<ClientPauses | null> {
    const entries = this.baselines.get(nodeId) ?? [];
    const baseline = entries.findLast((entry) => entry.at <= atOrBefore) ?? entries[0];
    if (!baseline || !client) return null;
    try {
      const now = roleCommandCounts(await client.info('commandstats'));
      return { count: Math.max(0, now['client|pause'] - baseline.counts['client|pause']), since: baseline.at };
    } catch {
      return null;
    }
  }

  /** The latest baseline taken at or before `beforePoll` and the counters read now, or null when either is missing. */
  private async countsSince(nodeId: string, beforePoll: number, client: Redis | undefined): Promise<{ baseline: Baseline; now: RoleCommandCounts } | null> {
    const baseline = this.baselines.get(nodeId)?.findLast((entry) => entry.poll <= beforePoll);
    if (!baseline || !client) return null;
    try {
      return { baseline, now: roleCommandCounts(await client.info('commandstats')) };
    } catch {
      return null;
    }
  }

  /** This console is about to run CLIENT KILL on the node (Disconnect link): not counted as someone else's. */
  noteOwnClientKill(nodeId: string, now = Date.now()): void {
    this.ownKills.push({ nodeId, at: now });
    while (this.ownKills.length > 0 && now - this.ownKills[0]!.at > INTENT_TTL_MS * 10) this.ownKills.shift();
  }

  /** An action of this console is about to change these nodes' roles. */
  noteIntent(intent: Omit<ConsoleIntent, 'startedAt'>, now = Date.now()): void {
    this.intents.push({ ...intent, startedAt: now });
    while (this.intents.length > 0 && now - this.intents[0]!.startedAt > INTENT_TTL_MS) this.intents.shift();
  }

  /** The console action that covers a role change of this node seen at `time`, if any. */
  intentFor(nodeId: string, time: number): ConsoleIntent | null {
    return this.intents.findLast((intent) => intent.nodeIds.includes(nodeId) && time >= intent.startedAt - 1000 && time - intent.startedAt <= INTENT_TTL_MS) ?? null;
  }
}
