import { Logger, LoggerService, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parseAddressArea } from '../src/config/address-area';
import { AddressCacheEntry } from '../src/addresses/address-cache.entity';
import { AddressCacheStore } from '../src/addresses/address-cache.store';
import { FIND_PATH, GeoadminAddressDirectory, IDENTIFY_PATH, SEARCH_PATH } from '../src/addresses/geoadmin/geoadmin-directory';
import { DIRECTORY_UNAVAILABLE, GeoadminClient } from '../src/addresses/geoadmin/geoadmin.client';
import { dataSourceOptions } from '../src/database/data-source-options';
import { DatabaseTarget, openDatabase } from '../src/database/database-target';
import { FakeGeoadmin, startFakeGeoadmin } from './helpers/fake-geoadmin';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

const TIMEOUT_MS = 300;

/** Everything the directory logs in this suite, to check that no typed address reaches a log line. */
const logged: string[] = [];
const collector: LoggerService = {
  log: (message: unknown) => logged.push(String(message)),
  warn: (message: unknown) => logged.push(String(message)),
  error: (message: unknown) => logged.push(String(message)),
  debug: (message: unknown) => logged.push(String(message)),
};

describe(GeoadminAddressDirectory.name, () => {
  let database: TestDatabase;
  let target: DatabaseTarget;
  let dataSource: DataSource;
  let fake: FakeGeoadmin;

  beforeAll(async () => {
    Logger.overrideLogger(collector);
    database = await createTestDatabase();
    target = await openDatabase(testEnv(database));
    dataSource = await new DataSource(dataSourceOptions(target, false)).initialize();
    await dataSource.runMigrations();
    fake = await startFakeGeoadmin();
  });

  afterAll(async () => {
    await fake?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await target?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    fake.reset();
    await dataSource.query('DELETE FROM address_cache');
  });

  function directory(area = '5000-5999', cacheTtlMs = 60_000): GeoadminAddressDirectory {
    return new GeoadminAddressDirectory(
      { baseUrl: fake.url, area: parseAddressArea(area), cacheTtlMs },
      new GeoadminClient({ baseUrl: fake.url, timeoutMs: TIMEOUT_MS, retryDelayMs: 20 }),
      new AddressCacheStore(dataSource.getRepository(AddressCacheEntry)),
    );
  }

  const unavailable = expect.objectContaining({ constructor: ServiceUnavailableException, message: DIRECTORY_UNAVAILABLE });

  describe('suggest', () => {
    it('should ask the SearchServer for addresses in WGS 84 and give labels without markup, inside the area', async () => {
      const sut = directory();

      const suggestions = await sut.suggest('Badstrasse 1,', 10);

      expect(suggestions).toEqual([
        { label: 'Badstrasse 12, 5400 Baden', building_id: '190365', plz: 5400, municipality: 'Baden', lat: 47.4738159, lon: 8.3071423 },
        { label: 'Badstrasse 14, 5400 Baden', building_id: '190366', plz: 5400, municipality: 'Baden', lat: 47.4739922, lon: 8.3072851 },
      ]);
      expect(fake.requests).toEqual([
        {
          path: SEARCH_PATH,
          params: { type: 'locations', origins: 'address', sr: '4326', searchText: 'Badstrasse 1', limit: '30', returnGeometry: 'true' },
        },
      ]);
    });

    it('should take postcodes and cantons of the area into account', async () => {
      const labels = async (area: string) => (await directory(area).suggest('Badstrasse 1', 10)).map((s) => s.label);

      expect(await labels('8957')).toEqual(['Badstrasse 1, 8957 Spreitenbach']);
      expect(await labels('ZH')).toEqual(['Badstrasse 1, 8805 Richterswil']);
      expect(await labels('AG')).toEqual(['Badstrasse 12, 5400 Baden', 'Badstrasse 14, 5400 Baden', 'Badstrasse 1, 8957 Spreitenbach']);
      expect(await labels('3000-3999')).toEqual([]);
    });

    it('should give at most as many suggestions as asked', async () => {
      expect(await directory('AG').suggest('Badstrasse 1', 2)).toHaveLength(2);
    });
  });

  describe('resolving a building', () => {
    it('should combine register facts and suitable roofs into a building with estimates', async () => {
      const sut = directory();

      const resolution = await sut.resolveAddress('Badstrasse 12, 5400 Baden');

      expect(resolution).toEqual({
        status: 'found',
        building: {
          building_id: '190365',
          address: 'Badstrasse 12, 5400 Baden',
          plz: 5400,
          municipality: 'Baden',
          bfs_number: 4021,
          canton: 'AG',
          lat: 47.4738159,
          lon: 8.3071423,
          building_type: 'EFH',
          building_category: 1020,
          building_class: 1110,
          dwellings: 1,
          energy_reference_area_m2: 180,
          construction_year: 1968,
          heating: 'heat_pump',
          // The south face (48.5 m², 1 245 kWh/m²) and the dormer (12.3 m², 1 080 kWh/m²); not the north face (850 kWh/m²).
          roof_area_m2: 60.8,
          solar_yield_kwh: 10018,
          // 4 500 kWh household + 180 m² × 130 kWh/m² / 3 for the heat pump of a 1968 house.
          annual_consumption_kwh: 12300,
          // 60.8 m² × 0.17 kWp/m² × 70 %
          potential_pv_kwp: 7.2,
          source: 'geoadmin',
          demo: false,
        },
      });
      expect(fake.requestsTo(FIND_PATH).map((request) => request.params)).toEqual(
        expect.arrayContaining([
          {
            layer: 'ch.bfs.gebaeude_wohnungs_register',
            searchField: 'egid',
            searchText: '190365',
            contains: 'false',
            returnGeometry: 'true',
            geometryFormat: 'geojson',
            sr: '4326',
          },
          {
            layer: 'ch.bfe.solarenergie-eignung-daecher',
            searchField: 'gwr_egid',
            searchText: '190365',
            contains: 'false',
            returnGeometry: 'false',
            geometryFormat: 'geojson',
          },
        ]),
      );
      expect(fake.requestsTo(IDENTIFY_PATH)).toEqual([]);
    });

    it('should report a building at its first entrance and find roofs without an EGID under the register point', async () => {
      const resolution = await directory().resolveBuilding('190366');

      expect(resolution).toMatchObject({
        status: 'found',
        building: {
          building_id: '190366',
          address: 'Badstrasse 14, 5400 Baden',
          building_type: 'MFH',
          dwellings: 6,
          heating: 'other',
          roof_area_m2: 210.4,
          solar_yield_kwh: 37264,
          annual_consumption_kwh: 6 * 2750,
          potential_pv_kwp: 25,
        },
      });
      expect(fake.requestsTo(IDENTIFY_PATH).map((request) => request.params)).toEqual([
        {
          layers: 'all:ch.bfe.solarenergie-eignung-daecher',
          geometryType: 'esriGeometryPoint',
          geometry: '8.3072851,47.4739922',
          sr: '4326',
          tolerance: '0',
          mapExtent: '0,0,0,0',
          imageDisplay: '0,0,0',
          returnGeometry: 'false',
          geometryFormat: 'geojson',
        },
      ]);
      expect(fake.requestsTo(FIND_PATH).some((request) => request.params.searchField === 'building_id' && request.params.searchText === '1187360')).toBe(true);
    });

    it('should keep the entrance the owner picked as the address', async () => {
      expect(await directory().resolveAddress('Badstrasse 14 Baden')).toMatchObject({ status: 'found', building: { building_id: '190366', address: 'Badstrasse 14, 5400 Baden' } });
    });

    it('should answer outside-area with the postcode, without asking the register', async () => {
      expect(await directory().resolveAddress('Badstrasse 1, 8957 Spreitenbach')).toEqual({ status: 'outside-area', plz: 8957 });
      expect(fake.requestsTo(FIND_PATH)).toEqual([]);
    });

    it('should answer outside-area for a building whose postcode the area does not hold', async () => {
      expect(await directory('5401-5999').resolveBuilding('190365')).toEqual({ status: 'outside-area', plz: 5400 });
    });

    it('should answer unknown for an address the search does not find', async () => {
      expect(await directory().resolveAddress('Nirgendweg 99, 5400 Baden')).toEqual({ status: 'unknown' });
    });

    it('should not take another house number for the typed one', async () => {
      expect(await directory().resolveAddress('Badstrasse 13, 5400 Baden')).toEqual({ status: 'unknown' });
    });

    it('should answer unknown for an EGID the register does not have, and for ids that are no EGID without asking', async () => {
      expect(await directory().resolveBuilding('999999999')).toEqual({ status: 'unknown' });
      const asked = fake.requests.length;

      expect(await directory().resolveBuilding('demo-baden-badstrasse-12')).toEqual({ status: 'unknown' });
      expect(fake.requests.length).toBe(asked);
    });
  });

  describe('when geo.admin.ch does not answer properly', () => {
    it('should give up with 503 after one retry when no answer comes, within a bounded time', async () => {
      fake.setMode({ kind: 'hang' });
      const startedAt = Date.now();

      await expect(directory().suggest('Badstrasse 1', 10)).rejects.toEqual(unavailable);

      expect(Date.now() - startedAt).toBeLessThan(2 * TIMEOUT_MS + 1000);
      expect(fake.requests).toHaveLength(2);
    });

    it('should retry a 5xx once, then give up with 503', async () => {
      fake.setMode({ kind: 'status', status: 500, body: '<html>Internal Server Error</html>' });

      await expect(directory().resolveAddress('Badstrasse 12, 5400 Baden')).rejects.toEqual(unavailable);
      expect(fake.requests).toHaveLength(2);
    });

    it('should answer normally when the retry of a 5xx succeeds', async () => {
      fake.setMode({ kind: 'flaky', failures: 1 });

      expect(await directory().suggest('Badstrasse 1', 10)).toHaveLength(2);
      expect(fake.requests).toHaveLength(2);
    });

    it('should not retry a 4xx', async () => {
      fake.setMode({ kind: 'status', status: 400, body: '{"code":400,"message":"Please provide a searchText"}' });

      await expect(directory().suggest('Badstrasse 1', 10)).rejects.toEqual(unavailable);
      expect(fake.requests).toHaveLength(1);
    });

    it('should not trust an answer that is not the documented JSON', async () => {
      fake.setMode({ kind: 'status', status: 200, body: '<html>Maintenance</html>' });
      await expect(directory().suggest('Badstrasse 1', 10)).rejects.toEqual(unavailable);

      fake.setMode({ kind: 'status', status: 200, body: '{"features":[]}' });
      await expect(directory().suggest('Badstrasse 1', 10)).rejects.toEqual(unavailable);
    });
  });

  describe('cache', () => {
    it('should answer the same query again from the database, whatever the spacing and case', async () => {
      const sut = directory();
      const first = await sut.suggest('Badstrasse 1', 10);
      const asked = fake.requests.length;

      expect(await sut.suggest('  badstrasse   1 ', 10)).toEqual(first);
      expect(await directory().suggest('BADSTRASSE 1', 10)).toEqual(first);
      expect(fake.requests.length).toBe(asked);
    });

    it('should resolve an address and a building a second time without asking', async () => {
      const sut = directory();
      const first = await sut.resolveAddress('Badstrasse 12, 5400 Baden');
      const asked = fake.requests.length;

      expect(await sut.resolveAddress('badstrasse 12 5400 baden')).toEqual(first);
      expect(await sut.resolveBuilding('190365')).toMatchObject({ status: 'found', building: { building_id: '190365' } });
      expect(fake.requests.length).toBe(asked);
    });

    it('should apply the area on answering, so a cached answer follows a changed area', async () => {
      await directory('5000-5999').resolveBuilding('190365');
      const asked = fake.requests.length;

      expect(await directory('8000-8999').resolveBuilding('190365')).toEqual({ status: 'outside-area', plz: 5400 });
      expect(fake.requests.length).toBe(asked);
    });

    it('should ask again once an entry has expired', async () => {
      const sut = directory();
      await sut.suggest('Badstrasse 1', 10);
      await dataSource.query(`UPDATE address_cache SET expires_at = now() - interval '1 second'`);

      await sut.suggest('Badstrasse 1', 10);

      expect(fake.requestsTo(SEARCH_PATH)).toHaveLength(2);
    });

    it('should keep hashes of the normalised text as keys, never the typed text', async () => {
      await directory().resolveAddress('Badstrasse 12, 5400 Baden');

      const rows: { cache_key: string }[] = await dataSource.query('SELECT cache_key FROM address_cache');
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.cache_key).toMatch(/^(suggest|address|building):[0-9a-f]{64}$/);
    });

    it('should remove expired entries in small batches when writing', async () => {
      await dataSource.query(
        `INSERT INTO address_cache (cache_key, value, expires_at)
         SELECT 'building:old-' || n, '{"unknown":true}'::jsonb, now() - interval '1 hour' FROM generate_series(1, 70) AS n`,
      );

      await directory().resolveBuilding('999999999');

      const [{ expired }]: { expired: number }[] = await dataSource.query(`SELECT count(*)::int AS expired FROM address_cache WHERE expires_at <= now()`);
      expect(expired).toBe(20);
    });
  });

  it('should log paths, statuses and durations, never what was typed', () => {
    expect(logged.some((line) => line.includes('/rest/services/api/SearchServer'))).toBe(true);
    expect(logged.filter((line) => /badstr|nirgendweg|5400|190365/i.test(line))).toEqual([]);
  });
});
