/**
 * How a generated command's replies are compared. Exact bytes by default;
 * the other modes exist only where Redis itself does not define the bytes:
 * hash-table iteration order (SMEMBERS, HGETALL, KEYS, set algebra), random
 * picks (SRANDMEMBER, HRANDFIELD...: shape only), and the clock (TTL
 * values: sign only, XPENDING idle times). Each mode canonicalizes the raw
 * reply, keeping every RESP type byte, and the canonical texts must match.
 */
export type Compare =
  | 'exact'
  /** The top-level elements in any order. */
  | 'unordered'
  /** Field/value pairs in any order (HGETALL in RESP2 or RESP3). */
  | 'pairs'
  /** Same type and element count (random picks). */
  | 'shape'
  /** A TTL: negative values exact, non-negative ones only as such. */
  | 'ttl'
  /** XPENDING's extended form: the idle time (third field of each entry) dropped. */
  | 'pending'
  /** An EXEC reply: each element compared by its own mode. */
  | { readonly each: ReadonlyArray<Compare> };

interface Node {
  readonly type: string;
  readonly text?: string;
  readonly items?: Node[];
}

/** Parses one raw RESP reply into a tree that keeps type bytes and texts. */
function parseTree(raw: Buffer, start = 0): { node: Node; end: number } {
  const lineEnd = raw.indexOf('\r\n', start);
  const type = String.fromCharCode(raw[start]!);
  const line = raw.toString('latin1', start + 1, lineEnd);
  let pos = lineEnd + 2;
  switch (type) {
    case '$':
    case '=':
    case '!': {
      const length = Number(line);
      if (length < 0) return { node: { type, text: line }, end: pos };
      return { node: { type, text: raw.toString('latin1', pos, pos + length) }, end: pos + length + 2 };
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const count = Number(line);
      if (count < 0) return { node: { type, text: line }, end: pos };
      const items: Node[] = [];
      const total = type === '%' || type === '|' ? count * 2 : count;
      for (let i = 0; i < total; i++) {
        const item = parseTree(raw, pos);
        items.push(item.node);
        pos = item.end;
      }
      return { node: { type, items }, end: pos };
    }
    default:
      return { node: { type, text: line }, end: pos };
  }
}

function show(node: Node): string {
  if (node.items) return `${node.type}[${node.items.map(show).join(',')}]`;
  return `${node.type}${JSON.stringify(node.text)}`;
}

function canonical(node: Node, mode: Compare): string {
  if (typeof mode === 'object') {
    if (!node.items) return show(node);
    return `${node.type}[${node.items.map((item, i) => canonical(item, mode.each[i] ?? 'exact')).join(',')}]`;
  }
  switch (mode) {
    case 'exact':
      return show(node);
    case 'unordered':
      return node.items ? `${node.type}{${node.items.map(show).sort().join(',')}}` : show(node);
    case 'pairs': {
      if (!node.items) return show(node);
      // RESP3 HRANDFIELD WITHVALUES: pairs already nested.
      if (node.items.every((item) => item.items)) return `${node.type}{${node.items.map(show).sort().join(',')}}`;
      const pairs: string[] = [];
      for (let i = 0; i < node.items.length; i += 2) pairs.push(`${show(node.items[i]!)}=${show(node.items[i + 1] ?? { type: '?' })}`);
      return `${node.type}{${pairs.sort().join(',')}}`;
    }
    case 'shape':
      if (node.type === '-' || node.type === '!') return show(node);
      return node.items ? `${node.type}#${node.items.length}` : node.type;
    case 'ttl':
      return node.type === ':' && !node.text!.startsWith('-') ? ':positive' : show(node);
    case 'pending':
      if (!node.items || node.items.length === 0 || !node.items[0]!.items) return show(node);
      return `${node.type}[${node.items.map((entry) => (entry.items ? show({ type: entry.type, items: entry.items.filter((_, i) => i !== 2) }) : show(entry))).join(',')}]`;
  }
}

/** The text two peers' replies must share under a compare mode. */
export function canonicalReply(raw: Buffer, mode: Compare): string {
  if (mode === 'exact') return raw.toString('latin1');
  return canonical(parseTree(raw).node, mode);
}

export function isExact(mode: Compare | undefined): boolean {
  return mode === undefined || mode === 'exact';
}
