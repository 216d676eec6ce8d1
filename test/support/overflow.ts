/**
 * Finds elements of the page on screen that overflow their box (see
 * overflow-scan.browser.js for what counts), minus the allowances a test
 * lists: a selector and the reason that element may overflow by design.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export interface OverflowAllowance {
  /** CSS selector of the elements allowed to overflow. */
  readonly selector: string;
  /** Why they may (they scroll, pan or clip by design). */
  readonly reason: string;
}

export interface Overflow {
  /** The element and up to three ancestors (tag, data-testid, classes). */
  readonly where: string;
  /** x: wider than its box; y: taller than a clipping box; select: narrower than its widest option; placeholder: the placeholder does not fit. */
  readonly axis: 'x' | 'y' | 'select' | 'placeholder';
  /** Content size and box size, CSS pixels. */
  readonly content: number;
  readonly box: number;
  readonly text: string;
}

/** The scan function's source (the file holds one exported function after its comments), as an expression. */
const SCAN_SOURCE = readFileSync(path.join(import.meta.dirname, 'overflow-scan.browser.js'), 'utf8').replace(/^[\s\S]*?export function/, 'function');

/**
 * Evaluated through the DevTools protocol (Runtime.evaluate), which the
 * page's CSP does not apply to: nothing is eval'ed by the page itself.
 */
export async function findOverflows(page: Page, allowances: readonly OverflowAllowance[]): Promise<Overflow[]> {
  return (await page.evaluate(`(${SCAN_SOURCE})(${JSON.stringify(allowances)})`)) as Overflow[];
}

/** One line per offender, for a failure message. */
export function describeOverflows(overflows: readonly Overflow[]): string {
  return overflows.map((overflow) => `${overflow.where}: ${overflow.axis} ${overflow.content} > ${overflow.box} px ("${overflow.text}")`).join('\n');
}
