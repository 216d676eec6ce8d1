/**
 * LOLWUT [VERSION v] [...]: computer art and the server version, as Redis
 * 7.0.15 draws it (lolwut.c, lolwut5.c, lolwut6.c).
 *
 * Which art is picked: Redis formats the VERSION argument (cast to an
 * unsigned 32-bit int) as "<v>.0.0" and compares it with "5." / "6." (the
 * "4.9" / "5.9" cases of its test can never match such a string), so
 * exactly v mod 2^32 = 5 draws Georg Nees' Schotter, 6 the skyline, and any
 * other version, like the default (7.0.15 itself), only "Redis ver. 7.0.15".
 *
 * The pictures are random (rand()) below the top two rows of Schotter and
 * everywhere in the skyline; the canvas size, layout, character set, color
 * escapes and trailer lines are Redis's exactly. Coordinates are computed in
 * float32 and rounded half away from zero, as the C code does.
 */
import { defineCommand, int64Arg, isOption } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { verbatim, type Reply } from '../resp/reply';
import { ENGINE_REDIS_VERSION } from '../version';

const f32 = Math.fround;
const RAND_MAX = 2_147_483_647;

/** glibc rand(): a non-negative int up to RAND_MAX. */
function rand(): number {
  return Math.floor(Math.random() * (RAND_MAX + 1));
}

/** C's round(): halves away from zero. */
function cRound(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

/** A grid of small color numbers; writes outside it are dropped and reads give 0. */
class Canvas {
  readonly pixels: Uint8Array;
  constructor(readonly width: number, readonly height: number, background: number) {
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  draw(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }

  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width]!;
  }

  /** Bresenham's line, both ends included. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.draw(x1, y1, color);
      if (x1 === x2 && y1 === y2) return;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }

  /** A square of the given side centred on x,y, rotated by angle (radians): its corners lie on a circle. */
  square(x: number, y: number, side: number, angle: number, color: number): void {
    const size = f32(cRound(f32(side / 1.4142135623)));
    const px: number[] = [];
    const py: number[] = [];
    let k = f32(Math.PI / 4 + angle);
    for (let corner = 0; corner < 4; corner++) {
      px.push(cRound(Math.sin(k) * size + x));
      py.push(cRound(Math.cos(k) * size + y));
      k = f32(k + Math.PI / 2);
    }
    for (let corner = 0; corner < 4; corner++) this.line(px[corner]!, py[corner]!, px[(corner + 1) % 4]!, py[(corner + 1) % 4]!, color);
  }
}

/** Schotter: rows of squares, turned and shifted more the lower the row (none in the first two). */
function schotter(columns: number, squaresPerRow: number, squaresPerColumn: number): Canvas {
  const width = columns * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f32((width - padding * 2) / squaresPerRow);
  const canvas = new Canvas(width, Math.trunc(f32(side * squaresPerColumn) + padding * 2), 0);
  for (let y = 0; y < squaresPerColumn; y++) {
    for (let x = 0; x < squaresPerRow; x++) {
      let sx = Math.trunc(f32(f32(f32(x * side) + f32(side / 2)) + padding));
      let sy = Math.trunc(f32(f32(f32(y * side) + f32(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        let r1 = f32(f32(f32(rand() / RAND_MAX) / squaresPerColumn) * y);
        let r2 = f32(f32(f32(rand() / RAND_MAX) / squaresPerColumn) * y);
        let r3 = f32(f32(f32(rand() / RAND_MAX) / squaresPerColumn) * y);
        if (rand() % 2) r1 = -r1;
        if (rand() % 2) r2 = -r2;
        if (rand() % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f32(sx + f32(f32(r2 * side) / 3)));
        sy = Math.trunc(f32(sy + f32(f32(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** Each 2x4 block of pixels as one Braille character (dots 1-8 = bits 0-7), rows of blocks joined by newlines. */
function renderBraille(canvas: Canvas): string {
  let text = '';
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      let dots = 0;
      if (canvas.get(x, y)) dots |= 1 << 0;
      if (canvas.get(x, y + 1)) dots |= 1 << 1;
      if (canvas.get(x, y + 2)) dots |= 1 << 2;
      if (canvas.get(x + 1, y)) dots |= 1 << 3;
      if (canvas.get(x + 1, y + 1)) dots |= 1 << 4;
      if (canvas.get(x + 1, y + 2)) dots |= 1 << 5;
      if (canvas.get(x, y + 3)) dots |= 1 << 6;
      if (canvas.get(x + 1, y + 3)) dots |= 1 << 7;
      text += String.fromCharCode(0x2800 + dots);
    }
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

interface Skyscraper {
  readonly xoff: number;
  readonly width: number;
  readonly height: number;
  readonly windows: boolean;
  readonly color: number;
}

/** One building from the bottom row up; the roof is two pixels narrower each side; windows are random grays, two pixels wide. */
function drawSkyscraper(canvas: Canvas, building: Skyscraper): void {
  const startY = canvas.height - 1;
  const endY = startY - building.height + 1;
  for (let y = startY; y >= endY; y--) {
    for (let x = building.xoff; x < building.xoff + building.width; x++) {
      if (y === endY && (x <= building.xoff + 1 || x >= building.xoff + building.width - 2)) continue;
      let color = building.color;
      if (building.windows && x > building.xoff + 1 && x < building.xoff + building.width - 2 && y > endY + 1 && y < startY - 1) {
        const relX = x - (building.xoff + 1);
        const relY = y - (endY + 1);
        if (Math.trunc(relX / 2) % 2 && relY % 2) {
          do color = 1 + (rand() % 2);
          while (color === building.color);
          if (relX % 2) color = canvas.get(x - 1, y);
        }
      }
      canvas.draw(x, y, color);
    }
  }
}

/** Two layers of plain background buildings (light gray behind dark gray), then black ones with windows. */
function skyline(canvas: Canvas): void {
  const h = canvas.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width; ) {
      offset += rand() % 8;
      const width = 10 + (rand() % 9);
      const height = Math.trunc(h / 2) + Math.trunc((rand() % h) / (color === 2 ? 2 : 3));
      drawSkyscraper(canvas, { xoff: offset, width, height, windows: false, color });
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width; ) {
    offset += rand() % 8;
    let width = 5 + (rand() % 14);
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc((rand() % h) / 2);
    drawSkyscraper(canvas, { xoff: offset, width, height, windows: true, color: 0 });
    offset += width + 5;
  }
}

/** The terminal's four grays, foreground and background alike: black, gray 1, gray 2, white. */
const GRAY_ESCAPES = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];

function renderGrays(canvas: Canvas): string {
  let text = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${GRAY_ESCAPES[canvas.get(x, y)] ?? GRAY_ESCAPES[0]!} \x1b[0m`;
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/**
 * The version's own arguments (after VERSION v) as longs, defaults for
 * those missing; null after the first that is not an integer.
 */
function longArgs(args: ReadonlyArray<string>, defaults: ReadonlyArray<number>): number[] | null {
  const values = [...defaults];
  for (let index = 0; index < defaults.length && index < args.length; index++) {
    const parsed = int64Arg(args[index]!);
    if (parsed === null) return null;
    values[index] = typeof parsed === 'bigint' ? (parsed < 0n ? -Infinity : Infinity) : parsed;
  }
  return values;
}

function lolwut5(args: ReadonlyArray<string>): Reply {
  const parsed = longArgs(args, [66, 8, 12]);
  if (parsed === null) return errors.NOT_INTEGER;
  const [columns, perRow, perColumn] = [clamp(parsed[0]!, 1, 1000), clamp(parsed[1]!, 1, 200), clamp(parsed[2]!, 1, 200)];
  // Replies carry bytes as latin1 strings: the Braille characters go out as their UTF-8 bytes.
  const art = Buffer.from(renderBraille(schotter(columns, perRow, perColumn)), 'utf8').toString('latin1');
  return verbatim(`${art}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${ENGINE_REDIS_VERSION}\n`);
}

function lolwut6(args: ReadonlyArray<string>): Reply {
  const parsed = longArgs(args, [80, 20]);
  if (parsed === null) return errors.NOT_INTEGER;
  const canvas = new Canvas(clamp(parsed[0]!, 1, 1000), clamp(parsed[1]!, 1, 1000), 3);
  skyline(canvas);
  return verbatim(
    `${renderGrays(canvas)}\nDedicated to the 8 bit game developers of past and present.\n` +
      `Original 8 bit image from Plaguemon by hikikomori. Redis ver. ${ENGINE_REDIS_VERSION}\n`,
  );
}

function lolwut(ctx: CommandContext): Reply {
  if (ctx.argc >= 3 && isOption(ctx.argv[1], 'version')) {
    const version = int64Arg(ctx.arg(2));
    if (version === null) return errors.NOT_INTEGER;
    const asUnsigned = BigInt.asUintN(32, BigInt(version));
    const rest = ctx.argv.slice(3);
    if (asUnsigned === 5n) return lolwut5(rest);
    if (asUnsigned === 6n) return lolwut6(rest);
  }
  return verbatim(`Redis ver. ${ENGINE_REDIS_VERSION}\n`);
}

export const lolwutCommand = defineCommand({
  name: 'lolwut', arity: -1, flags: ['readonly', 'fast'], acl: [], keys: null,
  doc: { summary: 'Display some computer art and the Redis version', since: '5.0.0', group: 'server' },
  handler: lolwut,
});
