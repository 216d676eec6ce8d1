/**
 * Sentinel's event notices, as it publishes them on its own pub/sub (the
 * channel is the event name, the message its text; sentinel.c
 * sentinelEvent()). Most messages start with the instance they are about:
 *
 *   <type> <name> <ip> <port>                          a master
 *   <type> <name> <ip> <port> @ <group> <ip> <port>    a replica or a Sentinel,
 *                                                      then its group's master
 *   ... followed by details: "#quorum 2/3", "new reported role is master"
 *
 * where <type> is master, slave or sentinel and <name> is the group name for
 * a master, "ip:port" for a replica, the run id for a Sentinel. A few carry
 * other fields:
 *
 *   +switch-master   <group> <old ip> <old port> <new ip> <new port>
 *   +new-epoch       <epoch>
 *   +vote-for-leader <run id> <epoch>
 *   +tilt / -tilt    #tilt mode entered / exited
 *
 * Addresses are as Sentinel announces them (announce-hostnames may make them
 * names), joined as "host:port" like the console's node ids.
 */

export interface SentinelNotice {
  readonly time: number;
  /** The Sentinel that published it ("host:port"). */
  readonly sentinelId: string;
  /** The event name: "+sdown", "+switch-master", "-failover-abort-not-elected"... */
  readonly channel: string;
  /** The message as published. */
  readonly text: string;
  readonly instanceType: 'master' | 'slave' | 'sentinel' | null;
  /** The instance it is about ("host:port"), when the message names one. */
  readonly instanceId: string | null;
  /** The group (master name). */
  readonly group: string | null;
  /** The group's master address as the Sentinel knew it when publishing. */
  readonly masterId: string | null;
  /** What follows the instance: "#quorum 2/2", "new reported role is master"... */
  readonly detail: string;
  /** +switch-master: the old and the new master. */
  readonly switchedFrom: string | null;
  readonly switchedTo: string | null;
  /** +new-epoch, +vote-for-leader: the epoch. */
  readonly epoch: number | null;
}

const INSTANCE_TYPES = new Set(['master', 'slave', 'sentinel']);

export function parseSentinelNotice(sentinelId: string, channel: string, text: string, time: number): SentinelNotice {
  const base = { time, sentinelId, channel, text, instanceType: null, instanceId: null, group: null, masterId: null, detail: '', switchedFrom: null, switchedTo: null, epoch: null };
  const words = text.split(' ');
  if (channel === '+switch-master' && words.length >= 5) {
    const [group, oldHost, oldPort, newHost, newPort] = words as [string, string, string, string, string];
    return { ...base, group, instanceType: 'master', instanceId: `${newHost}:${newPort}`, masterId: `${newHost}:${newPort}`, switchedFrom: `${oldHost}:${oldPort}`, switchedTo: `${newHost}:${newPort}` };
  }
  if (channel === '+new-epoch') return { ...base, epoch: numberOrNull(words[0]), detail: text };
  if (channel === '+vote-for-leader') return { ...base, epoch: numberOrNull(words[1]), detail: text };
  const type = words[0];
  if (type === undefined || !INSTANCE_TYPES.has(type) || words.length < 4) return { ...base, detail: text };
  const instanceType = type as 'master' | 'slave' | 'sentinel';
  const instanceId = `${words[2]}:${words[3]}`;
  if (words[4] === '@' && words.length >= 8) {
    return { ...base, instanceType, instanceId, group: words[5]!, masterId: `${words[6]}:${words[7]}`, detail: words.slice(8).join(' ') };
  }
  return { ...base, instanceType, instanceId, group: instanceType === 'master' ? words[1]! : null, masterId: instanceType === 'master' ? instanceId : null, detail: words.slice(4).join(' ') };
}

function numberOrNull(text: string | undefined): number | null {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) ? value : null;
}

/** What a notice means, for the timeline (null for notices the timeline does not show). */
export function explainNotice(notice: SentinelNotice): string | null {
  const about = notice.instanceId ?? '?';
  const channel = notice.channel;
  if (channel.startsWith('+failover-state-')) return `failover state: ${channel.slice('+failover-state-'.length)}${notice.instanceType === 'slave' ? ` (${about})` : ''}`;
  if (channel.startsWith('+slave-reconf-')) return `re-pointing ${about} to the new master: ${channel.slice('+slave-reconf-'.length)}`;
  if (channel.startsWith('-failover-abort-')) return `failover aborted: ${channel.slice('-failover-abort-'.length).replace(/-/g, ' ')}`;
  switch (channel) {
    case '+sdown': return `${about} (${notice.instanceType}) is subjectively down for this Sentinel`;
    case '-sdown': return `${about} (${notice.instanceType}) is no longer subjectively down for this Sentinel`;
    case '+odown': return `${about} is objectively down: enough Sentinels agree (${notice.detail.replace('#', '')})`;
    case '-odown': return `${about} is no longer objectively down`;
    case '+new-epoch': return `new epoch ${notice.epoch ?? '?'}`;
    // '<leader run id> <epoch>': this Sentinel's vote in a failover's election (every voter publishes the same text).
    case '+vote-for-leader': return `voted for the Sentinel with run id ${notice.text.split(' ')[0]!.slice(0, 8)} to lead the failover of epoch ${notice.epoch ?? '?'}`;
    case '+try-failover': return `a failover of ${notice.group ?? '?'} (master ${about}) is starting, waiting to be elected leader`;
    case '+elected-leader': return `this Sentinel was elected to fail over ${notice.group ?? '?'}`;
    case '+selected-slave': return `${about} selected as the new master`;
    case '+promoted-slave': return `${about} now reports itself a master`;
    case '+failover-end': return `failover of ${notice.group ?? '?'} finished`;
    case '+failover-end-for-timeout': return `failover of ${notice.group ?? '?'} ended on failover-timeout; remaining replicas are re-pointed later`;
    case '+switch-master': return `${notice.group ?? '?'} switched master: ${notice.switchedFrom ?? '?'} -> ${notice.switchedTo ?? '?'}`;
    case '+convert-to-slave': return `${about} reported itself a master against Sentinel's configuration: turned into a replica of ${notice.masterId ?? '?'}`;
    case '+fix-slave-config': return `${about} replicated from the wrong master: re-pointed to ${notice.masterId ?? '?'}`;
    case '+reboot': return `${about} restarted (new run id)`;
    // An operator's commands to this one Sentinel (found in a new-user walk: SENTINEL SET quorum and SENTINEL
    // RESET left no trace on the timeline, while the reset Sentinel answered CKQUORUM with NOQUORUM for a moment).
    case '+set': return `${notice.group ?? '?'}: ${describeSet(notice.detail)} on this Sentinel only (SENTINEL SET applies to the Sentinel it runs on; the others keep their own value)`;
    case '+reset-master': return `${notice.group ?? '?'} reset on this Sentinel (SENTINEL RESET): it forgot the group's replicas, the other Sentinels and any failover in progress, and finds them again from the master's INFO and the Sentinels' hellos; until it has, it counts fewer usable Sentinels (CKQUORUM may answer NOQUORUM)`;
    case '+monitor': return `this Sentinel now monitors ${notice.group ?? '?'} (SENTINEL MONITOR), quorum ${notice.detail.replace(/^quorum /, '') || '?'}`;
    case '-monitor': return `this Sentinel no longer monitors ${notice.group ?? '?'} (SENTINEL REMOVE): it takes no part in its failovers, nor in their quorum and majority`;
    // Every other Sentinel, on a hello from a known run id at a new address (sentinel.c sentinelProcessHelloMessage):
    // "master <name> <ip> <port> ip <new ip> port <new port> for <run id>".
    case '+sentinel-address-switch': return `${notice.group ?? '?'}: ${describeAddressSwitch(notice.detail)}`;
    case '+tilt': return 'entered TILT mode (its clock or event loop jumped): it acts on nothing for 30 s';
    case '-tilt': return 'left TILT mode';
    default: return null;
  }
}

/** "ip 127.0.0.1 port 40001 for <run id>" as what it means for the group. */
function describeAddressSwitch(detail: string): string {
  const moved = /^ip (\S+) port (\d+) for (\w+)$/.exec(detail);
  if (!moved) return `a known Sentinel now announces another address (${detail})`;
  return `the Sentinel with run id ${moved[3]!.slice(0, 8)} now announces ${moved[1]}:${moved[2]} (same myid, new address: it moved or restarted elsewhere with its config); this Sentinel replaced its old address and still counts it once among the voters`;
}

/** Options whose value a +set notice must not show (a password; newer Sentinels print ****** themselves). */
const SECRET_OPTIONS = new Set(['auth-pass']);

/** "quorum 3" as "quorum set to 3"; a secret option's value is never repeated. */
function describeSet(detail: string): string {
  const [option = '?', ...value] = detail.split(' ');
  if (value.length === 0) return `${option} set`;
  return SECRET_OPTIONS.has(option.toLowerCase()) ? `${option} changed (value not shown)` : `${option} set to ${value.join(' ')}`;
}

/** The notice's text as it may be shown or kept: a +set of a secret option loses its value. */
export function shownNoticeText(notice: SentinelNotice): string {
  if (notice.channel !== '+set') return notice.text;
  const option = notice.detail.split(' ')[0] ?? '';
  return SECRET_OPTIONS.has(option.toLowerCase()) ? notice.text.slice(0, notice.text.length - notice.detail.length) + `${option} ******` : notice.text;
}

/**
 * Notices a Sentinel publishes about a command run on it (SENTINEL SET,
 * RESET, MONITOR, REMOVE): only that Sentinel publishes them, once each,
 * unlike failover and health notices, which every Sentinel publishes.
 */
export function isOwnCommandNotice(channel: string): boolean {
  return channel === '+set' || channel === '+reset-master' || channel === '+monitor' || channel === '-monitor';
}

/**
 * Notices that are steps of a failover Sentinel runs (as opposed to health
 * notices). A '+vote-for-leader' is one: Sentinel votes only when asked by a
 * Sentinel that started a failover (its is-master-down-by-addr carries its
 * run id only then), or for itself as that failover's leader.
 */
export function isFailoverStep(channel: string): boolean {
  return /^\+(try-failover|vote-for-leader|elected-leader|selected-slave|promoted-slave|failover-|switch-master|convert-to-slave|fix-slave-config|slave-reconf-)|^-failover-abort-/.test(channel);
}

/**
 * The notices of one failover attempt, which only the Sentinel running it
 * publishes (sentinelStartFailover, sentinelFailoverWaitStart and the
 * failover state machine after it): its +try-failover, its election
 * (+elected-leader), its steps (+failover-state-*, +selected-slave,
 * +promoted-slave, +slave-reconf-*), its end (+failover-end,
 * +failover-end-for-timeout) or its abort (-failover-abort-*). Several
 * Sentinels can each run an attempt at the same master, one per epoch; seen
 * with three redis-sentinel 7.0.15 whose master's only replica has
 * replica-priority 0: each attempt by the Sentinel whose turn it was, every
 * 2 x failover-timeout, one Sentinel leading epochs 2 and 3. Not
 * +switch-master, which every Sentinel publishes as it learns the new
 * configuration, nor +vote-for-leader (each voter's own).
 */
export function isFailoverAttemptNotice(channel: string): boolean {
  return /^\+(try-failover|elected-leader|failover-state-|selected-slave|promoted-slave|failover-end|slave-reconf-)|^-failover-abort-/.test(channel);
}

/**
 * The notice that ends a Sentinel's failover attempt: +failover-end
 * (published also after +failover-end-for-timeout) or an abort
 * (-failover-abort-not-elected, -no-good-slave, -slave-timeout). Its next
 * attempt starts anew in a later epoch.
 */
export function endsFailoverAttempt(channel: string): boolean {
  return channel === '+failover-end' || channel.startsWith('-failover-abort-');
}
