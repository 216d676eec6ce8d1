/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written
 * for the tests (no npm parser package is pinned here). Anything the format
 * does not allow throws with the line number, and so does anything that
 * breaks the conventions our exposition promises:
 *  - every family has exactly one `# HELP` and one `# TYPE`, both before its
 *    samples; the type is one of counter, gauge, untyped, summary, histogram;
 *  - a family's samples are contiguous (another family's lines between two
 *    of them is an error) and no label set repeats within a family;
 *  - label values use only the escapes \\, \" and \n; names match the
 *    metric and label name patterns;
 *  - a counter's name ends in `_total` and its values are >= 0 and finite;
 *  - values parse as Go floats (NaN, +Inf, -Inf); an optional integer
 *    millisecond timestamp may follow;
 *  - the text ends with a line feed and has no blank lines.
 */

export interface ParsedSample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface ParsedFamily {
  readonly name: string;
  help: string | null;
  type: string | null;
  readonly samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'untyped', 'summary', 'histogram']);

function parseValue(text: string, where: string): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: ${JSON.stringify(text)} is not a float`);
  return Number(text);
}

/** Reads `{a="x",b="y"}` starting at `start` (the brace); returns the labels and the index after the closing brace. */
function parseLabels(line: string, start: number, where: string): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let index = start + 1;
  for (;;) {
    if (line[index] === '}') return { labels, end: index + 1 };
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(index));
    if (!nameMatch) throw new Error(`${where}: bad label name at column ${index + 1}`);
    const name = nameMatch[0];
    index += name.length;
    if (line[index] !== '=' || line[index + 1] !== '"') throw new Error(`${where}: expected ="" after label ${name}`);
    index += 2;
    let value = '';
    for (;;) {
      const char = line[index];
      if (char === undefined) throw new Error(`${where}: unterminated value of label ${name}`);
      if (char === '"') break;
      if (char === '\\') {
        const next = line[index + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`${where}: invalid escape \\${next ?? ''} in label ${name}`);
        index += 2;
        continue;
      }
      value += char;
      index += 1;
    }
    index += 1;
    if (Object.prototype.hasOwnProperty.call(labels, name)) throw new Error(`${where}: label ${name} given twice`);
    labels[name] = value;
    if (line[index] === ',') index += 1;
    else if (line[index] !== '}') throw new Error(`${where}: expected , or } after label ${name}`);
  }
}

export function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const families = new Map<string, ParsedFamily>();
  const closed = new Set<string>();
  const seriesSeen = new Set<string>();
  let current: string | null = null;
  const family = (name: string): ParsedFamily => {
    let found = families.get(name);
    if (!found) {
      found = { name, help: null, type: null, samples: [] };
      families.set(name, found);
    }
    return found;
  };
  const enter = (name: string, where: string): void => {
    if (current === name) return;
    if (closed.has(name)) throw new Error(`${where}: lines of ${name} are not contiguous`);
    if (current !== null) closed.add(current);
    current = name;
  };
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, lineIndex) => {
    const where = `line ${lineIndex + 1}`;
    if (line === '') throw new Error(`${where}: blank line`);
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE) ([^ ]+) ?(.*)$/.exec(line);
      if (!meta) return; // a plain comment
      const [, keyword, name, rest] = meta as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name ${name}`);
      enter(name, where);
      const target = family(name);
      if (target.samples.length > 0) throw new Error(`${where}: # ${keyword} of ${name} after its samples`);
      if (keyword === 'HELP') {
        if (target.help !== null) throw new Error(`${where}: second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`${where}: invalid escape in HELP of ${name}`);
        target.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      } else {
        if (target.type !== null) throw new Error(`${where}: second TYPE for ${name}`);
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type ${rest}`);
        target.type = rest;
      }
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) throw new Error(`${where}: a sample line must start with a metric name`);
    const name = nameMatch[0];
    let index = name.length;
    let labels: Record<string, string> = {};
    if (line[index] === '{') ({ labels, end: index } = parseLabels(line, index, where));
    if (line[index] !== ' ') throw new Error(`${where}: expected one space before the value`);
    const fields = line.slice(index + 1).split(' ');
    if (fields.length > 2 || fields.some((field) => field === '')) throw new Error(`${where}: expected "value [timestamp]"`);
    const value = parseValue(fields[0]!, where);
    if (fields[1] !== undefined && !/^-?\d+$/.test(fields[1])) throw new Error(`${where}: bad timestamp ${fields[1]}`);
    enter(name, where);
    const target = family(name);
    if (target.help === null || target.type === null) throw new Error(`${where}: sample of ${name} before its HELP and TYPE`);
    if (target.type === 'counter' && (!name.endsWith('_total') || !(value >= 0) || !Number.isFinite(value))) throw new Error(`${where}: counter ${name} must end in _total and be finite and >= 0`);
    for (const label of Object.keys(labels)) if (!LABEL_NAME.test(label)) throw new Error(`${where}: bad label name ${label}`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seriesSeen.has(key)) throw new Error(`${where}: series ${key} repeated`);
    seriesSeen.add(key);
    target.samples.push({ labels, value });
  });
  for (const parsed of families.values()) {
    if (parsed.help === null || parsed.type === null) throw new Error(`family ${parsed.name} lacks HELP or TYPE`);
  }
  return families;
}

/** The one sample of a family whose labels include all of `match`; throws when there is none or more than one. */
export function sampleOf(families: Map<string, ParsedFamily>, name: string, match: Record<string, string>): ParsedSample {
  const found = (families.get(name)?.samples ?? []).filter((sample) => Object.entries(match).every(([label, value]) => sample.labels[label] === value));
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(match)}`);
  return found[0]!;
}
