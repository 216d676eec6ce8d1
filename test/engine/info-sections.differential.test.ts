/**
 * INFO against redis-server: the same section headers ("# CPU", not
 * "# Cpu") and the same field names in the same order, for the default
 * reply, "all", "everything" and each section asked alone. Values are
 * the nodes' own figures and are not compared; the sections whose fields
 * name the commands and errors seen so far (commandstats, errorstats,
 * latencystats) are compared by header only.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { type Step } from '../support/differential';
import { parseReply } from '../support/resp-reply-parser';

const peers = differentialPair();

const PER_COMMAND_SECTIONS = new Set(['# Commandstats', '# Errorstats', '# Latencystats']);

/** Headers and field names of an INFO reply, one per line, values dropped. */
function fieldNames(raw: Buffer): string {
  const parsed = parseReply(raw);
  const text = parsed && typeof parsed.value === 'string' ? parsed.value : Buffer.isBuffer(parsed?.value) ? parsed.value.toString() : raw.toString();
  const out: string[] = [];
  // RESP3 sends INFO as a verbatim string: its "txt:" format prefix is not part of the text.
  const body = text.replace(/^txt:/, '');
  let skipping = false;
  for (const line of body.split('\r\n')) {
    if (line.startsWith('#')) {
      skipping = PER_COMMAND_SECTIONS.has(line);
      out.push(line);
    } else if (line !== '' && !skipping) {
      out.push(line.split(':')[0]!);
    }
  }
  return out.join('\n');
}

const SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace', 'commandstats', 'latencystats'];

/** INFO server's os line ("Linux <release> x86_64": uname's machine) and whether server_time_usec has microseconds. */
function osAndClock(raw: Buffer): string {
  const text = raw.toString('latin1');
  const micros = /server_time_usec:(\d+)/.exec(text)?.[1] ?? '';
  return `${/os:[^\r]*/.exec(text)?.[0]} ${micros.length} digits`;
}

describe('INFO sections match redis-server', () => {
  it('names the machine as uname does and gives the server time in microseconds', async () => {
    // Ten reads: a microsecond clock ends in 000 one time in a thousand, a millisecond one always.
    const steps: Step[] = Array.from({ length: 10 }, () => ({ cmd: ['INFO', 'server'], compare: osAndClock }));
    expect(await peers.compare(steps)).toEqual([]);
    const micros = await Promise.all(Array.from({ length: 10 }, async () => /server_time_usec:(\d+)/.exec(String(await peers.ours.call('INFO', 'server')))?.[1] ?? ''));
    expect(micros.every((value) => value.endsWith('000'))).toBe(false);
  });

  it.each([2, 3] as const)('RESP%i: headers and field names', async (protocol) => {
    const steps: Step[] = [[], ['default'], ['all'], ['everything'], ['CPU'], ['server', 'cpu'], ...SECTIONS.map((name) => [name])]
      .map((args) => ({ cmd: ['INFO', ...args], compare: fieldNames }));
    expect(await peers.compare(steps, protocol)).toEqual([]);
  });
});
