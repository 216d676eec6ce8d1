/**
 * redis-server's main() turning argv into configuration text: an optional
 * config file first (a first word not starting with '-'), then `-` to read
 * stdin (as the first or last word), then the options, which main() writes
 * as lines appended to the file's text:
 *
 * - `--name` starts a line `name ` (the word itself, after its dashes, not
 *   quoted). If the word splits into one argument (`--port`), the next
 *   word is its value whatever it looks like: `--masterauth --s3cret`
 *   gives masterauth the value `--s3cret`. If it splits into several
 *   (`"--port 6380"`, one word), the line already has its value, and the
 *   next `--word` starts a new line.
 * - Every other word is a value, appended sdscatrepr-quoted.
 * - `--save` followed by another `--option` (or last) gets `""`, as before
 *   7.0.1; `--sentinel` followed by one takes no value.
 *
 * Arguments are bytes in redis-server: the text is a latin1 string holding
 * the argv words' UTF-8 bytes, as the engine holds every value.
 */
import { splitInlineArguments } from '../resp/request-decoder';
import { cwdBytes } from '../util/byte-paths';

export interface CommandLineConfig {
  /** The config file to read first (its name's bytes), or null. */
  readonly file: string | null;
  /** `-` was given: the text on stdin follows the file's. */
  readonly fromStdin: boolean;
  /** The option lines, as main() appends them. */
  readonly options: string;
}

/** An argv word as the bytes redis-server sees, one latin1 char a byte. */
function bytes(word: string): string {
  return Buffer.from(word, 'utf8').toString('latin1');
}

/** sdscatrepr: a double-quoted word with C escapes (of a latin1 byte string). */
export function quoteArgument(value: string): string {
  let out = '"';
  for (let index = 0; index < value.length; index++) {
    const byte = value.charCodeAt(index);
    const char = value[index]!;
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x07) out += '\\a';
    else if (byte === 0x08) out += '\\b';
    else if (byte >= 0x20 && byte < 0x7f) out += char;
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** How many arguments sdssplitargs finds in a word (0 when its quotes do not balance). */
function argumentCount(word: string): number {
  return splitInlineArguments(Buffer.from(word, 'latin1'), word.length)?.length ?? 0;
}

/** argv after the program name, read as redis-server's main() reads it. */
export function readCommandLine(argv: ReadonlyArray<string>): CommandLineConfig {
  const words = argv.map(bytes);
  let file: string | null = null;
  let index = 0;
  if (words.length > 0 && !words[0]!.startsWith('-')) {
    file = words[0]!;
    index = 1;
  }
  let fromStdin = false;
  let options = '';
  let valueTaken = true;
  for (; index < words.length; index++) {
    const word = words[index]!;
    const last = index === words.length - 1;
    const nextIsOption = !last && words[index + 1]!.startsWith('--');
    if (word === '-' && (index === 0 || last)) {
      fromStdin = true;
    } else if (valueTaken && word.startsWith('--')) {
      if (options.length > 0) options += '\n';
      options += `${word.slice(2)} `;
      if (argumentCount(word) === 1) {
        // A bare option name: the next word is its value, whatever it starts with.
        valueTaken = false;
        if (word.toLowerCase() === '--save' && (nextIsOption || last)) {
          options += '""';
          valueTaken = nextIsOption;
        } else if (word.toLowerCase() === '--sentinel' && nextIsOption) {
          valueTaken = true;
        }
      } else {
        valueTaken = true;
      }
    } else {
      options += `${quoteArgument(word)} `;
      valueTaken = true;
    }
  }
  return { file, fromStdin, options };
}

/**
 * getAbsolutePath(): main() replaces the config file's name with this
 * before reading it (and names it so when it cannot be opened): trimmed of
 * " \r\n\t", and a relative name appended to the working directory with
 * only its leading "../" folded (each drops one directory); "./" and inner
 * ".." stay as written.
 */
export function absolutePath(name: string): string {
  let relative = name.replace(/^[ \r\n\t]+|[ \r\n\t]+$/g, '');
  if (relative.startsWith('/')) return relative;
  let absolute = cwdBytes();
  if (!absolute.endsWith('/')) absolute += '/';
  while (relative.startsWith('../')) {
    relative = relative.slice(3);
    if (absolute.length > 1) absolute = absolute.slice(0, absolute.lastIndexOf('/', absolute.length - 2) + 1);
  }
  return absolute + relative;
}

/** checkForSentinelMode: any word exactly `--sentinel` starts redis-server as a Sentinel. */
export function asksForSentinel(argv: ReadonlyArray<string>): boolean {
  return argv.includes('--sentinel');
}
