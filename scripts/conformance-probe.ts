/**
 * Ad-hoc differential probe: runs the redis-cli style lines of a file
 * against a fresh redis-server and our engine (RESP2, then RESP3) and
 * prints every reply that differs. A line may start with a compare mode:
 * "~" unordered, "?" shape only, "!" not compared; "#" lines are comments.
 *
 *   npx tsx scripts/conformance-probe.ts <file> [--protocol 2|3|both]
 */
import { readFileSync } from 'node:fs';
import { startRedisServer, stopAllRedisServers } from '../test/support/redis-server';
import { startEngine, stopAllEngines } from '../test/support/engine';
import { runDifferential, type Compare, type Step } from '../test/support/differential';

/** Splits a line like redis-cli does: spaces separate, "..." quotes with \n \xHH escapes. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of line.matchAll(re)) {
    if (match[2] !== undefined) out.push(match[2]);
    else out.push(match[1]!.replace(/\\x([0-9a-fA-F]{2})|\\(.)/g, (_m, hex: string | undefined, ch: string) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch)));
  }
  return out;
}

const modes: Record<string, Compare> = { '~': 'unordered', '?': 'shape', '!': 'ignore' };
const file = process.argv[2];
if (!file) throw new Error('usage: conformance-probe.ts <file>');
const at = process.argv.indexOf('--protocol');
const which = at >= 0 ? process.argv[at + 1] : 'both';
const protocols: Array<2 | 3> = which === '2' ? [2] : which === '3' ? [3] : [2, 3];
const steps: Step[] = [];
const lines: string[] = [];
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const trimmed = line.trim();
  if (!trimmed || trimmed.startsWith('#')) continue;
  const mode = modes[trimmed[0]!];
  lines.push(trimmed);
  // Each word as bytes (one char per byte), so \xHH escapes past 0x7f are sent as one byte.
  steps.push({ cmd: words(mode ? trimmed.slice(1) : trimmed).map((word) => Buffer.from(word, 'latin1')), ...(mode ? { compare: mode } : {}) });
}
const [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
try {
  for (const protocol of protocols) {
    const mismatches = await runDifferential(redis, ours, steps, protocol);
    for (const m of mismatches) console.log(`RESP${protocol} #${m.index} ${lines[m.index]?.slice(0, 200)}\n  redis: ${m.redis}\n  ours:  ${m.ours}`);
    console.log(`RESP${protocol}: ${mismatches.length} of ${steps.length} differ`);
  }
} finally {
  await stopAllRedisServers();
  await stopAllEngines();
}
