/**
 * The hash of a loaded key: FNV-1a over one byte at a time. Keys are
 * latin1 strings (one char per byte), so the hash of a key's string and of
 * its bytes agree: a lookup hashes the string, the load hashes the bytes.
 */
const FNV_OFFSET = 0x811c9dc5 | 0; // as int32, like every Math.imul result: the hash of "" must equal its stored form
const FNV_PRIME = 0x01000193;

export function hashLatin1(key: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), FNV_PRIME);
  return hash;
}

export function hashBytes(bytes: Buffer, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash;
}
