import { egidOf, numberOf, parseRegisterRecords, parseRoofFaces, parseSearchHits } from './geoadmin-responses';
import { UnreadableAnswerError } from './geoadmin.client';

describe(egidOf.name, () => {
  it('should read the EGID from a featureId of the form egid_edid', () => {
    expect(egidOf({ featureId: '190365_0' })).toBe('190365');
    expect(egidOf({ featureId: '190365_12' })).toBe('190365');
  });

  it('should read it from the register link when the featureId is in another form', () => {
    const links = [
      { rel: 'related', title: 'ch.swisstopo.amtliches-gebaeudeadressverzeichnis', href: '/rest/services/ech/MapServer/ch.swisstopo.amtliches-gebaeudeadressverzeichnis/190365_0' },
      { rel: 'related', title: 'ch.bfs.gebaeude_wohnungs_register', href: '/rest/services/ech/MapServer/ch.bfs.gebaeude_wohnungs_register/190365_0' },
    ];
    expect(egidOf({ featureId: '100190365', links })).toBe('190365');
  });

  it('should not take a plain number (it may be an address id, EGAID) for an EGID', () => {
    expect(egidOf({ featureId: '100190365' })).toBeNull();
    expect(egidOf({ featureId: null })).toBeNull();
    expect(egidOf({})).toBeNull();
  });
});

describe(numberOf.name, () => {
  it('should read numbers and numeric text only', () => {
    expect(numberOf(12)).toBe(12);
    expect(numberOf('190365')).toBe(190365);
    expect(numberOf('12.5')).toBe(12.5);
    expect(numberOf('12a')).toBeNull();
    expect(numberOf(null)).toBeNull();
    expect(numberOf(Number.NaN)).toBeNull();
  });
});

describe(parseSearchHits.name, () => {
  it('should refuse an answer without a results array', () => {
    expect(() => parseSearchHits({ features: [] })).toThrow(UnreadableAnswerError);
    expect(() => parseSearchHits('results')).toThrow(UnreadableAnswerError);
  });

  it('should skip results that are not usable addresses', () => {
    const hit = (attrs: Record<string, unknown>) => ({ id: 1, weight: 1, attrs: { origin: 'address', featureId: '1_0', label: 'A 1 <b>5400 Baden</b>', lat: 47.47, lon: 8.3, ...attrs } });

    const hits = parseSearchHits({
      results: [hit({}), hit({ origin: 'gg25' }), hit({ label: '<b>Baden (AG)</b>' }), hit({ lat: 0 }), hit({ featureId: 'x' }), 'junk', { attrs: null }],
    });

    expect(hits).toEqual([{ label: 'A 1, 5400 Baden', egid: '1', plz: 5400, place: 'Baden', canton: null, lat: 47.47, lon: 8.3 }]);
  });
});

describe(parseRegisterRecords.name, () => {
  const feature = (properties: Record<string, unknown>, geometry: unknown = null) => ({ featureId: '7_0', id: '7_0', properties, geometry });
  const facts = { egid: '7', ggdename: 'Baden', gdekt: 'ag', ggdenr: 4021 };

  it('should place a building by its LV95 coordinates when the answer has no WGS 84 geometry', () => {
    const [record] = parseRegisterRecords({ results: [feature({ ...facts, strname_deinr: 'Badstrasse 12', dplz4: 5400, dplzname: 'Baden', gkode: 2665471.9, gkodn: 1258478.0 })] }, '7');

    expect(record).toMatchObject({ egid: '7', address: 'Badstrasse 12, 5400 Baden', canton: 'AG' });
    expect(record.lat).toBeCloseTo(47.4738, 3);
    expect(record.lon).toBeCloseTo(8.3071, 3);
  });

  it('should build the address from street names in a list and the postcode from plz_plz6', () => {
    const [record] = parseRegisterRecords(
      { results: [feature({ ...facts, strname: ['Badstrasse', 'Rue des Bains'], deinr: '12', plz_plz6: '5400/540000' }, { type: 'Point', coordinates: [8.3, 47.47] })] },
      '7',
    );

    expect(record).toMatchObject({ address: 'Badstrasse 12, 5400 Baden', plz: 5400, lat: 47.47, lon: 8.3 });
  });

  it('should read ESRI JSON answers (attributes, x/y) as well', () => {
    const [record] = parseRegisterRecords(
      { results: [{ featureId: '7_0', attributes: { ...facts, strname_deinr: 'Badstrasse 12', dplz4: 5400 }, geometry: { x: 8.3, y: 47.47 } }] },
      '7',
    );

    expect(record).toMatchObject({ address: 'Badstrasse 12, 5400 Baden', lat: 47.47, lon: 8.3 });
  });

  it('should skip features of other buildings and features it cannot place', () => {
    expect(parseRegisterRecords({ results: [feature({ ...facts, egid: '8', strname_deinr: 'A 1', dplz4: 5400 }, { type: 'Point', coordinates: [8.3, 47.47] })] }, '7')).toEqual([]);
    expect(parseRegisterRecords({ results: [feature({ ...facts, strname_deinr: 'A 1', dplz4: 5400 })] }, '7')).toEqual([]);
  });
});

describe(parseRoofFaces.name, () => {
  it('should read faces and skip overview features without an area', () => {
    const faces = parseRoofFaces({
      results: [
        { featureId: 1, properties: { flaeche: 48.5, stromertrag: 8212, klasse: 4, mstrahlung: 1245, building_id: 9 } },
        { featureId: 2, properties: { de: 'Daten verfügbar', fr: 'Données disponibles' } },
      ],
    });

    expect(faces).toEqual([{ id: '1', areaM2: 48.5, yieldKwh: 8212, suitabilityClass: 4, irradiationKwhPerM2: 1245, sonnendachBuildingId: '9' }]);
  });
});
