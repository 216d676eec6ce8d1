/**
 * The import graph of a source folder and its strongly connected components.
 *
 * Edges come from TypeScript's own pre-processor (ts.preProcessFile): every
 * `import … from`, `export … from`, side-effect `import '…'`, `import('…')`
 * (dynamic, or in a type position) and `require('…')`. `import type` counts
 * like any other import: the question this graph answers is what a file may
 * reach, and a type import is as much a dependency of the code's shape as a
 * value import, even if the compiler erases it. Only relative specifiers are
 * followed (packages and node: builtins are outside the folder by
 * definition); a specifier resolves as TypeScript does for this project:
 * `x.ts`, `x.js` written for `x.ts`, then `x/index.ts`.
 *
 * Test files (*.test.ts) are left out: they may import anything.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, dirname, resolve, relative, sep } from 'node:path';
import ts from 'typescript';

export interface ImportGraph {
  /** Folder the graph was built from (absolute). */
  readonly root: string;
  /** File (path relative to `root`, '/'-separated) → files it imports, inside `root`. */
  readonly edges: ReadonlyMap<string, ReadonlySet<string>>;
}

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

function resolveRelative(fromFile: string, specifier: string): string | null {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  for (const candidate of candidates) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const toKey = (root: string, path: string): string => relative(root, path).split(sep).join('/');

/** Builds the graph of every non-test .ts file under `folder`. */
export function buildImportGraph(folder: string): ImportGraph {
  const root = resolve(folder);
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(root)) {
    const targets = new Set<string>();
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveRelative(file, fileName);
      if (target !== null && target.startsWith(root + sep)) targets.add(toKey(root, target));
    }
    edges.set(toKey(root, file), targets);
  }
  return { root, edges };
}

/**
 * Tarjan's algorithm, iterative (a deep import chain must not overflow the
 * stack). Returns every component of more than one file, and single files
 * that import themselves, largest first; each component's files sorted.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of graph.edges.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: Iterator<string> }> = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: (graph.edges.get(node) ?? new Set<string>()).values() });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const step = frame.next.next();
      if (!step.done) {
        const target = step.value;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = graph.edges.get(frame.node)?.has(frame.node) ?? false;
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  }
  return components.sort((a, b) => b.length - a.length);
}

/**
 * One import path from `from` to `to` (breadth first, so the shortest), or
 * null. Used to say *why* two files are in one circle.
 */
export function importPath(graph: ImportGraph, from: string, to: string): string[] | null {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head]!;
    if (current === to) {
      const path: string[] = [];
      for (let step: string | null = to; step !== null; step = previous.get(step) ?? null) path.unshift(step);
      return path;
    }
    for (const next of graph.edges.get(current) ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, current);
      queue.push(next);
    }
  }
  return null;
}
