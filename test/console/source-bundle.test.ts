/**
 * contentNamedBundle (main/console/demo/source-bundle.ts): the bundle is
 * named by its bytes, so building the same sources again (another process,
 * the next test file) reuses one file instead of leaving one per pid; what
 * dead processes left behind is pruned.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { contentNamedBundle } from '../../main/console/demo/source-bundle';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A pid no process has (above Linux's pid_max limit of 2^22). */
const DEAD_PID = 2 ** 22 + 7;

function scratch(): { src: string; out: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'source-bundle-'));
  dirs.push(root);
  const src = path.join(root, 'src');
  mkdirSync(src);
  writeFileSync(path.join(src, 'entry.ts'), "import { value } from './dep';\nconsole.log(value);\n");
  writeFileSync(path.join(src, 'dep.ts'), 'export const value: number = 1;\n');
  return { src, out: path.join(root, 'out') };
}

describe('contentNamedBundle', () => {
  it('gives the same file for the same sources, and a new one when a source changes', () => {
    const { src, out } = scratch();
    const entry = path.join(src, 'entry.ts');
    const first = contentNamedBundle(esbuild, entry, out, 'w');
    expect(contentNamedBundle(esbuild, entry, out, 'w')).toBe(first);
    expect(readdirSync(out)).toEqual([path.basename(first)]);
    writeFileSync(path.join(src, 'dep.ts'), 'export const value: number = 2;\n');
    const second = contentNamedBundle(esbuild, entry, out, 'w');
    expect(second).not.toBe(first);
    expect(readdirSync(out).sort()).toEqual([path.basename(first), path.basename(second)].sort());
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
      otherName: `x-${DEAD_PID}.mjs`,
    };
    for (const file of Object.values(leftovers)) writeFileSync(path.join(out, file), '');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(path.join(out, leftovers.staleVersion), twoHoursAgo, twoHoursAgo);
    const bundle = contentNamedBundle(esbuild, path.join(src, 'entry.ts'), out, 'w');
    expect(readdirSync(out).sort()).toEqual([path.basename(bundle), leftovers.livePerPid, leftovers.recentVersion, leftovers.otherName].sort());
  });
});
