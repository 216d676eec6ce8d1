/**
 * MONITOR: every executed command is echoed to monitoring clients as
 *   +<unix seconds>.<micros> [<db> <addr>] "arg" "arg" ...
 * with arguments quoted like sdscatrepr.
 */
import { simple } from '../resp/reply';
import type { Client } from './client';

export class Monitor {
  readonly monitors = new Set<Client>();

  feed(client: Client, argv: ReadonlyArray<string>, now: number): void {
    if (this.monitors.size === 0) return;
    const seconds = Math.floor(now / 1000);
    const micros = String((now % 1000) * 1000).padStart(6, '0');
    const origin = client.isMaster ? 'master' : client.socket === null ? 'lua' : client.address;
    const line = `${seconds}.${micros} [${client.dbIndex} ${origin}] ${argv.map(quoteRepr).join(' ')}`;
    const reply = simple(line);
    for (const monitor of this.monitors) {
      if (monitor.closed) this.monitors.delete(monitor);
      else monitor.reply(reply);
    }
  }
}

/** sdscatrepr: a double-quoted string with C escapes and \xHH for non-printables. */
export function quoteRepr(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += c >= 0x20 && c < 0x7f ? text[i] : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return `${out}"`;
}
