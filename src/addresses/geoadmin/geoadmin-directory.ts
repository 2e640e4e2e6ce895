import { AddressArea, isInArea } from '../../config/address-area';
import { AddressCacheStore, cacheKey } from '../address-cache.store';
import { AddressDirectory, AddressSuggestion, DirectoryBuilding, Resolution } from '../address-directory';
import { foldAddress, houseNumbers, searchText } from '../address-text';
import { buildingTypeOf, heatingOf } from '../building-facts';
import { estimateAnnualConsumptionKwh } from '../consumption-estimate';
import { potentialPvKwp, summariseRoof } from '../solar-potential';
import { parseRegisterRecords, parseRoofFaces, parseSearchHits, RegisterRecord, SearchHit, SonnendachFace } from './geoadmin-responses';
import { GeoadminClient } from './geoadmin.client';

export const SEARCH_PATH = '/rest/services/api/SearchServer';
export const FIND_PATH = '/rest/services/api/MapServer/find';
export const IDENTIFY_PATH = '/rest/services/api/MapServer/identify';
export const REGISTER_LAYER = 'ch.bfs.gebaeude_wohnungs_register';
export const ROOF_LAYER = 'ch.bfe.solarenergie-eignung-daecher';

/** Results asked of the search: more than shown, since some fall outside the area or have no building. */
const SUGGEST_FETCH_LIMIT = 30;
const RESOLVE_FETCH_LIMIT = 10;
/** Sonnendach buildings looked up around the register point when the roofs carry no EGID. */
const MAX_ROOF_BUILDINGS = 3;
const EGID_PATTERN = /^\d{1,12}$/;

export type GeoadminDirectoryOptions = { baseUrl: string; area: AddressArea; cacheTtlMs: number };

type AddressCacheValue = { hit: SearchHit } | { unknown: true };
type BuildingCacheValue = { building: DirectoryBuilding } | { unknown: true };

/**
 * The federal directory: addresses from the GeoAdmin SearchServer, building facts from the building
 * and dwelling register (GWR) layer, roofs from the Sonnendach layer. Answers are cached in the
 * database for ADDRESS_CACHE_TTL; the area is applied when answering, so changing it needs no purge.
 */
export class GeoadminAddressDirectory extends AddressDirectory {
  readonly kind = 'geoadmin';
  readonly demo = false;
  readonly description: string;

  constructor(
    private readonly options: GeoadminDirectoryOptions,
    private readonly client: GeoadminClient,
    private readonly cache: AddressCacheStore,
  ) {
    super();
    this.description = `Address directory: geo.admin.ch at ${publicUrl(options.baseUrl)}, area ${options.area.description}`;
  }

  async suggest(query: string, limit: number): Promise<AddressSuggestion[]> {
    const text = searchText(query);
    if (text === '') return [];
    const key = cacheKey('suggest', foldAddress(text));
    const hits = (await this.cache.readFresh<SearchHit[]>(key)) ?? (await this.fetchAndCache(key, () => this.search(text, SUGGEST_FETCH_LIMIT)));
    // Several results can carry one label (an address listed for two buildings): show it once.
    const byLabel = new Map(hits.filter((hit) => this.inArea(hit)).map((hit) => [hit.label, hit]));
    return [...byLabel.values()]
      .slice(0, limit)
      .map(({ label, egid, plz, place, lat, lon }) => ({ label, building_id: egid, plz, municipality: place, lat, lon }));
  }

  async resolveAddress(text: string): Promise<Resolution> {
    const typed = searchText(text);
    if (typed === '') return { status: 'unknown' };
    const key = cacheKey('address', foldAddress(typed));
    const cached = (await this.cache.readFresh<AddressCacheValue>(key)) ?? (await this.fetchAndCache(key, () => this.bestHit(typed)));
    if ('unknown' in cached) return { status: 'unknown' };
    if (!this.inArea(cached.hit)) return { status: 'outside-area', plz: cached.hit.plz };
    const resolution = await this.resolveBuilding(cached.hit.egid);
    // The owner picked this entrance's address; the register lists the building at its first one.
    return resolution.status === 'found' ? { status: 'found', building: { ...resolution.building, address: cached.hit.label } } : resolution;
  }

  async resolveBuilding(buildingId: string): Promise<Resolution> {
    if (!EGID_PATTERN.test(buildingId)) return { status: 'unknown' };
    const key = cacheKey('building', buildingId);
    const cached = (await this.cache.readFresh<BuildingCacheValue>(key)) ?? (await this.fetchAndCache(key, () => this.lookUpBuilding(buildingId)));
    if ('unknown' in cached) return { status: 'unknown' };
    if (!this.inArea(cached.building)) return { status: 'outside-area', plz: cached.building.plz };
    return { status: 'found', building: cached.building };
  }

  private inArea(place: { plz: number; canton: string | null }): boolean {
    return isInArea(this.options.area, place);
  }

  private async fetchAndCache<T>(key: string, fetchValue: () => Promise<T>): Promise<T> {
    const value = await fetchValue();
    await this.cache.write(key, value, this.options.cacheTtlMs);
    return value;
  }

  private search(text: string, limit: number): Promise<SearchHit[]> {
    return this.client.getJson(
      SEARCH_PATH,
      { type: 'locations', origins: 'address', sr: '4326', searchText: text, limit: String(limit), returnGeometry: 'true' },
      parseSearchHits,
    );
  }

  /** The best-ranked address whose house number (if it has one) is one the owner typed. */
  private async bestHit(text: string): Promise<AddressCacheValue> {
    const typedNumbers = new Set(houseNumbers(text));
    const hits = await this.search(text, RESOLVE_FETCH_LIMIT);
    const hit = hits.find((candidate) => {
      const street = candidate.label.split(',')[0];
      const number = houseNumbers(street).pop();
      return number === undefined || typedNumbers.has(number);
    });
    return hit ? { hit } : { unknown: true };
  }

  private async lookUpBuilding(egid: string): Promise<BuildingCacheValue> {
    const [records, faces] = await Promise.all([this.registerRecords(egid), this.roofFacesByEgid(egid)]);
    const record = records[0];
    if (!record) return { unknown: true };
    const roof = faces.length > 0 ? faces : await this.roofFacesAround(record);
    return { building: buildingOf(record, roof) };
  }

  private registerRecords(egid: string): Promise<RegisterRecord[]> {
    return this.client.getJson(
      FIND_PATH,
      { layer: REGISTER_LAYER, searchField: 'egid', searchText: egid, contains: 'false', returnGeometry: 'true', geometryFormat: 'geojson', sr: '4326' },
      (body) => parseRegisterRecords(body, egid),
    );
  }

  private roofFacesByEgid(egid: string): Promise<SonnendachFace[]> {
    return this.roofFacesWhere('gwr_egid', egid);
  }

  private roofFacesWhere(searchField: 'gwr_egid' | 'building_id', value: string): Promise<SonnendachFace[]> {
    return this.client.getJson(
      FIND_PATH,
      { layer: ROOF_LAYER, searchField, searchText: value, contains: 'false', returnGeometry: 'false', geometryFormat: 'geojson' },
      parseRoofFaces,
    );
  }

  /**
   * Roofs without the EGID: the Sonnendach building under the register point (identify without a
   * buffer), then all faces of that building.
   */
  private async roofFacesAround(record: RegisterRecord): Promise<SonnendachFace[]> {
    const hit = await this.client.getJson(
      IDENTIFY_PATH,
      {
        layers: `all:${ROOF_LAYER}`,
        geometryType: 'esriGeometryPoint',
        geometry: `${record.lon},${record.lat}`,
        sr: '4326',
        tolerance: '0',
        mapExtent: '0,0,0,0',
        imageDisplay: '0,0,0',
        returnGeometry: 'false',
        geometryFormat: 'geojson',
      },
      parseRoofFaces,
    );
    const buildings = [...new Set(hit.map((face) => face.sonnendachBuildingId).filter((id): id is string => id !== null))].slice(0, MAX_ROOF_BUILDINGS);
    const faces = await Promise.all(buildings.map((id) => this.roofFacesWhere('building_id', id)));
    return faces.flat();
  }
}

function buildingOf(record: RegisterRecord, faces: SonnendachFace[]): DirectoryBuilding {
  const facts = { category: record.category, buildingClass: record.buildingClass, dwellings: record.dwellings };
  const buildingType = buildingTypeOf(facts);
  const heating = heatingOf(record.heatGenerator, record.heatSource);
  const roof = summariseRoof(faces);
  return {
    building_id: record.egid,
    address: record.address,
    plz: record.plz,
    municipality: record.municipality,
    bfs_number: record.bfsNumber,
    canton: record.canton,
    lat: record.lat,
    lon: record.lon,
    building_type: buildingType,
    building_category: record.category,
    building_class: record.buildingClass,
    dwellings: record.dwellings,
    energy_reference_area_m2: record.energyReferenceAreaM2,
    construction_year: record.constructionYear,
    heating,
    roof_area_m2: roof.roofAreaM2,
    solar_yield_kwh: roof.solarYieldKwh,
    annual_consumption_kwh: estimateAnnualConsumptionKwh({
      buildingType,
      dwellings: record.dwellings,
      energyReferenceAreaM2: record.energyReferenceAreaM2,
      constructionYear: record.constructionYear,
      heating,
    }),
    potential_pv_kwp: potentialPvKwp(roof.roofAreaM2),
    source: 'geoadmin',
    demo: false,
  };
}

/** The base URL without credentials or query, for the start-up log. */
function publicUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.username = '';
  url.password = '';
  url.search = '';
  return url.toString().replace(/\/+$/, '');
}
