import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { serverTarget } from '../../src/database/database-target';
import { validateEnv } from '../../src/config/env.validation';
import { databaseChecksum } from '../helpers/database-state';
import { recordResult } from '../helpers/reliability-run';
import { createTestDatabase, TestDatabase } from '../helpers/test-database';

process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

const RECORDS = 10_000;
/** The migrations reverted and re-applied: the latest ones, down to and including the one that rebuilt the community tables. */
const REBUILT_COMMUNITIES = 'IncrementalCommunities1795751000000';
/** Tables rebuilt from the records by the community full pass, which a migration may empty and mark due. */
const DERIVED = ['communities', 'community_members', 'community_contact_state', 'community_buildings', 'community_contact_lists', 'community_contact_seeds', 'community_pending_changes', 'community_recomputation', 'map_cells', 'public_data_version'];

/** The checksums of the tables that hold rows, whatever the tables are called. */
const nonEmpty = (checksums: Record<string, string>): string[] => Object.values(checksums).filter((checksum) => !checksum.startsWith('0:')).sort();

describe('Scenario 8: migrations under data', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('server');
    const env = validateEnv({ DATABASE_URL: database.settings.DATABASE_URL, APP_SECRET: 'x'.repeat(40) });
    db = await new DataSource(dataSourceOptions(serverTarget(env, database.settings.DATABASE_URL), false)).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it(`should lose nothing when the last migrations are reverted and re-applied over ${RECORDS} records`, async () => {
    await db.runMigrations();
    await db.query<unknown>(
      `INSERT INTO buildings (building_id, email, phone, lat, lon, annual_consumption_kwh, potential_pv_kwp, profile)
       SELECT 'mig-' || i, 'mig-' || i || '@example.ch', NULL, 47 + (i % 1000) / 1000.0, 8 + (i % 997) / 1000.0, 10000 + i, 5, '{}'::jsonb
       FROM generate_series(1, $1 / 2) AS i`,
      [RECORDS],
    );
    await db.query<unknown>(
      `INSERT INTO interest_pool (building_id, email, phone, lat, lon, profile)
       SELECT 'pool-' || i, 'pool-' || i || '@example.ch', NULL, 46 + (i % 1000) / 1000.0, 7 + (i % 997) / 1000.0, '{}'::jsonb
       FROM generate_series(1, $1 / 2) AS i`,
      [RECORDS],
    );
    await db.query<unknown>(
      `INSERT INTO tokens (token_hash, kind, building_id, expires_at)
       SELECT md5('t' || i) || md5('u' || i), 'verification', 'mig-' || i, now() + interval '1 day' FROM generate_series(1, $1 / 2) AS i`,
      [RECORDS],
    );
    await db.query<unknown>(
      `INSERT INTO communities (id, num_members, total_consumption_kwh, total_pv_kwp, autarky_percent, first_member_id, hull, updated_at)
       SELECT 'c_' || i, 2, 20000, 10, 40, 'mig-' || (2 * i - 1), '[]'::jsonb, now() FROM generate_series(1, $1 / 4) AS i`,
      [RECORDS],
    );
    await db.query<unknown>(
      `INSERT INTO community_buildings (building_id, community_id, registered, lat, lon, public_lat, public_lon, annual_consumption_kwh, potential_pv_kwp, z_key, confirmed_at)
       SELECT 'mig-' || i, 'c_' || ((i + 1) / 2), true, 47, 8, 47, 8, 10000, 5, i, now() FROM generate_series(1, $1 / 2) AS i`,
      [RECORDS],
    );
    await db.query<unknown>(
      `INSERT INTO community_contact_lists (building_id, digest, notified_at) SELECT 'mig-' || i, md5('d' || i), now() FROM generate_series(1, $1 / 2) AS i`,
      [RECORDS],
    );
    const before = await databaseChecksum(db);
    const migrations = (await db.query<unknown>('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
    const reverting = migrations.length - migrations.findIndex((migration) => migration.name === REBUILT_COMMUNITIES);
    expect(reverting).toBeLessThanOrEqual(migrations.length);

    for (let i = 0; i < reverting; i++) await db.undoLastMigration();
    const reverted = await databaseChecksum(db);
    await db.runMigrations();
    const after = await databaseChecksum(db);

    const seeds = (await db.query<unknown>('SELECT building_ids FROM community_contact_seeds')) as { building_ids: string[] }[];
    const [state] = (await db.query<unknown>('SELECT full_pass_due FROM community_recomputation WHERE id = 1')) as { full_pass_due: boolean }[];
    const records = (checksums: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(checksums).filter(([table]) => !DERIVED.includes(table)));
    const rows = Object.values(after).reduce((sum, value) => sum + Number(value.split(':')[0]), 0);
    recordResult(__filename, {
      id: '8',
      scenario: 'Migrations under data',
      done: `all ${migrations.length} migrations applied to a fresh PostgreSQL database, ${RECORDS} records (+ ${RECORDS / 2} tokens, ${RECORDS / 4} communities with ${RECORDS / 2} members who received their contact lists) inserted, the last ${reverting} migrations (${migrations.slice(-reverting).map((migration) => migration.name).join(', ')}) reverted and re-applied`,
      checked: 'a checksum (row count + md5 of every row) of every table of records before, after the revert and after re-applying; who was told about whom; the full pass that rebuilds the derived community tables is due',
      figures: `${rows} rows in ${Object.keys(after).length} tables; records identical after the revert: ${JSON.stringify(nonEmpty(records(reverted))) === JSON.stringify(nonEmpty(records(before)))}, after re-apply: ${JSON.stringify(records(after)) === JSON.stringify(records(before))}; ${seeds.length} told-about sets kept as seeds; full pass due: ${state?.full_pass_due}`,
    });
    // The migrations may rename tables or drop ones they added: reverted, every record is still there (under the old name).
    expect(nonEmpty(records(reverted))).toEqual(nonEmpty(records(before)));
    expect(records(after)).toEqual(records(before));
    expect(Number(before.buildings.split(':')[0]) + Number(before.interest_pool.split(':')[0])).toBe(RECORDS);
    // Communities are derived: rebuilt by the full pass, which remembers who already received which list.
    expect(state?.full_pass_due).toBe(true);
    expect(seeds.map((seed) => seed.building_ids.length).reduce((sum, n) => sum + n, 0)).toBe(RECORDS / 2);
  });
});
