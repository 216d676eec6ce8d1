/**
 * The headline of a failed connection test. A server that answered with an
 * error (WRONGPASS, NOAUTH, NOPERM, DENIED, LOADING, BUSY, a refused
 * master group name...) was reached (the result's `reachable` says so):
 * saying "Not reachable." sends the operator after firewalls and ports when
 * the password is what is wrong. For those kinds the headline says what the
 * server did, and the form shows the server's own reply word for word
 * (`answeredByServer`, shared with main, which sets `reachable` by it).
 */
import type { ConnectionProblem, ServerAnswerKind } from '../api/contract';
import { answeredByServer } from '../api/contract';

export { answeredByServer };

/** What the server did, for each kind where it answered with an error. */
const ANSWERED: Readonly<Record<ServerAnswerKind, string>> = {
  'wrong-password': 'Reachable, but the credentials were refused.',
  'password-required': 'Reachable, but it requires a password.',
  'password-not-needed': 'Reachable, but it refused the password: it has none set.',
  'no-permission': 'Reachable, but the ACL user lacks a permission.',
  'protected-mode': 'Reachable, but it refused the connection (protected mode).',
  loading: 'Reachable, but still loading its dataset.',
  busy: 'Reachable, but busy running a script.',
  'max-clients': 'Reachable, but it refuses new clients (maxclients).',
  'not-a-sentinel': 'Reachable, but not a Sentinel.',
  'unknown-master-group': 'Reachable, but no such master group.',
};

/** The words before the problem's summary in the test result line. */
export function testHeadline(problem: ConnectionProblem, reachable: boolean): string {
  if (answeredByServer(problem)) return ANSWERED[problem.kind as ServerAnswerKind];
  return reachable ? 'Reachable, but' : 'Not reachable.';
}
