/**
 * The order Lua 5.1's lua_next walks a table in, rebuilt by replaying the
 * insertions that made it (ltable.c of 5.1: luaH_set, newkey, rehash,
 * resize). lua-key-order51.ts places keys into a table sized for them in
 * a fixed order; this one knows the order the keys came in, so it is exact
 * for the tables Redis builds itself: a RESP3 map or set that redis.call
 * returned is a lua_newtable() filled with lua_settable in reply order
 * (redisProtocolToLuaType_Map/_Set), growing 0 -> 1 -> 2 -> 4 -> 8 ... node
 * slots, every growth re-inserting the old nodes from the last slot down.
 * When a script returns such a table, luaReplyToRedisReply writes its
 * fields in that walk's order (XINFO STREAM's ten fields come out in
 * another order than the reply's).
 *
 * The rules replayed (5.1, not 5.4):
 *  - luaH_set on a missing key always makes a node, even for a nil value;
 *    a node whose value is nil counts as free for a key whose main position
 *    it is (its key is overwritten, its chain kept), but not for
 *    getfreepos, which looks for a node without a key from the top down.
 *  - A collision takes the highest free node: the new key goes there when
 *    the occupant is in its own main position, otherwise the occupant moves
 *    there and the new key takes the main position.
 *  - No free node: rehash counts the non-nil entries (and the new key),
 *    sizes the array part (computesizes) and the node part (the smallest
 *    power of two holding the rest), re-inserts the array part's vanishing
 *    slice, then the old nodes from the last to the first.
 *  - The walk: array part 1..n, then the nodes from slot 0 up.
 */

export type Key51 = { readonly kind: 'string'; readonly value: string } | { readonly kind: 'number'; readonly value: number } | { readonly kind: 'boolean'; readonly value: boolean };

const MAXBITS = 26;
const MAXASIZE = 2 ** MAXBITS;

interface Node51 { key: Key51 | null; live: boolean; next: number }

function emptyNodes(size: number): Node51[] {
  const nodes: Node51[] = [];
  for (let i = 0; i < size; i++) nodes.push({ key: null, live: false, next: -1 });
  return nodes;
}

/** Identity of a key for equality, as 5.1 compares them (numbers by value, -0 == 0). */
export function keyId(key: Key51): string {
  if (key.kind === 'number') return `n${key.value === 0 ? 0 : key.value}`;
  if (key.kind === 'boolean') return key.value ? 'bt' : 'bf';
  return `s${key.value}`;
}

/** luaS_hash of 5.1 over the string's bytes (one byte a char), unsigned 32-bit. */
export function stringHash(text: string): number {
  const length = text.length;
  let h = length >>> 0;
  const step = (length >> 5) + 1;
  for (let l1 = length; l1 >= step; l1 -= step) {
    h = (h ^ (((h << 5) >>> 0) + (h >>> 2) + (text.charCodeAt(l1 - 1) & 0xff))) >>> 0;
  }
  return h;
}

const numberBytes = new DataView(new ArrayBuffer(8));

/** arrayindex(): k when the key is a number with an integer value, else 0 (never an array index). */
function arrayIndex(key: Key51): number {
  return key.kind === 'number' && Number.isInteger(key.value) && key.value >= 1 && key.value <= MAXASIZE ? key.value : 0;
}

/** luaO_log2(x - 1) + 1, for x >= 1. */
function ceilLog2(x: number): number {
  let l = 0;
  while (2 ** l < x) l++;
  return l;
}

/** computesizes(): the array part 5.1 gives a table whose positive integer keys are these. */
export function computeArraySize(integerKeys: readonly number[]): number {
  const nums = new Array<number>(MAXBITS + 1).fill(0);
  let total = 0;
  for (const key of integerKeys) {
    if (key < 1 || key > MAXASIZE) continue;
    nums[ceilLog2(key)]!++;
    total++;
  }
  let counted = 0;
  let arraySize = 0;
  for (let i = 0, twoToI = 1; twoToI / 2 < total; i++, twoToI *= 2) {
    if (nums[i]! > 0) {
      counted += nums[i]!;
      if (counted > twoToI / 2) arraySize = twoToI;
    }
    if (counted === total) break;
  }
  return arraySize;
}

export class Table51 {
  private array: boolean[] = [];
  private nodes: Node51[] = [];
  private lastFree = 0;

  /** An empty table presized as lua_createtable(narr, nrec) makes it (a constructor's sizes). */
  static presized(arraySize: number, nodeCount: number): Table51 {
    const table = new Table51();
    table.array = new Array<boolean>(arraySize).fill(false);
    const size = nodeCount === 0 ? 0 : 2 ** ceilLog2(nodeCount);
    table.nodes = emptyNodes(size);
    table.lastFree = size;
    return table;
  }

  /** t[key] = (a value that is nil or not), as lua_settable does on a table without metatable. */
  set(key: Key51, live: boolean): void {
    const slot = this.find(key);
    if (slot !== null) {
      this.store(slot, live);
      return;
    }
    const node = this.newKey(key);
    if (node === null) {
      this.rehash(key);
      this.set(key, live);
      return;
    }
    this.nodes[node]!.live = live;
  }

  /** Sets the value's nil-ness of a key the table holds (no layout change). */
  assign(key: Key51, live: boolean): void {
    const slot = this.find(key);
    if (slot !== null) this.store(slot, live);
  }

  /** The keys with a non-nil value, in luaH_next order. */
  walk(): Key51[] {
    const out: Key51[] = [];
    for (let i = 0; i < this.array.length; i++) if (this.array[i]) out.push({ kind: 'number', value: i + 1 });
    for (const node of this.nodes) if (node.key !== null && node.live) out.push(node.key);
    return out;
  }

  /** An array slot (>= 0) or a node (encoded -1 - index); null when absent. */
  private find(key: Key51): number | null {
    const index = arrayIndex(key);
    if (index >= 1 && index <= this.array.length) return index - 1;
    if (this.nodes.length === 0) return null;
    let node = this.mainPosition(key);
    while (node >= 0) {
      const here = this.nodes[node]!;
      if (here.key !== null && here.key.kind === key.kind && here.key.value === key.value) return -1 - node;
      node = here.next;
    }
    return null;
  }

  private store(slot: number, live: boolean): void {
    if (slot >= 0) this.array[slot] = live;
    else this.nodes[-1 - slot]!.live = live;
  }

  private mainPosition(key: Key51): number {
    const size = this.nodes.length;
    if (key.kind === 'string') return stringHash(key.value) & (size - 1);
    if (key.kind === 'boolean') return (key.value ? 1 : 0) & (size - 1);
    if (key.value === 0) return 0;
    numberBytes.setFloat64(0, key.value, true);
    const sum = (numberBytes.getUint32(0, true) + numberBytes.getUint32(4, true)) >>> 0;
    return sum % ((size - 1) | 1);
  }

  private freePosition(): number | null {
    while (this.lastFree > 0) {
      this.lastFree--;
      if (this.nodes[this.lastFree]!.key === null) return this.lastFree;
    }
    return null;
  }

  /** newkey(): the node the key now has (value nil), or null when the table must grow. */
  private newKey(key: Key51): number | null {
    if (this.nodes.length === 0) return null; // the shared dummy node: always full
    let main = this.mainPosition(key);
    const occupant = this.nodes[main]!;
    if (occupant.live) {
      const free = this.freePosition();
      if (free === null) return null;
      let other = this.mainPosition(occupant.key!);
      if (other !== main) {
        while (this.nodes[other]!.next !== main) other = this.nodes[other]!.next;
        this.nodes[other]!.next = free;
        this.nodes[free] = { key: occupant.key, live: occupant.live, next: occupant.next };
        occupant.next = -1;
        occupant.live = false;
      } else {
        this.nodes[free]!.next = occupant.next;
        occupant.next = free;
        main = free;
      }
    }
    const node = this.nodes[main]!;
    node.key = key;
    node.live = false;
    return main;
  }

  private rehash(extra: Key51): void {
    const nums = new Array<number>(MAXBITS + 1).fill(0);
    let arrayKeys = 0;
    let total = 0;
    for (let i = 0; i < this.array.length; i++) {
      if (!this.array[i]) continue;
      nums[ceilLog2(i + 1)]!++;
      arrayKeys++;
      total++;
    }
    for (const node of this.nodes) {
      if (!node.live) continue;
      const index = arrayIndex(node.key!);
      if (index > 0) {
        nums[ceilLog2(index)]!++;
        arrayKeys++;
      }
      total++;
    }
    const extraIndex = arrayIndex(extra);
    if (extraIndex > 0) {
      nums[ceilLog2(extraIndex)]!++;
      arrayKeys++;
    }
    total++;
    // computesizes()
    let counted = 0;
    let inArray = 0;
    let arraySize = 0;
    for (let i = 0, twoToI = 1; twoToI / 2 < arrayKeys; i++, twoToI *= 2) {
      if (nums[i]! > 0) {
        counted += nums[i]!;
        if (counted > twoToI / 2) {
          arraySize = twoToI;
          inArray = counted;
        }
      }
      if (counted === arrayKeys) break;
    }
    this.resize(arraySize, total - inArray);
  }

  private resize(arraySize: number, nodeCount: number): void {
    const oldArray = this.array;
    const oldNodes = this.nodes;
    if (arraySize > oldArray.length) this.array = [...oldArray, ...new Array<boolean>(arraySize - oldArray.length).fill(false)];
    const size = nodeCount === 0 ? 0 : 2 ** ceilLog2(nodeCount);
    this.nodes = emptyNodes(size);
    this.lastFree = size;
    if (arraySize < oldArray.length) {
      this.array = oldArray.slice(0, arraySize);
      for (let i = arraySize; i < oldArray.length; i++) if (oldArray[i]) this.set({ kind: 'number', value: i + 1 }, true);
    }
    for (let i = oldNodes.length - 1; i >= 0; i--) {
      const old = oldNodes[i]!;
      if (old.live) this.set(old.key!, true);
    }
  }
}

/** The order lua-key-order51.ts places keys in: numbers, booleans, strings, each ascending. */
export function placementOrder(a: Key51, b: Key51): number {
  const rank = { number: 0, boolean: 1, string: 2 };
  if (a.kind !== b.kind) return rank[a.kind] - rank[b.kind];
  if (a.value === b.value) return 0;
  return a.value < b.value ? -1 : 1;
}
