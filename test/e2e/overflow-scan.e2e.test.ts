/**
 * The overflow scan itself, in Chromium on a page made for it: it reports
 * each kind of overflow it claims to find, and lets through only what is
 * truncated on purpose or listed as an allowance. (The layout e2e relies on
 * it finding nothing; this proves it would find something.)
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOverflows } from '../support/overflow';
import { launchChromium } from '../support/web-console';

let browser: Browser;
let page: Page;

const FIXTURE = `<!doctype html><html><head><style>
  body { font: 14px sans-serif; margin: 0; width: 800px; }
  .box { width: 120px; }
  .clip { width: 300px; height: 20px; overflow: hidden; }
  .cut { width: 80px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .scroller { width: 100px; overflow-x: auto; }
  select { width: 90px; }
  input { width: 90px; }
  .fits select, .fits input { width: auto; }
</style></head><body>
  <div class="box" id="wide"><span style="white-space: nowrap">a line of text far wider than its box</span></div>
  <div class="clip" id="clipped">one line<br>a second line that is cut off</div>
  <div class="cut" id="untitled">truncated without the full text anywhere</div>
  <div class="cut" id="titled" title="truncated with the full text in its title">truncated with the full text in its title</div>
  <div class="scroller" id="scroller"><div style="width: 400px">a strip that scrolls by design</div></div>
  <select id="narrow"><option>an option longer than the select</option><option>short</option></select>
  <input id="placeholder" placeholder="a placeholder longer than the field">
  <div class="fits"><select id="natural"><option>an option longer than the select</option></select><input id="roomy" size="40" placeholder="fits"></div>
  <div style="display: none"><div class="box"><span style="white-space: nowrap">hidden, so never reported, however wide it is</span></div></div>
</body></html>`;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  await page.setContent(FIXTURE);
});

afterAll(async () => {
  await browser?.close();
});

describe('the overflow scan', () => {
  it('reports wide content, clipped content, cut selects and placeholders; not what is titled, allowed or hidden', async () => {
    const found = await findOverflows(page, [{ selector: '#scroller', reason: 'scrolls sideways by design (fixture)' }]);
    const ids = found.map((overflow) => overflow.where.split(' > ').at(-1));
    expect(ids).toEqual(['div.box', 'div.clip', 'div.cut', 'select', 'input']);
    expect(found.map((overflow) => overflow.axis)).toEqual(['x', 'y', 'x', 'select', 'placeholder']);
    for (const overflow of found) expect(overflow.content).toBeGreaterThan(overflow.box);
    expect(found[2]?.text).toBe('truncated without the full text anywhere');
    expect(found[3]?.text).toBe('an option longer than the select | short');
  });

  it('without the allowance the scrolling strip is reported too', async () => {
    const found = await findOverflows(page, []);
    expect(found.map((overflow) => overflow.where.split(' > ').at(-1))).toContain('div.scroller');
  });
});
