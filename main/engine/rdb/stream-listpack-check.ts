/**
 * Checks a stream node's listpack from an RDB or a DUMP payload the way
 * streamValidateListpackIntegrity does with deep sanitization: the
 * listpack header (total bytes, terminator, element count), then the
 * stream layout element by element:
 *
 *   count | deleted | num-fields | field * num-fields | 0
 *   (count + deleted) x ( flags | ms-delta | seq-delta |
 *                         [num-fields | field * n] | value * n | lp-count )
 *   lp-count = n + 3, or 2n + 4 without SAMEFIELDS; nothing after the last entry.
 *
 * We always check this deeply (Redis only does when sanitize-dump-payload
 * asks): a node that passes can be walked forward and backward without
 * ever reading past its end, so a bad file fails at load, never later.
 * Returns what the node keeps cached.
 */
import { backlenSize, LISTPACK_HEADER_SIZE, listpackElementText, newListpackElement, readListpackElement } from './listpack';
import { RdbFormatError } from './format-error';
import { STREAM_ITEM_FLAG_SAMEFIELDS } from '../keyspace/values/stream-node';

const LISTPACK_END = 0xff;

export interface StreamListpackLayout {
  readonly live: number;
  readonly deleted: number;
  readonly masterFields: string[];
  readonly firstEntryPos: number;
  readonly elements: number;
}

function corrupt(): never {
  throw new RdbFormatError('Stream listpack integrity check failed.');
}

export function checkStreamListpack(blob: Buffer): StreamListpackLayout {
  if (blob.length < LISTPACK_HEADER_SIZE + 1 || blob.readUInt32LE(0) !== blob.length || blob[blob.length - 1] !== LISTPACK_END) corrupt();
  const end = blob.length - 1;
  if (end === LISTPACK_HEADER_SIZE) throw new RdbFormatError('Empty listpack inside stream');
  const element = newListpackElement();
  let pos = LISTPACK_HEADER_SIZE;
  let elements = 0;

  /** The next element (which must exist) as text; advances. */
  const nextText = (): string => {
    if (pos >= end) corrupt();
    readListpackElement(blob, pos, end, element);
    const text = listpackElementText(blob, element);
    pos += element.size + backlenSize(element.size);
    if (pos > end) corrupt();
    elements++;
    return text;
  };
  /** The next element as a non-negative integer that fits a JS number. */
  const nextCount = (): number => {
    const text = nextText();
    if (element.isString || typeof element.integer !== 'number' || element.integer < 0) corrupt();
    return Number(text);
  };
  /** The next element as any int64 (an ID delta). */
  const nextInteger = (): void => {
    nextText();
    if (element.isString) corrupt();
  };

  const live = nextCount();
  const deleted = nextCount();
  const masterFieldCount = nextCount();
  const masterFields: string[] = [];
  for (let i = 0; i < masterFieldCount; i++) masterFields.push(nextText());
  if (nextCount() !== 0) corrupt();
  const firstEntryPos = pos;
  for (let remaining = live + deleted; remaining > 0; remaining--) {
    const flags = nextCount();
    nextInteger();
    nextInteger();
    let fields = masterFieldCount;
    let extra = 3;
    if ((flags & STREAM_ITEM_FLAG_SAMEFIELDS) === 0) {
      fields = nextCount();
      for (let i = 0; i < fields; i++) nextText();
      extra += fields + 1;
    }
    for (let i = 0; i < fields; i++) nextText();
    if (nextCount() !== fields + extra) corrupt();
  }
  if (pos !== end) corrupt();
  const declared = blob.readUInt16LE(4);
  if (declared !== 65535 && declared !== elements) corrupt();
  return { live, deleted, masterFields, firstEntryPos, elements };
}
