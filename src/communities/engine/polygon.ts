import { LatLon } from '../../geo/geo';

/** A closed ring of [lat, lon] pairs: the first pair is repeated at the end. */
export type Ring = [number, number][];

/** Half-width added around the rectangle of a two-building community, so it has an area on the map. */
export const PAIR_PADDING_DEG = 0.0003;
/** Half-side of the square drawn around a single building. */
export const SINGLE_HALF_SIDE_DEG = 0.0005;

/**
 * The outline of a community on the map: the convex hull of its members for three or more points that span an
 * area, a padded rectangle around the two extreme points when they are all on one line (two buildings, or
 * collinear ones), a small square around a single position.
 */
export function communityPolygon(points: readonly LatLon[]): Ring {
  if (points.length === 0) {
    throw new RangeError('a community polygon needs at least one point');
  }
  const distinct = distinctSorted(points);
  if (distinct.length === 1) {
    return boundingRectangle(distinct, SINGLE_HALF_SIDE_DEG);
  }
  const hull = convexHull(distinct);
  if (hull.length < 3 || isSliver(hull)) {
    // On a line, the bounding box of all points is the one spanned by the two extremes.
    return boundingRectangle(distinct, PAIR_PADDING_DEG);
  }
  const ring: Ring = hull.map((p) => [p.lat, p.lon]);
  ring.push([hull[0].lat, hull[0].lon]);
  return ring;
}

/**
 * The vertices of the convex hull (or the one or two points of a degenerate set). communityPolygon
 * of them equals communityPolygon of all the points, so a community can keep just its hull and grow
 * it: hull(A ∪ B) = hull(hull(A) ∪ B).
 */
export function hullVertices(points: readonly LatLon[]): LatLon[] {
  const distinct = distinctSorted(points);
  if (distinct.length <= 2) return distinct;
  const hull = convexHull(distinct);
  return hull.length >= 2 ? hull : distinct;
}

/** Points sorted by longitude then latitude, duplicates removed: the order the monotone chain needs. */
function distinctSorted(points: readonly LatLon[]): LatLon[] {
  const sorted = [...points].sort((a, b) => a.lon - b.lon || a.lat - b.lat);
  return sorted.filter((p, i) => i === 0 || p.lon !== sorted[i - 1].lon || p.lat !== sorted[i - 1].lat);
}

/** > 0 when o → a → b turns counter-clockwise (x = lon, y = lat). */
function cross(o: LatLon, a: LatLon, b: LatLon): number {
  return (a.lon - o.lon) * (b.lat - o.lat) - (a.lat - o.lat) * (b.lon - o.lon);
}

/**
 * Andrew's monotone chain over distinct points sorted by (lon, lat). Collinear points are dropped, so points on
 * one line leave just the two extremes. Returns the hull counter-clockwise, without repeating the first point.
 */
function convexHull(sorted: LatLon[]): LatLon[] {
  const lower: LatLon[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) {
      lower.pop();
    }
    lower.push(p);
  }
  const upper: LatLon[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) {
      upper.pop();
    }
    upper.push(p);
  }
  // Each chain ends where the other begins.
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/**
 * Points on one line can survive the hull as a triangle of zero area, since the cross product of nearly
 * parallel vectors is rounding noise rather than 0. Relative to the square of the extent, such an area is tiny.
 */
function isSliver(hull: LatLon[]): boolean {
  // A fan of triangles from the first vertex: relative coordinates keep the products small and exact enough.
  let doubledArea = 0;
  for (let i = 1; i + 1 < hull.length; i++) {
    doubledArea += cross(hull[0], hull[i], hull[i + 1]);
  }
  const { south, west, north, east } = bounds(hull);
  const extentSquared = (north - south) ** 2 + (east - west) ** 2;
  return Math.abs(doubledArea) <= 1e-9 * extentSquared;
}

function bounds(points: readonly LatLon[]): { south: number; west: number; north: number; east: number } {
  let south = Infinity;
  let west = Infinity;
  let north = -Infinity;
  let east = -Infinity;
  for (const p of points) {
    south = Math.min(south, p.lat);
    west = Math.min(west, p.lon);
    north = Math.max(north, p.lat);
    east = Math.max(east, p.lon);
  }
  return { south, west, north, east };
}

/** The box around the points, widened by padding degrees on every side, as a closed ring. */
function boundingRectangle(points: readonly LatLon[], padding: number): Ring {
  const box = bounds(points);
  const south = box.south - padding;
  const north = box.north + padding;
  const west = box.west - padding;
  const east = box.east + padding;
  return [
    [south, west],
    [south, east],
    [north, east],
    [north, west],
    [south, west],
  ];
}
