import { parseAddressArea } from '../../config/address-area';
import { DirectoryBuilding } from '../address-directory';
import { estimateAnnualConsumptionKwh } from '../consumption-estimate';
import { potentialPvKwp } from '../solar-potential';
import { buildGazetteer } from './gazetteer';
import { OfflineAddressDirectory } from './offline-directory';

describe(OfflineAddressDirectory.name, () => {
  const sut = new OfflineAddressDirectory(parseAddressArea('5000-5999'));
  const baden = new OfflineAddressDirectory(parseAddressArea('5400'));

  const found = async (directory: OfflineAddressDirectory, id: string): Promise<DirectoryBuilding> => {
    const resolution = await directory.resolveBuilding(id);
    if (resolution.status !== 'found') throw new Error(`${id} was ${resolution.status}`);
    return resolution.building;
  };

  it('should say in its description that it is demo data', () => {
    expect(sut.kind).toBe('offline');
    expect(sut.demo).toBe(true);
    expect(sut.description).toMatch(/^Address directory: offline DEMO gazetteer \(\d+ addresses in Baden AG and neighbours; not real data\), area 5000-5999$/);
  });

  it('should suggest addresses with id, postcode and place, at most as many as asked', async () => {
    const suggestions = await sut.suggest('badstr 1', 5);

    expect(suggestions).toHaveLength(5);
    expect(suggestions[0]).toEqual({
      label: 'Badstrasse 1, 5400 Baden',
      building_id: 'demo-baden-badstrasse-1',
      plz: 5400,
      municipality: 'Baden',
      lat: expect.any(Number),
      lon: expect.any(Number),
    });
  });

  it('should suggest only addresses inside the area', async () => {
    expect((await sut.suggest('landstrasse 1', 50)).map((s) => s.plz)).toEqual(expect.arrayContaining([5415, 5430]));
    expect(await baden.suggest('landstrasse 1', 50)).toEqual([]);
  });

  it('should resolve free text to a demo building with register-like facts', async () => {
    const resolution = await sut.resolveAddress('Badstrasse 12, 5400 Baden');

    expect(resolution).toEqual({ status: 'found', building: await found(sut, 'demo-baden-badstrasse-12') });
    if (resolution.status !== 'found') return;
    const building = resolution.building;
    expect(building).toMatchObject({ address: 'Badstrasse 12, 5400 Baden', plz: 5400, municipality: 'Baden', canton: 'AG', source: 'offline-demo', demo: true });
    expect(['EFH', 'MFH', 'non-residential']).toContain(building.building_type);
    expect(building.annual_consumption_kwh).toBe(
      estimateAnnualConsumptionKwh({
        buildingType: building.building_type,
        dwellings: building.dwellings,
        energyReferenceAreaM2: building.energy_reference_area_m2,
        constructionYear: building.construction_year,
        heating: building.heating,
      }),
    );
    expect(building.potential_pv_kwp).toBe(potentialPvKwp(building.roof_area_m2));
  });

  it('should answer outside-area for a Wettingen address when the area is 5400', async () => {
    expect(await baden.resolveAddress('Landstrasse 4, 5430 Wettingen')).toEqual({ status: 'outside-area', plz: 5430 });
    expect(await baden.resolveBuilding('demo-wettingen-landstrasse-4')).toEqual({ status: 'outside-area', plz: 5430 });
  });

  it('should answer unknown for addresses and ids it does not have', async () => {
    expect(await sut.resolveAddress('Bahnhofplatz 1, 5400 Baden')).toEqual({ status: 'unknown' });
    expect(await sut.resolveBuilding('190365')).toEqual({ status: 'unknown' });
  });

  it('should build mostly single-family houses, some multi-family and a few non-residential buildings', async () => {
    const entries = buildGazetteer().entries;
    const buildings = await Promise.all(entries.map((entry) => found(sut, entry.id)));
    const share = (type: string) => buildings.filter((b) => b.building_type === type).length / buildings.length;

    expect(share('EFH')).toBeGreaterThan(0.45);
    expect(share('MFH')).toBeGreaterThan(0.15);
    expect(share('non-residential')).toBeGreaterThan(0.02);
    expect(share('non-residential')).toBeLessThan(0.2);
    for (const building of buildings) {
      expect(building.roof_area_m2).toBeGreaterThan(0);
      expect(building.solar_yield_kwh / building.roof_area_m2).toBeGreaterThan(130);
      expect(building.solar_yield_kwh / building.roof_area_m2).toBeLessThan(190);
      expect(building.dwellings === null || building.dwellings >= 1).toBe(true);
    }
  });
});
