import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { serverTarget } from '../../src/database/database-target';
import { validateEnv } from '../../src/config/env.validation';
import { databaseChecksum } from '../helpers/database-state';
import { recordResult } from '../helpers/reliability-run';
import { createTestDatabase, TestDatabase } from '../helpers/test-database';

process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

const RECORDS = 10_000;

/** The checksums of the tables holding rows: a migration that creates a table drops it, still empty, on revert. */
function tablesWithRows(checksum: Record<string, string>): string[] {
  return Object.values(checksum)
    .filter((value) => !value.startsWith('0:'))
    .sort();
}

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

  it(`should lose nothing when the last migration is reverted and re-applied over ${RECORDS} records`, async () => {
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
      `INSERT INTO communities (id, rank, num_members, autarky_percent, total_consumption_mwh, total_production_mwh, member_positions, polygon, computed_at)
       SELECT 'c_' || i, i, 2, 40, 20, 8, '[]'::jsonb, '[]'::jsonb, now() FROM generate_series(1, $1 / 4) AS i`,
      [RECORDS],
    );
    await db.query<unknown>(
      `INSERT INTO community_members (community_id, building_id, registered)
       SELECT 'c_' || ((i + 1) / 2), 'mig-' || i, true FROM generate_series(1, $1 / 2) AS i`,
      [RECORDS],
    );
    await db.query<unknown>(
      `INSERT INTO community_contact_state (community_id, building_ids, notified_at)
       SELECT 'c_' || i, ARRAY['mig-' || (2 * i - 1), 'mig-' || (2 * i)], now() FROM generate_series(1, $1 / 4) AS i`,
      [RECORDS],
    );
    const before = await databaseChecksum(db);
    const migrations = (await db.query<unknown>('SELECT name FROM migrations ORDER BY id')) as { name: string }[];

    await db.undoLastMigration();
    const reverted = await databaseChecksum(db);
    await db.runMigrations();
    const after = await databaseChecksum(db);

    const rows = Object.values(after).reduce((sum, value) => sum + Number(value.split(':')[0]), 0);
    recordResult(__filename, {
      id: '8',
      scenario: 'Migrations under data',
      done: `all ${migrations.length} migrations applied to a fresh PostgreSQL database, ${RECORDS} records (+ ${RECORDS / 2} tokens, ${RECORDS / 4} communities with members and contact states) inserted, the last migration (${migrations.at(-1)?.name}) reverted and re-applied`,
      checked: 'a checksum (row count + md5 of every row) of every application table before, after the revert and after re-applying',
      figures: `${rows} rows in ${Object.keys(after).length} tables; checksums of the tables with rows equal after revert: ${JSON.stringify(tablesWithRows(reverted)) === JSON.stringify(tablesWithRows(before))}, after re-apply: ${JSON.stringify(after) === JSON.stringify(before)}`,
    });
    // A migration may rename tables: reverted, every table's rows are still there, under its old name.
    expect(tablesWithRows(reverted)).toEqual(tablesWithRows(before));
    expect(after).toEqual(before);
    expect(Number(before.buildings.split(':')[0]) + Number(before.interest_pool.split(':')[0])).toBe(RECORDS);
  });
});
