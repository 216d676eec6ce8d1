/**
 * Redis's pqsort (pqsort.c): the Bentley-McIlroy quicksort of the BSD libc
 * that only recurses into parts overlapping the index range [first, last],
 * so that range ends up sorted and the rest is left partitioned.
 *
 * GEORADIUS/GEOSEARCH with COUNT (without ANY) sort their matches with it
 * when COUNT is below the number of matches. It is not stable, and which of
 * several equally distant members (the same point added under several
 * names) make the cut, and in which order, follows its exact sequence of
 * swaps, so this follows it step for step: median of three (of nine past 40
 * elements) as pivot, moved to the front; a three-way partition that
 * gathers the pivot's equals at both ends and swaps them to the middle;
 * insertion sort below 7 elements; the right part iterated, not recursed.
 * (The full sort, when COUNT is not below the number of matches, is
 * glibc's qsort: a merge sort, i.e. Array.prototype.sort.)
 */

type Compare<T> = (a: T, b: T) => number;

export function partialQuicksort<T>(items: T[], compare: Compare<T>, first: number, last: number): void {
  sortPart(items, 0, items.length, compare, first, last);
}

function swap<T>(items: T[], i: number, j: number): void {
  const held = items[i]!;
  items[i] = items[j]!;
  items[j] = held;
}

/** Swaps the n elements from i with the n from j, pairwise in order (vecswap). */
function swapRuns<T>(items: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(items, i + k, j + k);
}

function medianOfThree<T>(items: T[], a: number, b: number, c: number, compare: Compare<T>): number {
  const [x, y, z] = [items[a]!, items[b]!, items[c]!];
  return compare(x, y) < 0
    ? (compare(y, z) < 0 ? b : (compare(x, z) < 0 ? c : a))
    : (compare(y, z) > 0 ? b : (compare(x, z) < 0 ? a : c));
}

/** Does [first, last] overlap the part of `count` elements from `start`? */
function overlaps(start: number, count: number, first: number, last: number): boolean {
  return !((first < start && last < start) || (first >= start + count && last >= start + count));
}

function sortPart<T>(items: T[], start: number, n: number, compare: Compare<T>, first: number, last: number): void {
  for (;;) {
    if (n < 7) {
      for (let m = start + 1; m < start + n; m++) {
        for (let l = m; l > start && compare(items[l - 1]!, items[l]!) > 0; l--) swap(items, l, l - 1);
      }
      return;
    }
    let middle = start + Math.floor(n / 2);
    if (n > 7) {
      let low = start;
      let high = start + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        low = medianOfThree(items, low, low + d, low + 2 * d, compare);
        middle = medianOfThree(items, middle - d, middle, middle + d, compare);
        high = medianOfThree(items, high - 2 * d, high - d, high, compare);
      }
      middle = medianOfThree(items, low, middle, high, compare);
    }
    swap(items, start, middle);
    // [start+1, a): equal to the pivot; [a, b): less; (c, d]: greater; (d, end): equal.
    let a = start + 1;
    let b = a;
    let c = start + n - 1;
    let d = c;
    for (;;) {
      let order = 0;
      while (b <= c && (order = compare(items[b]!, items[start]!)) <= 0) {
        if (order === 0) swap(items, a++, b);
        b++;
      }
      while (b <= c && (order = compare(items[c]!, items[start]!)) >= 0) {
        if (order === 0) swap(items, c, d--);
        c--;
      }
      if (b > c) break;
      swap(items, b++, c--);
    }
    const end = start + n;
    let run = Math.min(a - start, b - a);
    swapRuns(items, start, b - run, run);
    run = Math.min(d - c, end - d - 1);
    swapRuns(items, b, end - run, run);
    const less = b - a;
    if (less > 1 && overlaps(start, less, first, last)) sortPart(items, start, less, compare, first, last);
    const greater = d - c;
    if (greater <= 1) return;
    start = end - greater;
    n = greater;
    if (!overlaps(start, n, first, last)) return;
  }
}
