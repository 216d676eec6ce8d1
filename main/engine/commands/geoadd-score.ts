/**
 * The score GEOADD gives a longitude,latitude argument pair (parsed as
 * extractLongLatOrReply does, encoded to the step-26 cell), remembering the
 * last pair it scored. GEOADDs in a row mostly repeat their coordinates (a
 * feed of one place's members; redis-benchmark's GEOADD sends one position
 * with every member), and the request decoder hands a repeated argument as
 * the very string it decoded before (whole-request.ts CommandNames), so the
 * compare is mostly a pointer compare. The cache is keyed by the argument
 * strings themselves, which cannot change, so a hit is exactly what parsing
 * them again would give; an invalid pair is never remembered.
 */
import type { ErrorReply } from '../resp/reply';
import { cellScore, cellScoreText, encodeCell, GEO_STEP_MAX, type GeoCell } from '../geo/geohash';
import { parsePosition } from './geo-access';

let lastLon: string | null = null;
let lastLat: string | null = null;
let lastCell: GeoCell = { lat: 0, lon: 0, step: GEO_STEP_MAX };
let lastScore = 0;
/** cellScoreText of the last pair, made when first asked for. */
let lastText: string | null = null;

/** The score of the pair (lonText, latText), or the error GEOADD answers for it. */
export function positionScore(lonText: string, latText: string): number | ErrorReply {
  if (lonText === lastLon && latText === lastLat) return lastScore;
  const position = parsePosition(lonText, latText);
  if (!Array.isArray(position)) return position;
  // A valid position always has a cell.
  lastCell = encodeCell(position[0], position[1], GEO_STEP_MAX) ?? { lat: 0, lon: 0, step: GEO_STEP_MAX };
  lastScore = cellScore(lastCell);
  lastText = null;
  lastLon = lonText;
  lastLat = latText;
  return lastScore;
}

/** The exact decimal text of the score positionScore returned last (what GEOADD hands to ZADD). */
export function lastScoreText(): string {
  lastText ??= cellScoreText(lastCell, lastScore);
  return lastText;
}
