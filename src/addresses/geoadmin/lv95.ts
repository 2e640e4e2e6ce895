/**
 * Swiss LV95 (EPSG:2056) easting/northing to WGS 84, with swisstopo's approximate formulas
 * ("Approximate formulas for the transformation between Swiss projection coordinates and WGS84"):
 * accurate to about a metre, enough to place a building. Used only when an answer has the register's
 * LV95 coordinates (GKODE/GKODN) but no WGS 84 geometry.
 */
export function lv95ToWgs84(easting: number, northing: number): { lat: number; lon: number } {
  const y = (easting - 2_600_000) / 1_000_000;
  const x = (northing - 1_200_000) / 1_000_000;
  const lambda = 2.6779094 + 4.728982 * y + 0.791484 * y * x + 0.1306 * y * x * x - 0.0436 * y * y * y;
  const phi = 16.9023892 + 3.238272 * x - 0.270978 * y * y - 0.002528 * x * x - 0.0447 * y * y * x - 0.014 * x * x * x;
  // The formulas give units of 10 000 arc seconds.
  return { lat: (phi * 100) / 36, lon: (lambda * 100) / 36 };
}
