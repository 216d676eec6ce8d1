/**
 * The README table rows printed from saved bench runs (bench/lib/readme-rows.ts):
 * each figure's value per run in run order, a miss in bold and never printed
 * so rounded that it reads as met, and the runs' command, commit and times.
 */
import { describe, expect, it } from 'vitest';
import { readmeRows, runsText, type BenchRun } from '../../bench/lib/readme-rows';
import { boundRow, ratioRow, referenceRow } from '../../bench/lib/report';

const COMMAND = 'npm run bench -- throughput=SET,HSET replication';

function run(started: string, set: number, hsetPipelined: number | null, lagKb: number): BenchRun {
  return {
    time: started.replace(':33:', ':39:'),
    started,
    commit: '8053689',
    uncommitted: false,
    command: COMMAND,
    rows: [
      ratioRow('throughput', 'SET', 'req/s', set * 100_000, 100_000, { min: 0.95 }),
      ...(hsetPipelined === null ? [] : [ratioRow('throughput', 'HSET -P 16', 'req/s', hsetPipelined * 1_000_000, 1_000_000, { min: 0.85 })]),
      referenceRow('throughput', 'server CPU per request, HSET -P 16 (lower is better)', 'ns', 980, 780),
      boundRow('replication', 'replica byte lag p99 under SET load (ours->ours)', 'KB', lagKb, { below: 64 }),
    ],
  };
}

describe('README rows from bench runs', () => {
  it('puts three runs of one figure in one row, misses in bold, with the runs named once per row', () => {
    const text = readmeRows([
      run('2026-12-07T23:33:10.000Z', 1.04, 0.848, 3.1),
      run('2026-12-07T23:40:02.000Z', 0.94, 0.76, 12.0),
      run('2026-12-07T23:47:45.000Z', 1.06, 0.58, 70.25),
    ]);
    const where = `3 runs of \`${COMMAND}\` on 8053689, 2026-12-07 at 23:33, 23:40 and 23:47 UTC`;
    expect(text.split('\n')).toEqual([
      '| figure | latest result | target |',
      '|---|---|---|',
      `| throughput: SET | 1.04 / **0.94** / 1.06x (${where}) | ≥ 0.95x |`,
      `| throughput: HSET -P 16 | **0.848** / **0.76** / **0.58**x (${where}) | ≥ 0.85x |`,
      `| throughput: server CPU per request, HSET -P 16 (lower is better) | 1.26 / 1.26 / 1.26x (${where}) | – |`,
      `| replication: replica byte lag p99 under SET load (ours->ours) | 3.10 / 12.00 / **70.25** KB (${where}) | < 64 KB |`,
    ]);
  });

  it('prints a miss with the decimals it takes to read as a miss, and a met figure at its bound as met', () => {
    const text = readmeRows([run('2026-12-07T23:33:10.000Z', 0.9496, 0.85, 63.999)]);
    expect(text).toContain('| throughput: SET | **0.9496**x (one run of');
    expect(text).toContain('| throughput: HSET -P 16 | 0.85x (one run of');
    expect(text).toContain('| 63.999 KB (one run of');
    expect(readmeRows([run('2026-12-07T23:33:10.000Z', 1, 1, 64)])).toContain('| **64.00** KB (one run of');
  });

  it('marks a figure one run lacks, and names differing dates, commits and a dirty tree', () => {
    const late = { ...run('2026-12-08T00:05:00.000Z', 1.01, null, 3), commit: 'b3fb26c', uncommitted: true };
    const text = readmeRows([run('2026-12-07T23:33:10.000Z', 1.04, 0.9, 3), late]);
    expect(text).toContain('| throughput: HSET -P 16 | 0.90 / –x (2 runs of');
    expect(runsText([run('2026-12-07T23:33:10.000Z', 1, 1, 1), late])).toBe(
      `2 runs of \`${COMMAND}\` on 8053689 / b3fb26c with uncommitted changes, 2026-12-07 23:33 and 2026-12-08 00:05 UTC`,
    );
  });

  it('reads a run saved before runs recorded their commit and command', () => {
    const old: BenchRun = { time: '2026-12-07T22:16:34.285Z', rows: [ratioRow('memory', '1M keys x 16-byte values, RSS', 'MB', 172.82, 113.68, { max: 2.5 })] };
    expect(readmeRows([old]).split('\n')[2]).toBe(
      '| memory: 1M keys x 16-byte values, RSS | 1.52x (one run of a command not recorded on a commit not recorded, 2026-12-07 at 22:16 UTC) | ≤ 2.5x |',
    );
  });
});
