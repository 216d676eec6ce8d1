/** One `bind` address: "-" in front makes it optional (skipped when it cannot be bound). */
export interface BindAddress {
  readonly host: string;
  /** The address as `bind` wrote it (after any "-"), as redis-server's log names it: "*", not 0.0.0.0. */
  readonly written: string;
  readonly optional: boolean;
}

/**
 * The addresses a `bind` value names, as listenToPort reads them: "*" is
 * every IPv4 address, "::*" every IPv6 one, "-" marks an address that may
 * fail; an empty value means Redis's default "* -::*".
 */
export function bindAddresses(bind: string): BindAddress[] {
  const words = bind.split(' ').filter((word) => word.length > 0);
  return (words.length > 0 ? words : ['*', '-::*']).map((word) => {
    const optional = word.startsWith('-');
    const host = optional ? word.slice(1) : word;
    return { host: host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host, written: host, optional };
  });
}
