import { LatLon } from '../../geo/geo';

/** 16 bits per axis over Switzerland's surroundings (lat 45–48, lon 5–11): cells of about 5 m. */
const BITS = 16;
const LAT_MIN = 45;
const LAT_SPAN = 3;
const LON_MIN = 5;
const LON_SPAN = 6;

function quantise(value: number, min: number, span: number): number {
  const scaled = Math.floor(((value - min) / span) * 2 ** BITS);
  return Math.min(2 ** BITS - 1, Math.max(0, scaled));
}

/** Position along a Z-order (Morton) curve: points close on the curve are close on the map. */
export function zOrderKey(point: LatLon): number {
  const y = quantise(point.lat, LAT_MIN, LAT_SPAN);
  const x = quantise(point.lon, LON_MIN, LON_SPAN);
  let key = 0;
  for (let bit = BITS - 1; bit >= 0; bit--) {
    key = key * 4 + ((y >> bit) & 1) * 2 + ((x >> bit) & 1);
  }
  return key;
}

/**
 * For each member, the at most `size` members (itself included) nearest to it along the Z-order
 * curve: a contact list of neighbours for communities too large to list everyone, in O(n log n)
 * instead of comparing all pairs. Small groups get everyone.
 */
export function nearbyWindows<T extends LatLon>(members: readonly T[], size: number): Map<T, T[]> {
  const windows = new Map<T, T[]>();
  if (members.length <= size) {
    for (const member of members) windows.set(member, [...members]);
    return windows;
  }
  const ordered = [...members].sort((a, b) => zOrderKey(a) - zOrderKey(b));
  ordered.forEach((member, index) => {
    const start = Math.min(Math.max(0, index - Math.floor(size / 2)), ordered.length - size);
    windows.set(member, ordered.slice(start, start + size));
  });
  return windows;
}
