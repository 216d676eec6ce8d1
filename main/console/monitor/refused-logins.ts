/**
 * Why a link stays down when its master refuses the replica's login.
 *
 * A replica retries its master about once a second (replicationCron). When
 * the master refuses it, the replica logs why and nothing in its INFO says
 * so (master_link_status:down, master_link_down_since_seconds growing), but
 * the master counts each refusal in INFO errorstats:
 *  - WRONGPASS: masteruser / masterauth rejected ("Unable to AUTH to MASTER:
 *    -WRONGPASS invalid username-password pair or user is disabled.");
 *  - NOAUTH: the master requires a password and the replica sends none
 *    ("Error reply to PING from master: '-NOAUTH Authentication required.'");
 *  - NOPERM: the masteruser may not run PSYNC / SYNC ("MASTER aborted
 *    replication with an error: NOPERM this user has no permissions to run
 *    the 'sync' command").
 * A rise of one of these on the master, between two of its answers, while a
 * link to it is down is put on that link. The counts are the master's, for
 * every client: the words say what rose and what to check, not that the
 * replica's log was read. A refusal seen within the last few seconds stays
 * the link's reason while the link stays down (two polls can fall between
 * two retries); an older one no longer explains the link.
 */
import { infoString, type InfoFields } from './info-fields';

const CODES = ['WRONGPASS', 'NOAUTH', 'NOPERM'] as const;
type Code = (typeof CODES)[number];

/** A refusal explains a link down for this long after the master's counter last rose (retries come every second). */
const REASON_KEPT_MS = 5_000;

interface Counts {
  readonly runId: string | null;
  readonly counts: Readonly<Record<Code, number>>;
}

function countOf(info: InfoFields, code: Code): number {
  const match = /(?:^|,)count=(\d+)/.exec(infoString(info, `errorstat_${code}`) ?? '');
  return match ? Number(match[1]) : 0;
}

function words(masterId: string, code: Code, rise: number): string {
  const seen = `${masterId} refused logins while this link was down, likely the replica's: its INFO errorstat_${code} rose by ${rise} since its previous answer (a replica retries about once a second)`;
  switch (code) {
    case 'WRONGPASS':
      return `${seen}; a replica so refused logs "Unable to AUTH to MASTER: -WRONGPASS". Check the replica's masteruser / masterauth against the master's users.`;
    case 'NOAUTH':
      return `${seen}; a replica so refused logs "-NOAUTH Authentication required.": the master requires a password the replica does not send. Set the replica's masterauth (and masteruser).`;
    case 'NOPERM':
      return `${seen}; a replica so refused logs "MASTER aborted replication with an error: NOPERM": its masteruser may not run PSYNC / SYNC there. Grant that user +psync (with +replconf and +ping).`;
  }
}

export class RefusedLogins {
  private readonly last = new Map<string, Counts>();
  /** Per master: the codes that rose at its latest answer, with the rise, and when. */
  private readonly risen = new Map<string, { time: number; rises: ReadonlyArray<readonly [Code, number]> }>();
  private readonly reasons = new Map<string, { time: number; text: string }>();
  /** Per link: when it was last seen not down (a rise before that is not its). */
  private readonly notDownAt = new Map<string, number>();

  /** Reads a master's fresh answer (not a stale repeat): the refusals it counted since its previous one. */
  noteMaster(masterId: string, info: InfoFields, time: number): void {
    const runId = infoString(info, 'run_id');
    const counts = Object.fromEntries(CODES.map((code) => [code, countOf(info, code)])) as Record<Code, number>;
    const previous = this.last.get(masterId);
    this.last.set(masterId, { runId, counts });
    // A restart (new run_id) or CONFIG RESETSTAT starts the counts again: no rise to read then.
    if (previous === undefined || previous.runId !== runId) return;
    const rises = CODES.map((code) => [code, counts[code] - previous.counts[code]] as const).filter(([, rise]) => rise > 0);
    if (rises.length > 0) this.risen.set(masterId, { time, rises });
  }

  /**
   * The reason a link down is put down to a refused login, or null. `down`: the replica answered this poll
   * with its link down. A rise the master counted after the link was last seen not down is the link's,
   * and stays its reason for REASON_KEPT_MS.
   */
  reason(linkId: string, masterId: string, down: boolean, time: number): string | null {
    if (!down) {
      this.notDownAt.set(linkId, time);
      this.reasons.delete(linkId);
      return null;
    }
    const risen = this.risen.get(masterId);
    const kept = this.reasons.get(linkId);
    if (risen !== undefined && risen.time > (this.notDownAt.get(linkId) ?? -Infinity) && (kept === undefined || risen.time > kept.time)) {
      // NOPERM comes after a login that worked, WRONGPASS and NOAUTH instead of it: name the login's refusal first.
      const [code, rise] = risen.rises.find(([candidate]) => candidate !== 'NOPERM') ?? risen.rises[0]!;
      this.reasons.set(linkId, { time: risen.time, text: words(masterId, code, rise) });
    }
    const reason = this.reasons.get(linkId);
    return reason !== undefined && time - reason.time <= REASON_KEPT_MS ? reason.text : null;
  }
}
