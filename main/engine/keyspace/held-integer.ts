/**
 * A string value held as the integer it reads as: Redis's int-encoded
 * string (OBJ_ENCODING_INT), which INCR and its kin update in place
 * (t_string.c incrDecrCommand writes the new long into the robj it found).
 *
 * Why (issue 19, `-P 16` INCR): keeping a counter as text made every INCR
 * parse the stored string, format a new decimal string and store it (a
 * young string written into an old slot array, left for the collector);
 * held as a number, an INCR adds to it and allocates nothing for the value.
 *
 * Representation rules:
 *  - Only INCR, DECR, INCRBY and DECRBY store one, and only for a result
 *    that is a safe integer (|n| <= 2^53 - 1): within that range a double
 *    is exact and its decimal form is the canonical int64 text Redis would
 *    hold (string2ll's rule), so OBJECT ENCODING's "int" still follows from
 *    the text. A result beyond 2^53 is stored as its text (computed as a
 *    bigint, exact over the whole int64 range), as before.
 *  - It is a HeldBytes (held-bytes.ts): every reader other than the counter
 *    commands (GET, APPEND, GETRANGE, STRLEN, DUMP, RDB save and snapshots,
 *    DEBUG DIGEST, OBJECT, MEMORY USAGE) gets the decimal text, which the
 *    slot keeps from then on; the next INCR holds a number again. So every
 *    reader sees Redis's exact bytes.
 *  - Its key's encoding override is always "derived" (key-entry.ts): INCR
 *    stores it with setKey's default, and the commands that set an override
 *    (APPEND, SETRANGE, SETBIT, BITFIELD, the PF commands) read the value as
 *    a string first, which turns it back into text.
 *  - `value` is changed in place only by a counter command that looked the
 *    key up for writing (Keyspace.lookupWrite with `held`, which runs the
 *    snapshot's copy-on-write first) and then signals the change.
 */
import { HeldBytes } from './held-bytes';
import { decimalDigitCount, decimalString } from '../util/integers';

export class HeldInteger extends HeldBytes {
  constructor(public value: number) {
    super();
  }

  toValue(): string {
    return decimalString(this.value);
  }

  override byteLength(): number {
    const value = this.value;
    return value < 0 ? decimalDigitCount(-value) + 1 : decimalDigitCount(value);
  }
}
