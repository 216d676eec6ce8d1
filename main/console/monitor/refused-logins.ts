/**
 * Why a link may stay down: its master refusing logins.
 *
 * A replica whose master refuses it logs why and nothing in its INFO says so
 * (master_link_status:down, master_link_down_since_seconds growing), but the
 * master counts each refusal in INFO errorstats. What redis-server 7.0.15
 * replicas log:
 *  - WRONGPASS: masteruser / masterauth rejected ("Unable to AUTH to MASTER:
 *    -WRONGPASS invalid username-password pair or user is disabled."). The
 *    replica drops the link and retries on its replication cron, about once
 *    a second: one WRONGPASS per attempt (and, under requirepass, the
 *    NOAUTH of the PING and REPLCONFs sent before the AUTH reply is read);
 *  - NOAUTH: the master requires a password and the replica sends none. 7.0
 *    takes -NOAUTH as a reply to PING ("Master replied to PING, replication
 *    can continue..."), then logs "(Non critical) Master does not understand
 *    REPLCONF listening-port: -NOAUTH Authentication required.", "Unexpected
 *    reply to PSYNC from master: -NOAUTH ...", "Retrying with SYNC..." and
 *    "MASTER aborted replication with an error: NOAUTH Authentication
 *    required.", and reconnects at once: about five NOAUTH per attempt, and
 *    hundreds of attempts a second (both measured against real 7.0.15 pairs).
 * The counts are the master's, for every client: an application with wrong
 * credentials counts the same WRONGPASS / NOAUTH. So a rise while a link to
 * that master is down is reported as what it is, the master refusing logins
 * from some client, which may be the replica's: no cause is pinned on the
 * replica and no remedy is given (confirming it would take the master's ACL
 * LOG, which the console does not read). NOPERM is left out: any client's
 * key or command denial counts there. A rise seen within the last few
 * seconds stays the link's note while the link stays down (two polls can
 * fall between two attempts); an older one no longer explains the link.
 */
import { infoString, type InfoFields } from './info-fields';

const CODES = ['WRONGPASS', 'NOAUTH'] as const;
type Code = (typeof CODES)[number];

/**
 * A refusal explains a link down for this long after the master's counter last rose: a replica refused
 * with WRONGPASS retries only about once a second (NOAUTH: at once, many times a second), so polls can
 * fall between two of its attempts.
 */
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
  const seen = `${masterId} refused logins while this link was down: its INFO errorstat_${code} rose by ${rise} since its previous answer. The master counts every client's refusals, so they may be this replica's or another client's`;
  switch (code) {
    case 'WRONGPASS':
      return `${seen}; if they are the replica's, its log says "Unable to AUTH to MASTER: -WRONGPASS".`;
    case 'NOAUTH':
      return `${seen}; if they are the replica's, its log says "MASTER aborted replication with an error: NOAUTH Authentication required.".`;
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
      const [code, rise] = risen.rises[0]!;
      this.reasons.set(linkId, { time: risen.time, text: words(masterId, code, rise) });
    }
    const reason = this.reasons.get(linkId);
    return reason !== undefined && time - reason.time <= REASON_KEPT_MS ? reason.text : null;
  }
}
