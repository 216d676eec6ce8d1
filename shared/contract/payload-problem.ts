/**
 * The sentence a user reads when a request fails its schema. Validation
 * stays strict (the schema refuses the request as before); only the words
 * change. A number out of range was reported as zod's own text ("invalid
 * payload for demo.chaos: seconds: Too big: expected number to be <=3600"),
 * which names neither the form's field nor what it accepts. For a number the
 * sentence now names the field as the form labels it, gives its whole
 * allowed range read from the schema (both bounds, in KiB/MiB/GiB for byte
 * sizes), and the value that was given. Other issues keep zod's text.
 */
import { z } from 'zod';

/** The form's label of a numeric field, by `<request kind>.<key>`, then by key. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  'cut-link.seconds': 'Cut for (s)',
  'pause-replica.seconds': 'Pause apply for (s)',
  'latency.ms': 'Latency (ms)',
  'bandwidth.bytesPerSec': 'Bandwidth cap',
  'shrink-backlog.bytes': 'New backlog size',
  'set-backlog-size.bytes': 'Backlog size',
  opsPerSec: 'Writes per second',
  valueBytes: 'Value size',
  keySpace: 'Key space',
  backlogBytes: 'Backlog size',
  maxmemoryBytes: 'maxmemory',
  minutes: 'Silence for (minutes)',
};

/** Keys whose numbers are byte counts (or bytes per second): their bounds are written in binary units. */
const BYTE_KEYS = new Set(['bytes', 'bytesPerSec', 'valueBytes', 'backlogBytes', 'maxmemoryBytes']);

const UNITS: ReadonlyArray<readonly [number, string]> = [[1024 ** 4, 'TiB'], [1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB']];

/** 16384 -> "16 KiB", 68719476736 -> "64 GiB", 1000 -> "1000 bytes", 1 -> "1 byte" (exact, never rounded). */
function byteCount(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [size, unit] of UNITS) if (bytes % size === 0) return `${bytes / size} ${unit}`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/** The schema a path leads to, through objects, discriminated unions (by the payload's own kind) and wrappers. */
function schemaAt(schema: z.ZodType, payload: unknown, path: readonly PropertyKey[]): z.ZodType | null {
  let current: z.ZodType = schema;
  let value: unknown = payload;
  let index = 0;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
      continue;
    }
    if (current instanceof z.ZodUnion) {
      const options = current.options as readonly z.ZodType[];
      const fits = options.find((option) => option instanceof z.ZodObject && Object.entries(option.shape as Record<string, z.ZodType>).every(([key, field]) => !(field instanceof z.ZodLiteral) || field.safeParse((value as Record<string, unknown> | null)?.[key]).success));
      if (fits === undefined) return null;
      current = fits;
      continue;
    }
    if (index === path.length) return current;
    const key = path[index];
    if (!(current instanceof z.ZodObject) || typeof key !== 'string') return null;
    const next = (current.shape as Record<string, z.ZodType | undefined>)[key];
    if (next === undefined) return null;
    current = next;
    value = (value as Record<string, unknown> | null)?.[key];
    index += 1;
  }
}

function valueAt(payload: unknown, path: readonly PropertyKey[]): unknown {
  let value = payload;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** The kind of the object holding the field (`kind: 'cut-link'`), which tells fields of the same key apart. */
function kindAround(payload: unknown, path: readonly PropertyKey[]): string | null {
  const holder = valueAt(payload, path.slice(0, -1));
  const kind = typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>).kind : undefined;
  return typeof kind === 'string' ? kind : null;
}

/** The user-facing sentence for a request that failed its schema. */
export function describePayloadError(method: string, schema: z.ZodType, payload: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return `invalid payload for ${method}: rejected`;
  const zodText = `invalid payload for ${method}: ${issue.path.join('.') || '(root)'}: ${issue.message}`;
  const numeric = issue.code === 'too_big' || issue.code === 'too_small' || (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int'));
  const field = schemaAt(schema, payload, issue.path);
  const key = issue.path.at(-1);
  if (!numeric || !(field instanceof z.ZodNumber) || typeof key !== 'string') return zodText;
  // A field no form labels is named by its whole path (rules.lagBytes.bytes): a bare key can name several fields.
  const label = FIELD_LABELS[`${kindAround(payload, issue.path) ?? ''}.${key}`] ?? FIELD_LABELS[key] ?? issue.path.join('.');
  const bytes = BYTE_KEYS.has(key);
  const show = (bound: number): string => (bytes ? `${byteCount(bound)}${key === 'bytesPerSec' ? '/s' : ''}` : String(bound));
  // An int schema with no explicit bound reports the safe-integer limits: no bound to state.
  const min = field.minValue !== null && Math.abs(field.minValue) < Number.MAX_SAFE_INTEGER ? field.minValue : null;
  const max = field.maxValue !== null && Math.abs(field.maxValue) < Number.MAX_SAFE_INTEGER ? field.maxValue : null;
  const range = min !== null && max !== null ? `from ${show(min)} to ${show(max)}` : min !== null ? `at least ${show(min)}` : max !== null ? `at most ${show(max)}` : 'a number';
  const whole = field.isInt ? (bytes ? ' (a whole number of bytes)' : ' (a whole number)') : '';
  const given = valueAt(payload, issue.path);
  const givenText = typeof given === 'number' ? (bytes && Number.isInteger(given) && given >= 0 ? show(given) : String(given)) : given === '' || given === undefined || given === null ? 'an empty value' : JSON.stringify(given).slice(0, 40);
  return `${label} must be ${range}${whole}; ${givenText} was given.`;
}
