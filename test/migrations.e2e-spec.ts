import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { validateEnv } from '../src/config/env.validation';
import { dataSourceOptions } from '../src/database/data-source-options';
import { DatabaseTarget, openDatabase } from '../src/database/database-target';
import { killAllServiceProcesses, REPO_ROOT, runCommandToExit } from './helpers/service-process';
import { availableModes, createTestDatabase, DatabaseMode, TEST_APP_SECRET, TestDatabase } from './helpers/test-database';

/** Migration class names (`InitialSchema1795748521635`) in the order they run, from `migrations/<ms>-Name.ts`. */
const MIGRATIONS = readdirSync(join(REPO_ROOT, 'migrations'))
  .filter((file) => /^\d+-\w+\.ts$/.test(file))
  .sort()
  .map((file) => {
    const [, timestamp, name] = /^(\d+)-(\w+)\.ts$/.exec(file)!;
    return `${name}${timestamp}`;
  });

/** A fresh, empty database: a new one on the server, or a new (initdb'd, unmigrated) embedded directory. */
function freshDatabase(mode: DatabaseMode): Promise<TestDatabase> {
  return createTestDatabase(mode, { empty: true });
}

async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}

async function applicationTables(dataSource: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

async function applicationTypes(dataSource: DataSource): Promise<string[]> {
  const rows: { typname: string }[] = await dataSource.query(
    `SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typtype = 'e' ORDER BY t.typname`,
  );
  return rows.map((row) => row.typname);
}

async function appliedMigrations(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
  return rows.map((row) => row.name);
}

describe.each(availableModes())('Migrations (%s database)', (mode) => {
  let database: TestDatabase;
  let target: DatabaseTarget;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await freshDatabase(mode);
    target = await openDatabase(validateEnv({ ...database.settings, APP_SECRET: TEST_APP_SECRET }));
    dataSource = await new DataSource(dataSourceOptions(target, false)).initialize();
  }, 60_000);

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await target?.close();
    await database?.drop();
  });

  it('should start from an empty database', async () => {
    expect(await applicationTables(dataSource)).toEqual([]);
  });

  it('should apply every migration and leave nothing for the entities to change', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });

    expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS);
    expect(await dataSource.showMigrations()).toBe(false);
    expect({ pendingSchemaChanges: await pendingSchemaChanges(dataSource) }).toEqual({ pendingSchemaChanges: [] });
  });

  it('should revert every migration one by one back to an empty schema', async () => {
    const reverted: string[] = [];
    for (let step = 0; step < MIGRATIONS.length && (await appliedMigrations(dataSource)).length > 0; step++) {
      const before = await appliedMigrations(dataSource);
      await dataSource.undoLastMigration({ transaction: 'each' });
      const after = await appliedMigrations(dataSource);
      expect(after).toEqual(before.slice(0, -1));
      reverted.push(before[before.length - 1]);
    }

    expect(reverted).toEqual([...MIGRATIONS].reverse());
    expect(await appliedMigrations(dataSource)).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);
    expect(await applicationTables(dataSource)).toEqual([]);
    expect(await applicationTypes(dataSource)).toEqual([]);
  });

  it('should apply every migration again after a full revert', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });

    expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS);
    expect({ pendingSchemaChanges: await pendingSchemaChanges(dataSource) }).toEqual({ pendingSchemaChanges: [] });
  });
});

describe.each(availableModes())('Migration CLI on the built ormconfig (%s database)', (mode) => {
  let database: TestDatabase;

  /** `typeorm <command> -d dist/ormconfig.js` with only the database settings in its environment. */
  const cli = async (command: string): Promise<string> => {
    const result = await runCommandToExit(
      process.execPath,
      [join('node_modules', 'typeorm', 'cli.js'), command, '-d', join('dist', 'ormconfig.js')],
      { PATH: process.env.PATH ?? '', APP_SECRET: TEST_APP_SECRET, ...database.settings },
      60_000,
    );
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.timedOut || result.code !== 0) {
      throw new Error(`typeorm ${command} failed (exit ${result.code}/${result.signal}, timed out: ${result.timedOut}):\n${output}`);
    }
    return output;
  };

  /** `[X]`/`[ ]` per migration, as `migration:show` prints it. */
  const shown = (output: string): Record<string, boolean> =>
    Object.fromEntries([...output.matchAll(/\[( |X)\]\s+(?:\d+\s+)?([A-Za-z]\w*)/g)].map(([, mark, name]) => [name, mark === 'X']));
  const marks = (applied: number): Record<string, boolean> =>
    Object.fromEntries(MIGRATIONS.map((name, index) => [name, index < applied]));

  beforeAll(async () => {
    database = await freshDatabase(mode);
  });

  afterAll(async () => {
    await killAllServiceProcesses();
    await database?.drop();
  });

  it('should run, show and revert the migrations', async () => {
    const run = await cli('migration:run');
    expect(run).toContain(mode === 'server' ? 'Database: PostgreSQL server at' : 'Database: embedded PostgreSQL');

    expect(shown(await cli('migration:show'))).toEqual(marks(MIGRATIONS.length));

    await cli('migration:revert');
    expect(shown(await cli('migration:show'))).toEqual(marks(MIGRATIONS.length - 1));

    for (let step = 1; step < MIGRATIONS.length; step++) await cli('migration:revert');
    expect(shown(await cli('migration:show'))).toEqual(marks(0));
  }, 180_000);
});
