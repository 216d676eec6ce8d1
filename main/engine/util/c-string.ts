/**
 * An argument as C's string functions read it (strcasecmp, strcmp, printf's
 * %s): up to its first NUL byte. Redis compares option words that way, so
 * "NX\0junk" is the NX option there, and an argument echoed with "%s" in an
 * error ends at its NUL.
 */
export function cString(text: string): string {
  const nul = text.indexOf('\u0000');
  return nul < 0 ? text : text.slice(0, nul);
}
