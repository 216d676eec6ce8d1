/**
 * islocalClient (networking.c): a client on loopback or a unix socket, or
 * one with no socket at all (the script and AOF clients). `enable-debug-command
 * local`, `enable-module-command local` and `enable-protected-configs local`
 * allow what they protect to these alone.
 */
export function isLocalClient(client: { readonly socket: unknown; readonly address: string }): boolean {
  if (client.socket === null) return true;
  const address = client.address;
  return address.startsWith('127.') || address.startsWith('[::1]') || address.startsWith('::1') || address.startsWith('[::ffff:127.') || address.startsWith('unix:');
}
