import { DEG_TO_RAD, EARTH_RADIUS_M, LatLon } from './geo';

export type LatLonBox = { minLat: number; maxLat: number; minLon: number; maxLon: number };

/** A box that contains every point within radiusM of the centre (slightly larger, never smaller). */
export function boxAround(centre: LatLon, radiusM: number): LatLonBox {
  const margin = 1.001;
  const dLat = ((radiusM * margin) / EARTH_RADIUS_M) / DEG_TO_RAD;
  const dLon = dLat / Math.max(Math.cos(centre.lat * DEG_TO_RAD), 1e-6);
  return { minLat: centre.lat - dLat, maxLat: centre.lat + dLat, minLon: centre.lon - dLon, maxLon: centre.lon + dLon };
}
