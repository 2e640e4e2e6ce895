/**
 * One roof face of the solar roof suitability layer (ch.bfe.solarenergie-eignung-daecher, "Sonnendach").
 * `mstrahlung` is the mean yearly irradiation on the face (kWh/m²); the layer may omit it.
 */
export type RoofFace = { id: string; areaM2: number; yieldKwh: number; suitabilityClass: number | null; irradiationKwhPerM2: number | null };

/**
 * Sonnendach's classes by mean irradiation: 1 low (< 800 kWh/m²·a), 2 medium (800–1 000), 3 good
 * (1 000–1 200), 4 very good (1 200–1 400), 5 excellent (≥ 1 400). Faces rated "good" or better
 * count as suitable. Some third-party descriptions number the classes the other way round, so the
 * irradiation decides when the layer gives it, and the class only when it does not.
 */
export const SUITABLE_IRRADIATION_KWH_PER_M2 = 1000;
export const SUITABLE_CLASS = 3;

/**
 * kWp per m² of roof: Sonnendach computes its yield (stromertrag) with modules of 17 % efficiency,
 * i.e. 0.17 kWp per m² under standard test conditions (1 kW/m²). Not all of a face can carry modules
 * (edges, windows, chimneys, access): we count 70 % of it, an assumption of ours.
 */
export const MODULE_KWP_PER_M2 = 0.17;
export const USABLE_ROOF_SHARE = 0.7;
/** Modern modules covering the whole face: the most an owner may plausibly declare per m² of suitable roof. */
export const FULL_ROOF_KWP_PER_M2 = 0.25;

export function isSuitable(face: RoofFace): boolean {
  if (face.irradiationKwhPerM2 !== null) return face.irradiationKwhPerM2 >= SUITABLE_IRRADIATION_KWH_PER_M2;
  return face.suitabilityClass !== null && face.suitabilityClass >= SUITABLE_CLASS;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** Suitable faces of one building summed (each face once, even if it was found twice). */
export function summariseRoof(faces: RoofFace[]): { roofAreaM2: number; solarYieldKwh: number } {
  const unique = new Map(faces.map((face) => [face.id, face]));
  const suitable = [...unique.values()].filter(isSuitable);
  return {
    roofAreaM2: round1(suitable.reduce((sum, face) => sum + face.areaM2, 0)),
    solarYieldKwh: Math.round(suitable.reduce((sum, face) => sum + face.yieldKwh, 0)),
  };
}

/** The PV power the suitable roof area can carry, in kWp to one decimal. */
export function potentialPvKwp(roofAreaM2: number): number {
  return round1(roofAreaM2 * MODULE_KWP_PER_M2 * USABLE_ROOF_SHARE);
}
