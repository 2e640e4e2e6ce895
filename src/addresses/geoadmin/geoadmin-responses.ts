import { addressLabel, labelPlace } from '../address-text';
import { RoofFace } from '../solar-potential';
import { UnreadableAnswerError } from './geoadmin.client';
import { lv95ToWgs84 } from './lv95';

/**
 * Reading the GeoAdmin API's answers (shapes documented in docs/GEODATA.md). A whole answer that is
 * not of the documented form is unreadable; a single result lacking what we need is skipped.
 */

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A number, also when the API sends it as text (EGIDs are text in the register layer). */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

const textOf = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** The `results` array every SearchServer, find and identify answer has. */
function resultsOf(body: unknown): unknown[] {
  if (!isRecord(body) || !Array.isArray(body.results)) throw new UnreadableAnswerError('no "results" array');
  return body.results;
}

const inSwitzerland = (point: { lat: number; lon: number }): boolean => point.lat >= 45 && point.lat <= 48 && point.lon >= 5 && point.lon <= 11;
const round7 = (value: number): number => Math.round(value * 1e7) / 1e7;

// --- SearchServer (type=locations, origins=address) -------------------------------------------

export type SearchHit = {
  /** "Badstrasse 12, 5400 Baden" */
  label: string;
  egid: string;
  plz: number;
  /** Postal locality, as written in the label. */
  place: string;
  canton: string | null;
  lat: number;
  lon: number;
};

const EGID_EDID = /^(\d{1,12})_\d{1,4}$/;
const GWR_LINK = /ch\.bfs\.gebaeude_wohnungs_register\/(\d{1,12})_\d{1,4}$/;

/**
 * The EGID of an address result: its `featureId` is the register's `egid_edid` (EGID, underscore,
 * entrance number). Newer answers also carry `links` to the register feature; they are read when the
 * feature id is in another form (the search service announces a switch to the address id EGAID).
 */
export function egidOf(attrs: Json): string | null {
  const featureId = typeof attrs.featureId === 'number' ? String(attrs.featureId) : textOf(attrs.featureId);
  const fromFeature = featureId ? EGID_EDID.exec(featureId) : null;
  if (fromFeature) return fromFeature[1];
  const links = Array.isArray(attrs.links) ? attrs.links : [];
  for (const link of links) {
    const href = isRecord(link) ? textOf(link.href) : null;
    const fromLink = href ? GWR_LINK.exec(href) : null;
    if (fromLink) return fromLink[1];
  }
  return null;
}

/** The canton ends the search `detail`: "badstrasse 12 5400 baden 4021 baden ch ag". */
function cantonOf(detail: unknown): string | null {
  const match = typeof detail === 'string' ? /\bch ([a-z]{2})\s*$/i.exec(detail) : null;
  return match ? match[1].toUpperCase() : null;
}

function searchHitOf(result: unknown): SearchHit | null {
  const attrs = isRecord(result) && isRecord(result.attrs) ? result.attrs : null;
  if (!attrs || (attrs.origin !== undefined && attrs.origin !== 'address')) return null;
  const label = textOf(attrs.label);
  const place = label ? labelPlace(label) : undefined;
  const egid = egidOf(attrs);
  const lat = numberOf(attrs.lat) ?? numberOf(attrs.y);
  const lon = numberOf(attrs.lon) ?? numberOf(attrs.x);
  if (!label || !place || !egid || lat === null || lon === null || !inSwitzerland({ lat, lon })) return null;
  return { label: addressLabel(label), egid, plz: place.plz, place: place.place, canton: cantonOf(attrs.detail), lat: round7(lat), lon: round7(lon) };
}

/** Address results with a building (EGID), a postcode and a WGS 84 position; others are skipped. */
export function parseSearchHits(body: unknown): SearchHit[] {
  return resultsOf(body)
    .map(searchHitOf)
    .filter((hit): hit is SearchHit => hit !== null);
}

// --- MapServer find / identify -------------------------------------------------------------

type Feature = { id: string | null; attributes: Json; geometry: unknown };

/** GeoJSON answers put the attributes in `properties`, ESRI JSON answers in `attributes`. */
function featureOf(result: unknown): Feature | null {
  if (!isRecord(result)) return null;
  const attributes = isRecord(result.properties) ? result.properties : isRecord(result.attributes) ? result.attributes : null;
  if (!attributes) return null;
  const id = result.featureId ?? result.id;
  return { id: typeof id === 'number' || typeof id === 'string' ? String(id) : null, attributes, geometry: result.geometry };
}

export function parseFeatures(body: unknown): Feature[] {
  return resultsOf(body)
    .map(featureOf)
    .filter((feature): feature is Feature => feature !== null);
}

/** A WGS 84 point from a GeoJSON point, an ESRI point, or else the register's LV95 coordinates. */
function positionOf(feature: Feature): { lat: number; lon: number } | null {
  const geometry = isRecord(feature.geometry) ? feature.geometry : null;
  const coordinates = geometry && Array.isArray(geometry.coordinates) ? geometry.coordinates : null;
  const fromGeometry = coordinates
    ? { lon: numberOf(coordinates[0]), lat: numberOf(coordinates[1]) }
    : { lon: numberOf(geometry?.x), lat: numberOf(geometry?.y) };
  if (fromGeometry.lat !== null && fromGeometry.lon !== null && inSwitzerland(fromGeometry as { lat: number; lon: number })) {
    return { lat: round7(fromGeometry.lat), lon: round7(fromGeometry.lon) };
  }
  const easting = numberOf(feature.attributes.gkode);
  const northing = numberOf(feature.attributes.gkodn);
  if (easting === null || northing === null) return null;
  const converted = lv95ToWgs84(easting, northing);
  return inSwitzerland(converted) ? { lat: round7(converted.lat), lon: round7(converted.lon) } : null;
}

// --- ch.bfs.gebaeude_wohnungs_register ------------------------------------------------------

export type RegisterRecord = {
  egid: string;
  edid: number;
  address: string;
  plz: number;
  municipality: string;
  bfsNumber: number | null;
  canton: string | null;
  lat: number;
  lon: number;
  category: number | null;
  buildingClass: number | null;
  dwellings: number | null;
  energyReferenceAreaM2: number | null;
  constructionYear: number | null;
  heatGenerator: number | null;
  heatSource: number | null;
};

/** `strname` is a list (one name per language) in identify answers, text elsewhere. */
function streetOf(attributes: Json): string | null {
  const named = textOf(attributes.strname_deinr);
  if (named) return named;
  const street = Array.isArray(attributes.strname) ? textOf(attributes.strname[0]) : textOf(attributes.strname);
  const number = textOf(attributes.deinr);
  return street ? [street, number].filter(Boolean).join(' ') : null;
}

/** DPLZ4, or the first four digits of PLZ_PLZ6 ("5400/540000"). */
function postcodeOf(attributes: Json): number | null {
  const plz = numberOf(attributes.dplz4);
  if (plz !== null) return plz;
  const combined = textOf(attributes.plz_plz6);
  const match = combined ? /^(\d{4})/.exec(combined) : null;
  return match ? Number(match[1]) : null;
}

function registerRecordOf(feature: Feature): RegisterRecord | null {
  const a = feature.attributes;
  const egid = numberOf(a.egid);
  const street = streetOf(a);
  const plz = postcodeOf(a);
  const locality = textOf(a.dplzname);
  const municipality = textOf(a.ggdename);
  const position = positionOf(feature);
  if (egid === null || !street || plz === null || !municipality || !position) return null;
  return {
    egid: String(egid),
    edid: numberOf(a.edid) ?? Number(feature.id?.split('_')[1] ?? 0),
    address: `${street}, ${plz} ${locality ?? municipality}`,
    plz,
    municipality,
    bfsNumber: numberOf(a.ggdenr),
    canton: textOf(a.gdekt)?.toUpperCase() ?? null,
    ...position,
    category: numberOf(a.gkat),
    buildingClass: numberOf(a.gklas),
    dwellings: numberOf(a.ganzwhg),
    energyReferenceAreaM2: numberOf(a.gebf),
    constructionYear: numberOf(a.gbauj),
    heatGenerator: numberOf(a.gwaerzh1),
    heatSource: numberOf(a.genh1),
  };
}

/** The building's entrances (one feature per entrance), first entrance first. */
export function parseRegisterRecords(body: unknown, egid: string): RegisterRecord[] {
  return parseFeatures(body)
    .map(registerRecordOf)
    .filter((record): record is RegisterRecord => record !== null && record.egid === egid)
    .sort((a, b) => a.edid - b.edid);
}

// --- ch.bfe.solarenergie-eignung-daecher ----------------------------------------------------

export type SonnendachFace = RoofFace & { sonnendachBuildingId: string | null };

function roofFaceOf(feature: Feature): SonnendachFace | null {
  const a = feature.attributes;
  const area = numberOf(a.flaeche);
  const id = feature.id ?? textOf(a.df_uid);
  if (area === null || id === null) return null;
  const buildingId = numberOf(a.building_id);
  return {
    id,
    areaM2: area,
    yieldKwh: numberOf(a.stromertrag) ?? 0,
    suitabilityClass: numberOf(a.klasse),
    irradiationKwhPerM2: numberOf(a.mstrahlung),
    sonnendachBuildingId: buildingId === null ? null : String(buildingId),
  };
}

/** Roof faces; features of the layer's overview (no area) are skipped. */
export function parseRoofFaces(body: unknown): SonnendachFace[] {
  return parseFeatures(body)
    .map(roofFaceOf)
    .filter((face): face is SonnendachFace => face !== null);
}
