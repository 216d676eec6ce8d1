/**
 * contentNamedBundle (main/console/demo/source-bundle.ts): the bundle is
 * named by its bytes, so building the same sources again (another process,
 * the next test file) reuses one file instead of leaving one per pid; what
 * dead processes left behind is pruned, and nothing a live process was given
 * is ever pruned under it. Other processes are real child processes running
 * the module bundled, on real files in a temporary directory.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { contentNamedBundle } from '../../main/console/demo/source-bundle';

const here = path.dirname(fileURLToPath(import.meta.url));

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A pid no process has (above Linux's pid_max limit of 2^22). */
const DEAD_PID = 2 ** 22 + 7;
const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

function scratch(): { root: string; src: string; out: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'source-bundle-'));
  dirs.push(root);
  const src = path.join(root, 'src');
  mkdirSync(src);
  writeFileSync(path.join(src, 'entry.ts'), "import { value } from './dep';\nconsole.log(value);\n");
  writeFileSync(path.join(src, 'dep.ts'), 'export const value: number = 1;\n');
  return { root, src, out: path.join(root, 'out') };
}

/** Files in `dir` whose name ends with `.mjs` (bundles, not temporary files). */
function bundlesIn(dir: string): string[] {
  return readdirSync(dir).filter((file) => file.endsWith('.mjs')).sort();
}

/**
 * A script for a child process (plain node) that calls contentNamedBundle,
 * through source-bundle.ts bundled into `root`, with an esbuild stand-in
 * whose output is `// <label>` (so each label is one version), `iterations`
 * times. After each call it checks that the file it was given exists with
 * those bytes, then makes the process look like a new one on sources left
 * for two hours (`--age`: sets every bundle of its version two hours back),
 * so the other child's builds prune around it. Prints `ok <count>` or the
 * first failure, and exits 1 on a failure.
 */
function childScript(root: string): string {
  const moduleFile = path.join(root, 'source-bundle.mjs');
  esbuild.buildSync({
    entryPoints: [path.resolve(here, '../../main/console/demo/source-bundle.ts')],
    bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent', outfile: moduleFile,
  });
  const script = path.join(root, 'child.mjs');
  writeFileSync(script, `
import { existsSync, readFileSync, readdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { contentNamedBundle } from ${JSON.stringify(moduleFile)};
const [dir, label, iterationsText, age] = process.argv.slice(2);
const bytes = Buffer.from('// ' + label + '\\n');
const builder = { buildSync: () => ({ outputFiles: [{ contents: bytes }] }) };
const old = new Date(Date.now() - ${TWO_HOURS_MS});
for (let i = 0; i < Number(iterationsText); i++) {
  let file;
  try {
    file = contentNamedBundle(builder, 'entry.ts', dir, 'w');
  } catch (failure) {
    console.log('threw at ' + i + ': ' + failure.message);
    process.exit(1);
  }
  if (!existsSync(file) || !readFileSync(file).equals(bytes)) {
    console.log('gone at ' + i + ': ' + path.basename(file));
    process.exit(1);
  }
  if (age === '--age') {
    const version = path.basename(file).slice(0, 'w-'.length + 16);
    for (const other of readdirSync(dir)) {
      if (!other.startsWith(version) || !other.endsWith('.mjs')) continue;
      try { utimesSync(path.join(dir, other), old, old); } catch {}
    }
  }
}
console.log('ok ' + iterationsText);
`);
  return script;
}

function runChild(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: output.trim() }));
  });
}

describe('contentNamedBundle', () => {
  it('gives the same file for the same sources, and a new one when a source changes', () => {
    const { src, out } = scratch();
    const entry = path.join(src, 'entry.ts');
    const first = contentNamedBundle(esbuild, entry, out, 'w');
    expect(contentNamedBundle(esbuild, entry, out, 'w')).toBe(first);
    const afterFirst = bundlesIn(out);
    writeFileSync(path.join(src, 'dep.ts'), 'export const value: number = 2;\n');
    const second = contentNamedBundle(esbuild, entry, out, 'w');
    expect(second).not.toBe(first);
    expect(readFileSync(second, 'utf8')).toContain('2');
    // The second version adds files; the first version's are all still there (this process lives).
    const added = bundlesIn(out).filter((file) => !afterFirst.includes(file));
    expect(added.length).toBe(afterFirst.length);
    expect(bundlesIn(out)).toEqual(expect.arrayContaining([...afterFirst, path.basename(second)]));
  });

  it('prunes what dead processes left and versions unused for an hour, and nothing else', () => {
    const { src, out } = scratch();
    mkdirSync(out);
    const leftovers = {
      deadPerPid: `w-${DEAD_PID}.mjs`,
      livePerPid: `w-${process.pid}.mjs`,
      deadTemp: `w-0123456789abcdef.mjs.${DEAD_PID}.tmp`,
      staleVersion: 'w-aaaaaaaaaaaaaaaa.mjs',
      recentVersion: 'w-bbbbbbbbbbbbbbbb.mjs',
      // A hash that happens to be all digits is a version, not a per-pid bundle.
      recentDigitsVersion: 'w-1234567890123456.mjs',
      otherName: `x-${DEAD_PID}.mjs`,
    };
    for (const file of Object.values(leftovers)) writeFileSync(path.join(out, file), '');
    const twoHoursAgo = new Date(Date.now() - TWO_HOURS_MS);
    utimesSync(path.join(out, leftovers.staleVersion), twoHoursAgo, twoHoursAgo);
    const bundle = contentNamedBundle(esbuild, path.join(src, 'entry.ts'), out, 'w');
    const ours = bundlesIn(out).filter((file) => file.startsWith(path.basename(bundle).slice(0, 'w-'.length + 16)));
    expect(ours).toContain(path.basename(bundle));
    expect(readdirSync(out).sort()).toEqual(
      [...ours, leftovers.livePerPid, leftovers.recentVersion, leftovers.recentDigitsVersion, leftovers.otherName].sort(),
    );
  });

  it('keeps the file a live process was given however long ago, while another process builds other sources', async () => {
    const { root, src, out } = scratch();
    const script = childScript(root);
    // This process is `npm run web`, started two hours ago: it built its bundle then, and starts workers from it later.
    const bundle = contentNamedBundle(esbuild, path.join(src, 'entry.ts'), out, 'w');
    const bytes = readFileSync(bundle);
    const twoHoursAgo = new Date(Date.now() - TWO_HOURS_MS);
    for (const file of readdirSync(out)) utimesSync(path.join(out, file), twoHoursAgo, twoHoursAgo);
    // Another process builds other sources into the same directory (a test run, a second `npm run web`).
    expect(await runChild(script, [out, 'other', '1', ''])).toEqual({ code: 0, output: 'ok 1' });
    expect(readFileSync(bundle)).toEqual(bytes);
  });

  it('never prunes a file under a live process that was given it, while two processes build and prune at once', async () => {
    const { root, out } = scratch();
    const script = childScript(root);
    mkdirSync(out);
    // Each child keeps making its own version look stale, so each build of the other prunes around it.
    const iterations = '3000';
    const [first, second] = await Promise.all([runChild(script, [out, 'first', iterations, '--age']), runChild(script, [out, 'second', iterations, '--age'])]);
    expect(first).toEqual({ code: 0, output: `ok ${iterations}` });
    expect(second).toEqual({ code: 0, output: `ok ${iterations}` });
  }, 120_000);
});
