/**
 * The recent log lines of each embedded node (the demo's engines), kept in
 * main so the node facts can show a node's log even to a window opened
 * after the lines were written. Bounded per node; a new demo run starts a
 * new book (its nodes are new processes on new ports).
 */
const LINES_PER_NODE = 300;

export class NodeLogBook {
  private readonly lines = new Map<string, string[]>();

  add(nodeId: string, line: string): void {
    let kept = this.lines.get(nodeId);
    if (kept === undefined) {
      kept = [];
      this.lines.set(nodeId, kept);
    }
    kept.push(line);
    if (kept.length > LINES_PER_NODE) kept.splice(0, kept.length - LINES_PER_NODE);
  }

  /** The node's lines, oldest first (empty when it wrote none). */
  of(nodeId: string): string[] {
    return [...(this.lines.get(nodeId) ?? [])];
  }

  clear(): void {
    this.lines.clear();
  }
}
