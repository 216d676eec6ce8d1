/**
 * The string as one flat sequence of chars. Reading a char flattens a
 * concatenation in place (V8 keeps the flat copy and the GC short-cuts the
 * wrapper), so the pieces it was made of are no longer referenced.
 */
export function flattened(text: string): string {
  if (text.length > 0) text.charCodeAt(0);
  return text;
}
