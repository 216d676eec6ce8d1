/* global document, getComputedStyle, HTMLElement, HTMLSelectElement, HTMLInputElement, HTMLTextAreaElement, Option */
/**
 * The overflow scan, run inside the page (plain JS: the tests' tsconfig has
 * no DOM library; test/support/overflow.ts loads this file and evaluates it).
 *
 * An element overflows its box when what it lays out is wider than the box:
 *   - scrollWidth > clientWidth (text or children spilling out sideways,
 *     a table column pushed past its panel, a page that scrolls sideways);
 *   - scrollHeight > clientHeight for a box that clips (overflow hidden or
 *     clip): content cut off at the bottom is lost, not scrolled to;
 *   - a <select> narrower than its widest option (Chromium draws the chosen
 *     option cut off, and scrollWidth does not show it): compared with a
 *     select laid out at its natural width;
 *   - an <input>/<textarea> whose placeholder does not fit.
 * Elements that are not rendered, inline boxes (their block is checked) and
 * SVG (drawn, not laid out) are skipped. An offender is let through only by
 * an allowance (a CSS selector with its reason, listed by the test), or
 * when it is truncated on purpose: text-overflow: ellipsis with the full
 * text in its title.
 *
 * Returns one entry per offender: where it is, which axis, content and box
 * sizes, and the start of its text. (Exported for the linter's sake only:
 * the loader evaluates the function's source in the page.)
 */
export function scanOverflows(allowances) {
  const TOLERANCE_PX = 1;
  const offenders = [];

  const label = (element) => {
    const testId = element.getAttribute('data-testid');
    const classes = typeof element.className === 'string' ? element.className.trim().split(/\s+/).filter((name) => name !== '' && !name.startsWith('data-v-')) : [];
    return `${element.tagName.toLowerCase()}${testId ? `[data-testid="${testId}"]` : ''}${classes.length > 0 ? `.${classes.join('.')}` : ''}`;
  };
  const where = (element) => {
    const parts = [];
    for (let current = element; current !== null && parts.length < 4; current = current.parentElement) parts.unshift(label(current));
    return parts.join(' > ');
  };
  const text = (element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim();

  const selectNaturalWidth = (select, style) => {
    const probe = document.createElement('select');
    for (const option of select.options) probe.add(new Option(option.text));
    for (const property of ['font-family', 'font-size', 'font-weight', 'font-style', 'letter-spacing', 'padding-left', 'padding-right', 'border-left-width', 'border-right-width', 'border-left-style', 'border-right-style', 'box-sizing', 'appearance']) {
      probe.style.setProperty(property, style.getPropertyValue(property), 'important');
    }
    for (const [property, value] of [['position', 'absolute'], ['visibility', 'hidden'], ['width', 'auto'], ['min-width', '0'], ['max-width', 'none'], ['left', '0'], ['top', '0']]) {
      probe.style.setProperty(property, value, 'important');
    }
    document.body.appendChild(probe);
    const width = probe.offsetWidth;
    probe.remove();
    return width;
  };

  let canvas = null;
  const textWidth = (value, style) => {
    canvas = canvas ?? document.createElement('canvas');
    const context = canvas.getContext('2d');
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return context.measureText(value).width;
  };

  const problemOf = (element, style) => {
    if (element.clientWidth > 0 && element.scrollWidth > element.clientWidth + TOLERANCE_PX) {
      return { axis: 'x', content: element.scrollWidth, box: element.clientWidth };
    }
    if ((style.overflowY === 'hidden' || style.overflowY === 'clip') && element.clientHeight > 0 && element.scrollHeight > element.clientHeight + TOLERANCE_PX) {
      return { axis: 'y', content: element.scrollHeight, box: element.clientHeight };
    }
    if (element instanceof HTMLSelectElement) {
      const natural = selectNaturalWidth(element, style);
      if (natural > element.offsetWidth + TOLERANCE_PX) return { axis: 'select', content: natural, box: element.offsetWidth };
    }
    if ((element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) && element.placeholder !== '') {
      const room = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const needed = textWidth(element.placeholder, style);
      if (needed > room + TOLERANCE_PX) return { axis: 'placeholder', content: Math.ceil(needed), box: Math.floor(room) };
    }
    return null;
  };

  const elements = [document.documentElement, document.body, ...document.body.querySelectorAll('*')];
  for (const element of elements) {
    if (!(element instanceof HTMLElement)) continue;
    if (element.getClientRects().length === 0) continue;
    const style = getComputedStyle(element);
    if (style.display === 'inline' || style.display === 'contents' || style.visibility === 'hidden') continue;
    const problem = problemOf(element, style);
    if (problem === null) continue;
    if (allowances.some((allowance) => element.matches(allowance.selector))) continue;
    const truncatedOnPurpose = style.textOverflow === 'ellipsis' && problem.axis === 'x' && element.title !== '' && element.title.includes(text(element));
    if (truncatedOnPurpose) continue;
    offenders.push({ where: where(element), axis: problem.axis, content: problem.content, box: problem.box, text: (element instanceof HTMLSelectElement ? [...element.options].map((option) => option.text).join(' | ') : element.placeholder || text(element)).slice(0, 80) });
  }
  return offenders;
}
