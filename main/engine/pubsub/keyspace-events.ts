/**
 * Keyspace notifications (notify.c): when a command changes a key, the node
 * publishes through the ordinary pub/sub
 *
 *     __keyspace@<db>__:<key>    -> <event>     (class K)
 *     __keyevent@<db>__:<event>  -> <key>       (class E)
 *
 * for the event classes enabled by `notify-keyspace-events`. Commands call
 * CommandContext.notifyKeyspaceEvent with Redis's class and event name (the
 * names are the protocol: clients match on them), right after the change
 * and in the order Redis emits them.
 *
 * Cost when off: `flags` is 0, so every call site pays one AND of two small
 * integers and returns. Nothing is allocated before that check.
 */
import type { PubSub } from './pubsub';
import { cString } from '../util/c-string';

/** Event classes (server.h NOTIFY_*); each is one letter of the config string. */
export const NotifyType = {
  /** K: publish on __keyspace@<db>__:<key>. */
  KEYSPACE: 1 << 0,
  /** E: publish on __keyevent@<db>__:<event>. */
  KEYEVENT: 1 << 1,
  /** g: generic commands (DEL, EXPIRE, RENAME, ...). */
  GENERIC: 1 << 2,
  /** $: string commands. */
  STRING: 1 << 3,
  /** l: list commands. */
  LIST: 1 << 4,
  /** s: set commands. */
  SET: 1 << 5,
  /** h: hash commands. */
  HASH: 1 << 6,
  /** z: sorted set commands. */
  ZSET: 1 << 7,
  /** x: a key expired (lazily on access or by the active cycle). */
  EXPIRED: 1 << 8,
  /** e: a key was evicted by maxmemory. */
  EVICTED: 1 << 9,
  /** t: stream commands. */
  STREAM: 1 << 10,
  /** m: a read found no key (excluded from A on purpose: it is noisy). */
  KEY_MISS: 1 << 11,
  /** d: module events (no modules here; the letter is accepted and kept). */
  MODULE: 1 << 13,
  /** n: a key was created (dbAdd). Excluded from A. */
  NEW: 1 << 14,
} as const;

export type NotifyClass = (typeof NotifyType)[keyof typeof NotifyType];

/** A: every data class, without m and n (as Redis defines NOTIFY_ALL). */
export const NOTIFY_ALL =
  NotifyType.GENERIC | NotifyType.STRING | NotifyType.LIST | NotifyType.SET | NotifyType.HASH |
  NotifyType.ZSET | NotifyType.EXPIRED | NotifyType.EVICTED | NotifyType.STREAM | NotifyType.MODULE;

const LETTER_FLAGS: Readonly<Record<string, number>> = {
  A: NOTIFY_ALL,
  g: NotifyType.GENERIC,
  $: NotifyType.STRING,
  l: NotifyType.LIST,
  s: NotifyType.SET,
  h: NotifyType.HASH,
  z: NotifyType.ZSET,
  x: NotifyType.EXPIRED,
  e: NotifyType.EVICTED,
  K: NotifyType.KEYSPACE,
  E: NotifyType.KEYEVENT,
  t: NotifyType.STREAM,
  m: NotifyType.KEY_MISS,
  d: NotifyType.MODULE,
  n: NotifyType.NEW,
};

/** Letters of the data classes in the order CONFIG GET prints them (when not all of A). */
const DATA_CLASS_LETTERS: ReadonlyArray<readonly [number, string]> = [
  [NotifyType.GENERIC, 'g'], [NotifyType.STRING, '$'], [NotifyType.LIST, 'l'], [NotifyType.SET, 's'],
  [NotifyType.HASH, 'h'], [NotifyType.ZSET, 'z'], [NotifyType.EXPIRED, 'x'], [NotifyType.EVICTED, 'e'],
  [NotifyType.STREAM, 't'], [NotifyType.MODULE, 'd'], [NotifyType.NEW, 'n'],
];

export const INVALID_EVENT_CLASS = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** keyspaceEventsStringToFlags: the OR of the letters' classes, or null for an unknown letter. */
export function parseKeyspaceEventClasses(classes: string): number | null {
  let flags = 0;
  for (const letter of classes) {
    const flag = LETTER_FLAGS[letter];
    if (flag === undefined) return null;
    flags |= flag;
  }
  return flags;
}

/**
 * keyspaceEventsFlagsToString: Redis's canonical spelling, which CONFIG GET
 * returns: "A" when every data class is on, else the data letters in a fixed
 * order; then K, E and m. So "KA" reads back as "AK", "gKE" as "gKE".
 */
export function formatKeyspaceEventClasses(flags: number): string {
  let text = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    text = 'A';
    // n is outside A, and Redis prints nothing for it then (its "else" branch holds every letter).
  } else {
    for (const [flag, letter] of DATA_CLASS_LETTERS) if (flags & flag) text += letter;
  }
  if (flags & NotifyType.KEYSPACE) text += 'K';
  if (flags & NotifyType.KEYEVENT) text += 'E';
  if (flags & NotifyType.KEY_MISS) text += 'm';
  return text;
}

/**
 * The CONFIG parser of notify-keyspace-events. The stored form spells every
 * enabled class with its own letter (no "A"), so nothing is lost: Redis's
 * printed form drops "n" next to "A" while the class stays on. The letters
 * end at a NUL (keyspaceEventsStringToFlags walks a C string).
 */
export function parseNotifyKeyspaceEventsConfig(value: string): { value: string } | { error: string } {
  const flags = parseKeyspaceEventClasses(cString(value));
  if (flags === null) return { error: INVALID_EVENT_CLASS };
  let stored = '';
  for (const [letter, flag] of Object.entries(LETTER_FLAGS)) if (letter !== 'A' && flags & flag) stored += letter;
  return { value: stored };
}

/** CONFIG GET's form of the stored value (Redis's canonical string). */
export function formatNotifyKeyspaceEventsConfig(stored: string): string {
  return formatKeyspaceEventClasses(parseKeyspaceEventClasses(stored) ?? 0);
}

export class KeyspaceEvents {
  /**
   * The enabled classes (server.notify_keyspace_events). 0 when
   * notifications are off: callers test `flags & type` before anything else.
   */
  flags = 0;

  constructor(private readonly pubsub: PubSub) {}

  /** Sets the classes from the config string (already validated). */
  configure(classes: string): void {
    this.flags = parseKeyspaceEventClasses(classes) ?? 0;
  }

  /** True when events of this class are published. */
  enabled(type: number): boolean {
    return (this.flags & type) !== 0;
  }

  /**
   * notifyKeyspaceEvent: publishes the keyspace message, then the keyevent
   * message, each only when its channel kind (K, E) is enabled. With nobody
   * subscribed to any channel or pattern the messages would reach no one
   * (and publishing them counts nothing), so their channel names are not
   * even built: enabled classes then cost a write one more test, not ~180 ns
   * (bench/command-cost.ts).
   */
  notify(type: number, event: string, key: string, dbIndex: number): void {
    const flags = this.flags;
    if ((flags & type) === 0 || !this.pubsub.hasListeners) return;
    if (flags & NotifyType.KEYSPACE) this.pubsub.publish(`__keyspace@${dbIndex}__:${key}`, event);
    if (flags & NotifyType.KEYEVENT) this.pubsub.publish(`__keyevent@${dbIndex}__:${event}`, key);
  }
}
