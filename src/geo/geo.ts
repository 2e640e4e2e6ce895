/** Mean Earth radius used everywhere in the engine (the previous version used the same sphere). */
export const EARTH_RADIUS_M = 6_371_000;

export const DEG_TO_RAD = Math.PI / 180;

// Module-level bindings instead of a global `Math` lookup per call, which is slow inside jest's vm sandbox.
const { asin, cos, min, sin, sqrt } = Math;

export interface LatLon {
  lat: number;
  lon: number;
}

/** The haversine term h = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2), all in radians. */
function haversineTerm(lat1Rad: number, lon1Rad: number, cosLat1: number, lat2Rad: number, lon2Rad: number, cosLat2: number): number {
  const sinHalfDLat = sin((lat2Rad - lat1Rad) / 2);
  const sinHalfDLon = sin((lon2Rad - lon1Rad) / 2);
  return sinHalfDLat * sinHalfDLat + cosLat1 * cosLat2 * sinHalfDLon * sinHalfDLon;
}

/**
 * Inverse of the distance → haversine term relation: distances ≤ d are exactly those with h ≤ this value, so a
 * hot loop can compare h with it instead of paying for asin and sqrt per pair.
 */
export function haversineTermForDistance(distanceM: number): number {
  const halfAngle = min(Math.PI / 2, distanceM / (2 * EARTH_RADIUS_M));
  const s = sin(halfAngle);
  return s * s;
}

/** Great-circle distance in metres between two points given in degrees. */
export function haversineMeters(a: LatLon, b: LatLon): number {
  const lat1 = a.lat * DEG_TO_RAD;
  const lat2 = b.lat * DEG_TO_RAD;
  const h = haversineTerm(lat1, a.lon * DEG_TO_RAD, cos(lat1), lat2, b.lon * DEG_TO_RAD, cos(lat2));
  // h can exceed 1 by a rounding error for antipodal points.
  return 2 * EARTH_RADIUS_M * asin(sqrt(min(1, h)));
}

/**
 * Moves a point by northM metres along its meridian (exact on the sphere) and eastM metres east, scaled at the
 * mean latitude (a local flat-earth step: the distance error stays below a millimetre for a few hundred metres).
 */
export function offsetMeters(origin: LatLon, northM: number, eastM: number): LatLon {
  const lat = origin.lat + northM / EARTH_RADIUS_M / DEG_TO_RAD;
  const midLatRad = ((origin.lat + lat) / 2) * DEG_TO_RAD;
  const lon = origin.lon + eastM / (EARTH_RADIUS_M * cos(midLatRad)) / DEG_TO_RAD;
  return { lat, lon };
}
