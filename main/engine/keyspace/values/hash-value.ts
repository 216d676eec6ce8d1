/**
 * A Redis hash: field -> value, insertion ordered (Map), which matches the
 * order a listpack-encoded hash replies in. `encoding` tracks what Redis would
 * report: "listpack" while small, "hashtable" once a limit was crossed (7.0
 * never converts back).
 */
export type HashEncoding = 'listpack' | 'hashtable';

export class HashValue {
  readonly fields = new Map<string, string>();
  encoding: HashEncoding = 'listpack';

  get size(): number {
    return this.fields.size;
  }

  /** Promotes the encoding when a limit is crossed (hash-max-listpack-entries/value). */
  updateEncoding(maxEntries: number, maxValueLength: number, field?: string, value?: string): void {
    if (this.encoding === 'hashtable') return;
    if (this.fields.size > maxEntries) this.encoding = 'hashtable';
    else if (field !== undefined && field.length > maxValueLength) this.encoding = 'hashtable';
    else if (value !== undefined && value.length > maxValueLength) this.encoding = 'hashtable';
  }

  clone(): HashValue {
    const copy = new HashValue();
    for (const [field, value] of this.fields) copy.fields.set(field, value);
    copy.encoding = this.encoding;
    return copy;
  }
}
