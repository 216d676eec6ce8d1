/**
 * A Redis list: a double-ended queue of latin1 strings over a ring buffer, so
 * pushes and pops at both ends are O(1) and LINDEX is O(1). Redis 7.0 reports
 * every list as "quicklist" (the listpack list encoding arrived in 7.2).
 */
export class ListValue {
  private items: (string | undefined)[];
  private head = 0;
  private count = 0;
  /** Its key's meta word while the keyspace's Map holds it (KeyHolder, keyspace/key-entry.ts). */
  meta = 0;

  constructor(initialCapacity = 8) {
    this.items = new Array<string | undefined>(Math.max(4, initialCapacity));
  }

  static from(elements: Iterable<string>): ListValue {
    const list = new ListValue();
    for (const element of elements) list.pushTail(element);
    return list;
  }

  get length(): number {
    return this.count;
  }

  private grow(): void {
    const capacity = this.items.length * 2;
    const next = new Array<string | undefined>(capacity);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }

  private maybeShrink(): void {
    if (this.items.length > 64 && this.count < this.items.length / 4) {
      const next = new Array<string | undefined>(Math.max(8, this.items.length / 2));
      for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
      this.items = next;
      this.head = 0;
    }
  }

  pushHead(element: string): void {
    if (this.count === this.items.length) this.grow();
    // Wrapped by a compare, not `%`: a modulo by a variable is an integer division.
    this.head = (this.head === 0 ? this.items.length : this.head) - 1;
    this.items[this.head] = element;
    this.count++;
  }

  pushTail(element: string): void {
    if (this.count === this.items.length) this.grow();
    const index = this.head + this.count;
    this.items[index < this.items.length ? index : index - this.items.length] = element;
    this.count++;
  }

  popHead(): string | undefined {
    if (this.count === 0) return undefined;
    const element = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    this.maybeShrink();
    return element;
  }

  popTail(): string | undefined {
    if (this.count === 0) return undefined;
    const index = (this.head + this.count - 1) % this.items.length;
    const element = this.items[index];
    this.items[index] = undefined;
    this.count--;
    this.maybeShrink();
    return element;
  }

  /** Element at a non-negative index < length. */
  at(index: number): string {
    return this.items[(this.head + index) % this.items.length] as string;
  }

  set(index: number, element: string): void {
    this.items[(this.head + index) % this.items.length] = element;
  }

  /** Elements [start, end] inclusive, indexes already clamped to the list. */
  range(start: number, end: number): string[] {
    const out: string[] = [];
    for (let i = start; i <= end; i++) out.push(this.at(i));
    return out;
  }

  toArray(): string[] {
    return this.range(0, this.count - 1);
  }

  /** Replaces the whole content (used by LREM, LINSERT, LTRIM: O(n) operations anyway). */
  replaceAll(elements: string[]): void {
    this.items = new Array<string | undefined>(Math.max(8, elements.length * 2));
    for (let i = 0; i < elements.length; i++) this.items[i] = elements[i];
    this.head = 0;
    this.count = elements.length;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  clone(): ListValue {
    return ListValue.from(this);
  }
}
