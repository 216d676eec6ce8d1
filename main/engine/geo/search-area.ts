/**
 * Which cells a radius or box search reads (geohash_helper.c): the cell
 * holding the centre at a step coarse enough that the search fits in it and
 * its eight neighbours, minus the neighbours the search's bounding box does
 * not reach. Each cell is one range of sorted-set scores; the members found
 * there are then tested exactly (geo-distance.ts).
 *
 * Redis's choices are kept because they decide which members a search with
 * COUNT ANY returns and in which order an unsorted search lists them: the
 * cell order (centre, N, S, E, W, NE, NW, SE, SW), the step estimate, the
 * one-step widening when a neighbour does not reach the bounding box, and
 * skipping a cell equal to the last one read (huge radii wrap around).
 */
import { distanceIfInBox, EARTH_RADIUS_IN_METERS, degToRad, radToDeg, withinDistance } from './geo-distance';
import { roundedCos } from './rounded-trig';
import { alignedBits, cellArea, encodeCell, GEO_STEP_MAX, type CellArea, type GeoCell } from './geohash';

export type GeoShape =
  | { readonly kind: 'radius'; readonly lon: number; readonly lat: number; readonly radius: number; readonly toMeters: number }
  | { readonly kind: 'box'; readonly lon: number; readonly lat: number; readonly width: number; readonly height: number; readonly toMeters: number };

/** min/max longitude and latitude the shape can reach. */
interface Bounds {
  readonly lonMin: number;
  readonly latMin: number;
  readonly lonMax: number;
  readonly latMax: number;
}

const MERCATOR_MAX = 20037726.37;

/**
 * geohashEstimateStepsByRadius: the finest step whose cell is still about
 * as wide as the radius (halving from the Mercator width), one or two
 * steps coarser near the poles, within 1..26.
 */
export function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return GEO_STEP_MAX;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  return Math.min(GEO_STEP_MAX, Math.max(1, step));
}

/**
 * geohashBoundingBox: the degrees the shape spans. The longitude span is
 * taken at the latitude edge nearer the pole (top edge in the north,
 * bottom in the south), where a meter is the most degrees.
 */
function boundingBox(shape: GeoShape): Bounds {
  const halfHeight = shape.toMeters * (shape.kind === 'radius' ? shape.radius : shape.height / 2);
  const halfWidth = shape.toMeters * (shape.kind === 'radius' ? shape.radius : shape.width / 2);
  const latDelta = radToDeg(halfHeight / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radToDeg(halfWidth / EARTH_RADIUS_IN_METERS / roundedCos(degToRad(shape.lat + latDelta)));
  const lonDeltaBottom = radToDeg(halfWidth / EARTH_RADIUS_IN_METERS / roundedCos(degToRad(shape.lat - latDelta)));
  const lonDelta = shape.lat < 0 ? lonDeltaBottom : lonDeltaTop;
  return { lonMin: shape.lon - lonDelta, lonMax: shape.lon + lonDelta, latMin: shape.lat - latDelta, latMax: shape.lat + latDelta };
}

/** The cell moved by (dLon, dLat), wrapping around the grid as geohash_move_x/y do. */
function moved(cell: GeoCell, dLon: number, dLat: number): GeoCell {
  const size = 2 ** cell.step;
  const wrap = (index: number): number => ((index % size) + size) % size;
  return { lat: dLat === 0 ? cell.lat : wrap(cell.lat + dLat), lon: dLon === 0 ? cell.lon : wrap(cell.lon + dLon), step: cell.step };
}

/** Neighbours in Redis's search order after the centre: N, S, E, W, NE, NW, SE, SW. */
const NEIGHBOUR_MOVES: ReadonlyArray<readonly [dLon: number, dLat: number]> = [[0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [-1, -1]];

function centreAndNeighbours(shape: GeoShape, step: number): { centre: GeoCell; area: CellArea; neighbours: GeoCell[] } {
  // The centre is a valid position (checked or decoded), so it encodes.
  const centre = encodeCell(shape.lon, shape.lat, step) ?? { lat: 0, lon: 0, step };
  return { centre, area: cellArea(centre), neighbours: NEIGHBOUR_MOVES.map(([dLon, dLat]) => moved(centre, dLon, dLat)) };
}

/** The search radius Redis estimates the step from: the radius, or the box's half diagonal. */
function searchRadiusMeters(shape: GeoShape): number {
  const meters = shape.kind === 'radius' ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  return meters * shape.toMeters;
}

/**
 * geohashCalculateAreasByShapeWGS84: the cells to read, in Redis's order,
 * with the useless neighbours left out (null where Redis zeroes them).
 */
export function searchCells(shape: GeoShape): Array<GeoCell | null> {
  const bounds = boundingBox(shape);
  let step = estimateStepsByRadius(searchRadiusMeters(shape), shape.lat);
  let { centre, area, neighbours } = centreAndNeighbours(shape, step);
  // A neighbour that does not reach the bounding box's edge: one step coarser.
  const [north, south, east, west] = neighbours.map((cell) => cellArea(cell)) as [CellArea, CellArea, CellArea, CellArea];
  const tooSmall = north.latMax < bounds.latMax || south.latMin > bounds.latMin || east.lonMax < bounds.lonMax || west.lonMin > bounds.lonMin;
  if (step > 1 && tooSmall) {
    step--;
    ({ centre, area, neighbours } = centreAndNeighbours(shape, step));
  }
  const cells: Array<GeoCell | null> = [centre, ...neighbours];
  if (step >= 2) {
    // Indexes into cells: 1 N, 2 S, 3 E, 4 W, 5 NE, 6 NW, 7 SE, 8 SW.
    const drop = (...indexes: number[]): void => indexes.forEach((index) => { cells[index] = null; });
    if (area.latMin < bounds.latMin) drop(2, 8, 7);
    if (area.latMax > bounds.latMax) drop(1, 5, 6);
    if (area.lonMin < bounds.lonMin) drop(4, 8, 6);
    if (area.lonMax > bounds.lonMax) drop(3, 7, 5);
  }
  return cells;
}

/**
 * scoresOfGeoHashBox: the scores of a cell's members, min included and max
 * excluded: the cell's bits and the next cell's bits aligned to 52 bits,
 * as doubles (Redis converts its uint64 bounds the same way).
 */
export function cellScoreRange(cell: GeoCell): { min: number; max: number } {
  const min = alignedBits(cell);
  const span = 1n << BigInt(52 - cell.step * 2);
  return { min: Number(min), max: Number(min + span) };
}

/**
 * geoWithinShape: the distance (meters) from the shape's centre to a
 * member's position, or null when the member is outside the shape. The
 * inside test is exact (Redis's doubles); the distance returned is
 * quickDistance's, for sorting: the caller takes geoDistance for the
 * distances it replies or stores.
 */
export function distanceIfWithin(shape: GeoShape, lon: number, lat: number): number | null {
  if (shape.kind === 'radius') return withinDistance(shape.radius * shape.toMeters, shape.lon, shape.lat, lon, lat);
  return distanceIfInBox(shape.width * shape.toMeters, shape.height * shape.toMeters, shape.lon, shape.lat, lon, lat);
}
