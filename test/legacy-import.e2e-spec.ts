import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { RecomputationService } from '../src/communities/recomputation/recomputation.service';
import { LegacyExportService } from '../src/legacy/legacy-export.service';
import { LegacyFileError } from '../src/legacy/legacy-format';
import { ImportReport, LegacyImportService } from '../src/legacy/legacy-import.service';
import { databaseChecksum } from './helpers/database-state';
import { runCommandToExit } from './helpers/service-process';
import { readOutbox } from './helpers/outbox';
import { settle, startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, TEST_APP_SECRET, testEnv, TestDatabase } from './helpers/test-database';

const FIXTURES = join(__dirname, 'fixtures', 'legacy');
const AWKWARD = { db: join(FIXTURES, 'awkward-database.json'), tokens: join(FIXTURES, 'awkward-tokens.json') };
const SAMPLE = { db: join(FIXTURES, 'database.json'), tokens: join(FIXTURES, 'badenleg_tokens.json') };
const ADMIN_KEY = 'admin-key-0123456789abcdef';

type Row = Record<string, unknown>;

async function boot(): Promise<{ database: TestDatabase; sut: TestApp }> {
  const database = await createTestDatabase();
  const sut = await startTestApp(testEnv(database, { ADMIN_API_KEY: ADMIN_KEY, MAIL_WORKER_ENABLED: 'false' }));
  await settle(sut, { deliverMail: false });
  return { database, sut };
}

/** The records as the previous version would see them: every column but bookkeeping timestamps. */
async function recordsOf(dataSource: DataSource): Promise<Row[]> {
  const columns = 'building_id, email, phone, address, plz, lat, lon, building_type, annual_consumption_kwh, potential_pv_kwp, profile, verified, verified_at, registered_at';
  return dataSource.query(
    `SELECT 'buildings' AS tbl, ${columns} FROM buildings UNION ALL SELECT 'interest_pool', ${columns} FROM interest_pool ORDER BY building_id`,
  );
}

describe('Legacy import and export (e2e)', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let importer: LegacyImportService;
  let first: ImportReport;
  let scratch: string;

  beforeAll(async () => {
    ({ database, sut } = await boot());
    importer = sut.app.get(LegacyImportService);
    scratch = mkdtempSync(join(tmpdir(), 'leg-legacy-'));
    first = await importer.import(AWKWARD);
    await settle(sut, { deliverMail: false });
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const rows = (sql: string, params: unknown[] = []) => sut.dataSource.query<Row[]>(sql, params);

  describe('the awkward file', () => {
    it('should import valid records and skip each bad one with its key and reason', () => {
      expect(first.counts.buildings).toEqual({ imported: 3, updated: 0, unchanged: 0, skipped: 3 });
      expect(first.counts.interest_pool).toEqual({ imported: 2, updated: 0, unchanged: 0, skipped: 0 });
      expect(first.mergedIntoBuildings).toBe(1);
      expect(first.problems).toEqual(
        expect.arrayContaining([
          { kind: 'buildings', key: 'aw-bad-email', reason: expect.stringContaining('email') },
          { kind: 'buildings', key: 'aw-bad-lat', reason: expect.stringContaining('lat') },
          { kind: 'buildings', key: 'aw-no-profile', reason: expect.stringContaining('profile') },
        ]),
      );
    });

    it('should normalise like a registration, read numbers from strings and keep plain unknown profile keys', async () => {
      const [full] = await rows("SELECT * FROM buildings WHERE building_id = 'aw-full-1'");
      expect(full).toMatchObject({ email: 'Anna.Muster@example.ch', phone: '+41791234567', plz: 5400, lat: 47.4731, annual_consumption_kwh: 12000, verified: true });
      expect(full.profile).toMatchObject({ roof_area_m2: 88, source: 'estimate' });
      expect(full.profile).not.toHaveProperty('meta');
      expect(full.verified_at).toEqual(new Date(1762105286824));
      const [second] = await rows("SELECT * FROM buildings WHERE building_id = 'aw-full-2'");
      expect(second).toMatchObject({ lon: 8.3068, potential_pv_kwp: 6.1, phone: null, verified: true });
      expect(second.verified_at).toEqual(second.registered_at);
    });

    it('should make a building listed in both tables a full registration', async () => {
      expect(await rows("SELECT 1 FROM buildings WHERE building_id = 'aw-both'")).toHaveLength(1);
      expect(await rows("SELECT 1 FROM interest_pool WHERE building_id = 'aw-both'")).toHaveLength(0);
    });

    it('should store tokens only as hashes and skip those of unknown buildings', async () => {
      expect(first.counts['verification tokens']).toEqual({ imported: 3, updated: 0, unchanged: 0, skipped: 2 });
      expect(first.counts['unsubscribe tokens']).toEqual({ imported: 2, updated: 0, unchanged: 0, skipped: 1 });
      expect(await rows("SELECT 1 FROM tokens WHERE token_hash LIKE '6f1c1f2e%' OR building_id = 'aw-gone'")).toHaveLength(0);
    });

    it('should carry the contact state over so that the first recomputation sends no overview again', async () => {
      expect(first.counts['contact state']).toMatchObject({ imported: 1, skipped: 1 });
      expect(await sut.app.get(RecomputationService).hasWork()).toBe(true);
      await sut.app.get(RecomputationService).recomputeNow();
      const mails = await readOutbox(sut.dataSource);
      expect(mails.filter((mail) => mail.buildingId?.startsWith('aw-'))).toEqual([]);
      const lists = await rows("SELECT building_id FROM community_contact_lists WHERE building_id IN ('aw-full-1', 'aw-full-2') ORDER BY building_id");
      expect(lists.map((list) => list.building_id)).toEqual(['aw-full-1', 'aw-full-2']);
    });

    it('should change nothing when run a second time, and say so', async () => {
      const before = await databaseChecksum(sut.dataSource);
      const again = await importer.import(AWKWARD);
      expect(again.changed).toBe(false);
      for (const counts of Object.values(again.counts)) expect(counts).toMatchObject({ imported: 0, updated: 0 });
      expect(await databaseChecksum(sut.dataSource)).toEqual(before);
    });

    it('should let an old link confirm once, say "already confirmed" afterwards, and unsubscribe', async () => {
      const http = sut.http;
      const fresh = '6F1C1F2E-2B8A-4C3E-9D7A-1A2B3C4D5E01';
      await http().post('/api/verification/confirm').send({ token: fresh }).expect(200, { building_id: 'aw-pool-1', verified: true, already_verified: false });
      await http().post('/api/verification/confirm').send({ token: fresh.toLowerCase() }).expect(200, { building_id: 'aw-pool-1', verified: true, already_verified: true });
      await http().post('/api/verification/confirm').send({ token: '6f1c1f2e-2b8a-4c3e-9d7a-1a2b3c4d5e04' }).expect(200, { building_id: 'aw-full-2', verified: true, already_verified: true });
      await http().post('/api/verification/confirm').send({ token: '6f1c1f2e-2b8a-4c3e-9d7a-1a2b3c4d5e02' }).expect(410);
      await http().post('/api/unsubscribe').send({ token: '7a2d2e3f-3c9b-4d4f-8e8b-2b3c4d5e6f01' }).expect(200, { deleted: true });
      expect(await rows("SELECT 1 FROM interest_pool WHERE building_id = 'aw-pool-1'")).toHaveLength(0);
      await settle(sut, { deliverMail: false });
    });
  });

  describe('files that cannot be imported', () => {
    it.each([
      ['not JSON', '{"buildings": {"x": '],
      ['not an object', '[1, 2, 3]'],
      ['not the expected shape', '{"hello": "world"}'],
      ['a record section that is not an object', '{"buildings": [1, 2]}'],
    ])('should fail on a file that is %s and write nothing', async (_case, content) => {
      const path = join(scratch, 'broken.json');
      writeFileSync(path, content);
      const before = await databaseChecksum(sut.dataSource);
      await expect(importer.import({ db: path })).rejects.toBeInstanceOf(LegacyFileError);
      expect(await databaseChecksum(sut.dataSource)).toEqual(before);
    });

    it('should validate and report on a dry run without writing', async () => {
      const before = await databaseChecksum(sut.dataSource);
      const report = await importer.import(SAMPLE, { dryRun: true });
      expect(report).toMatchObject({ dryRun: true, changed: true });
      expect(report.counts.buildings.imported).toBe(24);
      expect(await databaseChecksum(sut.dataSource)).toEqual(before);
    });
  });

  describe('export', () => {
    it('should reproduce the same records when its output is imported into an empty database', async () => {
      const report = await importer.import(SAMPLE);
      expect(report.counts).toMatchObject({
        buildings: { imported: 24, skipped: 0 },
        interest_pool: { imported: 96, skipped: 0 },
        'verification tokens': { imported: 120 },
        'unsubscribe tokens': { imported: 120 },
      });
      await sut.app.get(RecomputationService).recomputeNow();
      const overviews = (await readOutbox(sut.dataSource)).filter((mail) => mail.kind === 'contact-overview');
      expect(overviews.length).toBeGreaterThan(0);
      const path = join(scratch, 'export.json');
      const chunks: string[] = [];
      await sut.app.get(LegacyExportService).export((chunk) => {
        chunks.push(chunk);
        return Promise.resolve();
      });
      writeFileSync(path, chunks.join(''));
      const exported = JSON.parse(chunks.join('')) as { buildings: Record<string, unknown>; token_hashes: Record<string, Record<string, unknown>> };
      expect(JSON.stringify(exported)).not.toContain('6f1c1f2e');

      const target = await boot();
      try {
        const reimport = await target.sut.app.get(LegacyImportService).import({ db: path });
        expect(reimport.problems).toEqual([]);
        expect(await recordsOf(target.sut.dataSource)).toEqual(await recordsOf(sut.dataSource));
        const tokens = 'SELECT token_hash, kind, building_id, created_at, expires_at, used_at FROM tokens ORDER BY token_hash';
        expect(await target.sut.dataSource.query(tokens)).toEqual(await sut.dataSource.query(tokens));
        const states = 'SELECT building_id, digest FROM community_contact_lists ORDER BY building_id';
        expect(await target.sut.dataSource.query(states)).toEqual(await sut.dataSource.query(states));
        expect(await readOutbox(target.sut.dataSource)).toEqual([]);
        await target.sut.app.get(RecomputationService).recomputeNow();
        expect((await readOutbox(target.sut.dataSource)).filter((mail) => mail.kind === 'contact-overview')).toEqual([]);
      } finally {
        await target.sut.close();
        await target.database.drop();
      }
    });

    it('should stream the same document over HTTP, for the admin only', async () => {
      await sut.http().get('/api/admin/export').expect(401);
      const response = await sut.http().get('/api/admin/export').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200).expect('Content-Type', /json/);
      const body = response.body as { buildings: Record<string, { email: string }>; interest_pool: object; token_hashes: { verification: object } };
      expect(Object.keys(body.buildings)).toContain('aw-full-1');
      expect(body.buildings['aw-full-1'].email).toBe('Anna.Muster@example.ch');
      expect(Object.keys(body.token_hashes.verification).every((hash) => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
    });
  });

  describe('command line', () => {
    const cli = (args: string[], settings: Record<string, string>) =>
      runCommandToExit(process.execPath, [join('dist', 'src', 'cli', 'import-legacy.cli.js'), ...args], { PATH: process.env.PATH ?? '', APP_SECRET: TEST_APP_SECRET, ...settings }, 60_000);

    it('should print usage and exit 2 without --db', async () => {
      const result = await cli([], {});
      expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 2 });
      expect(result.stderr).toContain('Usage: npm run import:legacy');
    });

    it('should import into the configured database, show progress lines and a summary table', async () => {
      const target = await createTestDatabase();
      try {
        const result = await cli(['--db', AWKWARD.db, '--tokens', AWKWARD.tokens], target.settings);
        expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
        expect(result.stderr).toContain('Importing 9 records');
        expect(result.stdout).toMatch(/buildings\s+3\s+0\s+0\s+3/);
        expect(result.stdout).toContain('buildings aw-bad-email: email must be a valid e-mail address');
        expect(result.stdout).toContain('Import committed');
        const broken = join(scratch, 'cli-broken.json');
        writeFileSync(broken, '{"buildings": ');
        const failed = await cli(['--db', broken], target.settings);
        expect(failed.code).toBe(1);
        expect(failed.stderr).toContain('nothing was written');
        const missing = await cli(['--db', join(scratch, 'no-such-file.json')], target.settings);
        expect(missing.code).toBe(1);
        expect(missing.stderr).toContain('Import failed, nothing was written: cannot read');
        expect(missing.stderr).not.toContain('Unhandled');
      } finally {
        await target.drop();
      }
    });
  });
});
