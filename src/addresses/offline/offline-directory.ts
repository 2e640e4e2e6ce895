import { AddressArea, isInArea } from '../../config/address-area';
import { AddressDirectory, AddressSuggestion, Resolution } from '../address-directory';
import { demoBuilding } from './demo-building';
import { buildGazetteer, Gazetteer, GazetteerEntry, resolveGazetteerText, searchGazetteer } from './gazetteer';

const CANTON = 'AG';

/**
 * The directory for development, demonstrations, tests and air-gapped runs: a small demo gazetteer
 * of Baden AG and its neighbours. Deterministic; every answer says it is demo data.
 */
export class OfflineAddressDirectory extends AddressDirectory {
  readonly kind = 'offline';
  readonly demo = true;
  readonly description: string;

  constructor(
    private readonly area: AddressArea,
    private readonly gazetteer: Gazetteer = buildGazetteer(),
  ) {
    super();
    this.description =
      `Address directory: offline DEMO gazetteer (${gazetteer.entries.length} addresses in Baden AG and neighbours; ` +
      `not real data), area ${area.description}`;
  }

  suggest(query: string, limit: number): Promise<AddressSuggestion[]> {
    const matches = searchGazetteer(this.gazetteer, query).filter((entry) => this.inArea(entry));
    return Promise.resolve(matches.slice(0, limit).map(suggestionOf));
  }

  resolveAddress(text: string): Promise<Resolution> {
    return Promise.resolve(this.resolutionOf(resolveGazetteerText(this.gazetteer, text)));
  }

  resolveBuilding(buildingId: string): Promise<Resolution> {
    return Promise.resolve(this.resolutionOf(this.gazetteer.byId.get(buildingId)));
  }

  private inArea(entry: GazetteerEntry): boolean {
    return isInArea(this.area, { plz: entry.street.town.plz, canton: CANTON });
  }

  private resolutionOf(entry: GazetteerEntry | undefined): Resolution {
    if (!entry) return { status: 'unknown' };
    if (!this.inArea(entry)) return { status: 'outside-area', plz: entry.street.town.plz };
    return { status: 'found', building: demoBuilding(entry) };
  }
}

function suggestionOf(entry: GazetteerEntry): AddressSuggestion {
  return {
    label: entry.label,
    building_id: entry.id,
    plz: entry.street.town.plz,
    municipality: entry.street.town.locality,
    lat: entry.lat,
    lon: entry.lon,
  };
}
