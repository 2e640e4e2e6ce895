import { createHmac } from 'node:crypto';
import { DEG_TO_RAD, EARTH_RADIUS_M, haversineMeters, LatLon } from '../../geo/geo';

// Module-level bindings: a global `Math` lookup per call is slow inside jest's vm sandbox.
const { abs, cos, PI, round, sin, sqrt } = Math;

/** Offsets are drawn no shorter than this, so the published point (after rounding: ≥ 0.9 m away) never is the true one. */
const MIN_OFFSET_M = 1;

/**
 * Published coordinates carry 6 decimals (~0.1 m). Rounding moves a point by at most 0.056 m north-south and
 * less east-west (≤ 0.08 m together), so offsets are drawn inside radius − this margin to stay within the radius.
 */
const ROUNDING_MARGIN_M = 0.1;
const DECIMALS_FACTOR = 1e6;

/** Smallest radius for which both the minimum offset and the rounding margin fit. */
export const MIN_JITTER_RADIUS_M = 2 * MIN_OFFSET_M + ROUNDING_MARGIN_M;

/**
 * A stable public position for a building: the true position moved by a secret, per-building offset drawn
 * uniformly from the disc of radius radiusM (minus a 1 m hole in the middle). Stable so that repeated queries
 * cannot be averaged back to the true position; keyed by a server secret so that it cannot be recomputed.
 */
export function jitterPosition(buildingId: string, lat: number, lon: number, secret: Buffer | string, radiusM: number): LatLon {
  if (!Number.isFinite(radiusM) || radiusM < MIN_JITTER_RADIUS_M) {
    throw new RangeError(`radiusM must be ≥ ${MIN_JITTER_RADIUS_M} m, got ${radiusM}`);
  }
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || abs(lat) >= 89) {
    throw new RangeError(`invalid position (${lat}, ${lon})`);
  }
  const [u1, u2] = uniformPair(buildingId, secret);
  const outer = radiusM - ROUNDING_MARGIN_M;
  // Inverse CDF of the area measure on the annulus MIN_OFFSET_M ≤ r ≤ outer: uniform per unit area.
  let r = sqrt(MIN_OFFSET_M ** 2 + u1 * (outer ** 2 - MIN_OFFSET_M ** 2));
  const theta = 2 * PI * u2;
  const origin = { lat, lon };
  // The margin makes the first attempt enough; the loop only guards the guarantee against the unforeseen.
  for (let attempt = 0; attempt < 100; attempt++) {
    const moved = moveAndRound(origin, r * cos(theta), r * sin(theta));
    if (haversineMeters(origin, moved) <= radiusM) {
      return moved;
    }
    r *= 0.99;
  }
  throw new Error(`could not place building ${buildingId} within ${radiusM} m`);
}

/** Two independent uniform numbers in [0, 1) with 53 random bits each, from HMAC-SHA256(secret, buildingId). */
function uniformPair(buildingId: string, secret: Buffer | string): [number, number] {
  const digest = createHmac('sha256', secret).update(buildingId, 'utf8').digest();
  return [uniformFromBytes(digest, 0), uniformFromBytes(digest, 8)];
}

function uniformFromBytes(bytes: Buffer, offset: number): number {
  const high = bytes.readUInt32BE(offset) >>> 11; // 21 bits
  const low = bytes.readUInt32BE(offset + 4); // 32 bits
  return (high * 2 ** 32 + low) / 2 ** 53;
}

function moveAndRound(origin: LatLon, northM: number, eastM: number): LatLon {
  const latRad = origin.lat * DEG_TO_RAD;
  const lat = origin.lat + northM / EARTH_RADIUS_M / DEG_TO_RAD;
  const lon = origin.lon + eastM / (EARTH_RADIUS_M * cos(latRad)) / DEG_TO_RAD;
  return { lat: roundCoordinate(lat), lon: roundCoordinate(lon) };
}

function roundCoordinate(degrees: number): number {
  return round(degrees * DECIMALS_FACTOR) / DECIMALS_FACTOR;
}
