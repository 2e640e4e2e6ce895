import { haversineMeters } from '../../geo/geo';
import { BUILDING_ID_PATTERN } from '../../building-records/building-record';
import { demoBuilding } from './demo-building';
import { buildGazetteer, GazetteerEntry, housesPerSide, resolveGazetteerText, searchGazetteer } from './gazetteer';
import { DEMO_STREETS } from './gazetteer.data';

describe('Demo gazetteer', () => {
  const sut = buildGazetteer();
  const onStreet = (entry: GazetteerEntry) => `${entry.street.town.plz} ${entry.street.name}`;
  const streets = [...new Set(sut.entries.map(onStreet))];
  const entriesOf = (street: string) => sut.entries.filter((entry) => onStreet(entry) === street);

  it('should hold a few dozen streets of Baden and its neighbours', () => {
    expect(DEMO_STREETS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(DEMO_STREETS.map((street) => street.town.plz))).toEqual(new Set([5400, 5408, 5415, 5417, 5430, 5432]));
    expect(sut.entries.length).toBe(DEMO_STREETS.reduce((sum, street) => sum + 2 * housesPerSide(street), 0));
  });

  it('should be the same on every build', () => {
    const again = buildGazetteer();

    expect(again.entries.map(({ id, lat, lon }) => ({ id, lat, lon }))).toEqual(sut.entries.map(({ id, lat, lon }) => ({ id, lat, lon })));
    const sample = sut.entries.filter((_, index) => index % 97 === 0);
    expect(sample.map((entry) => demoBuilding(entry))).toEqual(sample.map((entry) => demoBuilding(again.byId.get(entry.id)!)));
  });

  it('should give every address a unique id a registration accepts', () => {
    expect(sut.byId.size).toBe(sut.entries.length);
    for (const entry of sut.entries) expect(entry.id).toMatch(BUILDING_ID_PATTERN);
    expect(sut.byId.get('demo-baden-badstrasse-12')?.label).toBe('Badstrasse 12, 5400 Baden');
  });

  it('should place consecutive numbers of a street as neighbours: more than 8 m and at most 150 m apart', () => {
    for (const street of streets) {
      const entries = entriesOf(street);
      for (let index = 1; index < entries.length; index++) {
        const distance = haversineMeters(entries[index - 1], entries[index]);
        expect({ street, number: entries[index].number, near: distance <= 150, apart: distance > 8 }).toEqual({
          street,
          number: entries[index].number,
          near: true,
          apart: true,
        });
      }
    }
  });

  it('should space numbers on one side 12–20 m apart', () => {
    const badstrasse = entriesOf('5400 Badstrasse');
    const step = haversineMeters(badstrasse[0], badstrasse[2]);
    expect(step).toBeGreaterThanOrEqual(11.9);
    expect(step).toBeLessThanOrEqual(20.1);
  });

  it('should put streets tens to hundreds of metres apart, some farther than 300 m', () => {
    const first = (street: string) => entriesOf(street)[0];
    expect(haversineMeters(first('5400 Badstrasse'), first('5430 Landstrasse'))).toBeGreaterThan(300);
    expect(haversineMeters(first('5400 Burghaldenstrasse'), first('5408 Grendelstrasse'))).toBeGreaterThan(300);
  });

  it('should stay around Baden AG', () => {
    for (const entry of sut.entries) {
      expect(haversineMeters(entry, { lat: 47.4733, lon: 8.3064 })).toBeLessThan(6000);
    }
  });

  describe(searchGazetteer.name, () => {
    const labels = (query: string) => searchGazetteer(sut, query).map((entry) => entry.label);

    it('should complete a street prefix with a number prefix', () => {
      expect(labels('badstr 1').slice(0, 3)).toEqual(['Badstrasse 1, 5400 Baden', 'Badstrasse 10, 5400 Baden', 'Badstrasse 11, 5400 Baden']);
    });

    it('should ignore case and accents', () => {
      expect(labels('Bäderstrasse 3')[0]).toBe('Bäderstrasse 3, 5400 Baden');
      expect(labels('baderstrasse 3')[0]).toBe('Bäderstrasse 3, 5400 Baden');
      expect(labels('WEITE gasse 3')[0]).toBe('Weite Gasse 3, 5400 Baden');
    });

    it('should put streets beginning with the first word before places that do', () => {
      const found = labels('bad');
      expect(found[0]).toMatch(/^Badstrasse|^Bäderstrasse/);
      expect(found.some((label) => label.startsWith('Bahnhofstrasse'))).toBe(true);
    });

    it('should narrow down by postcode or place', () => {
      expect(new Set(searchGazetteer(sut, 'landstrasse 5415').map((entry) => entry.street.town.locality))).toEqual(new Set(['Nussbaumen']));
      expect(new Set(searchGazetteer(sut, 'landstr wett').map((entry) => entry.street.town.locality))).toEqual(new Set(['Wettingen']));
    });

    it('should find nothing for blank or unknown text', () => {
      expect(labels('   ')).toEqual([]);
      expect(labels('Bahnhofplatz 99')).toEqual([]);
    });
  });

  describe(resolveGazetteerText.name, () => {
    const resolved = (text: string) => resolveGazetteerText(sut, text)?.id;

    it.each([
      ['Badstrasse 12, 5400 Baden', 'demo-baden-badstrasse-12'],
      ['badstr. 12 baden', 'demo-baden-badstrasse-12'],
      ['Badstrasse 12', 'demo-baden-badstrasse-12'],
      ['Weite Gasse 3, 5400 Baden AG', 'demo-baden-weite-gasse-3'],
      ['Landstrasse 4, 5415 Nussbaumen', 'demo-nussbaumen-landstrasse-4'],
      ['Landstrasse 4, Obersiggenthal', 'demo-nussbaumen-landstrasse-4'],
      ['Landstrasse 4, 5430 Wettingen', 'demo-wettingen-landstrasse-4'],
      ['Alberich Zwyssig-Strasse 5, 5430 Wettingen', 'demo-wettingen-alberich-zwyssig-strasse-5'],
    ])('should resolve %j', (text, id) => {
      expect(resolved(text)).toBe(id);
    });

    it.each(['Badstrasse 12, 8000 Zürich', 'Badstrasse 12 Wettingen', 'Badstrasse 999, 5400 Baden', 'Bahnhofplatz 1, 5400 Baden', 'Badstrasse'])(
      'should not resolve %j',
      (text) => {
        expect(resolved(text)).toBeUndefined();
      },
    );
  });
});
