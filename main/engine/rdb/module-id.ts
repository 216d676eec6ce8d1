/**
 * Module type ids (RDB_TYPE_MODULE_2 values, MODULE_AUX): a 64-bit number
 * holding a 9-character name (6 bits per char, first char in the highest
 * bits) and a 10-bit encoding version. We hold no modules; the name is what
 * an error must tell the operator.
 */
const CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function moduleNameFromId(id: bigint): string {
  let name = '';
  for (let i = 0; i < 9; i++) {
    const shift = BigInt(64 - (i + 1) * 6);
    name += CHARSET[Number((id >> shift) & 63n)] ?? '?';
  }
  return name;
}

export function moduleEncodingVersion(id: bigint): number {
  return Number(id & 1023n);
}
