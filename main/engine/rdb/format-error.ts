/**
 * A corrupt or unsupported RDB (or DUMP payload): says what was expected and
 * where. `offset` is the byte position in the file/stream when known.
 */
export class RdbFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number | null = null,
  ) {
    super(offset === null ? message : `${message} (at byte offset ${offset})`);
    this.name = 'RdbFormatError';
  }
}
