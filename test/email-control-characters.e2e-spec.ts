import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LegacyImportService } from '../src/legacy/legacy-import.service';
import { databaseChecksum } from './helpers/database-state';
import { registrationBody, uniqueBuildingId } from './helpers/factories';
import { settle, startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

const ADMIN_KEY = 'admin-key-0123456789abcdef';
const REFUSED = 'email must not contain line breaks or other control characters';

/** Addresses class-validator's IsEmail accepts, each hiding a control character in a quoted local part. */
const ADDRESSES: [string, string][] = [
  ['CR LF (a Bcc header)', '"a\r\nBcc: x@evil.ch"@example.ch'],
  ['LF', '"a\nb"@example.ch'],
  ['CR', '"a\rb"@example.ch'],
  ['TAB', '"a\tb"@example.ch'],
  ['DEL', '"a\u007fb"@example.ch'],
  ['LINE SEPARATOR', '"a\u2028b"@example.ch'],
  ['PARAGRAPH SEPARATOR', '"a\u2029b"@example.ch'],
];

describe('E-mail addresses with control characters', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let scratch: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await startTestApp(testEnv(database, { ADMIN_API_KEY: ADMIN_KEY, MAIL_WORKER_ENABLED: 'false' }));
    scratch = mkdtempSync(join(tmpdir(), 'leg-control-'));
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Sends one request, checking that no table changed (after background recomputations, which write too, have settled). */
  async function sendChangingNothing<T>(send: () => Promise<T>): Promise<T> {
    await settle(sut, { deliverMail: false });
    const before = await databaseChecksum(sut.dataSource);
    const response = await send();
    expect(await databaseChecksum(sut.dataSource)).toEqual(before);
    return response;
  }

  describe.each(ADDRESSES)('an address with %s', (_kind, email) => {
    it.each(['/api/buildings', '/api/interest-pool'])('should be refused by POST %s with a 400 naming the field, storing nothing', async (path) => {
      const response = await sendChangingNothing(() => sut.http().post(path).send(registrationBody({ email })));

      expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status: 400, body: { message: REFUSED } });
    });

    it('should be refused by the previous version\'s registration route in its error shape', async () => {
      const response = await sendChangingNothing(() => sut.http().post('/api/register_full').send(registrationBody({ email })));

      expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status: 400, body: { error: expect.stringContaining(REFUSED) } });
    });

    it('should be refused by POST /api/unsubscribe/request with a 400, queueing nothing', async () => {
      const response = await sendChangingNothing(() => sut.http().post('/api/unsubscribe/request').send({ email }));

      expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status: 400, body: { message: REFUSED } });
    });

    it('should be refused by the previous version\'s unsubscribe form with a 400 page', async () => {
      const response = await sendChangingNothing(() => sut.http().post('/unsubscribe').type('form').send({ email }));

      expect(response.status).toBe(400);
      expect(response.text).toContain('Bitte geben Sie eine gültige E-Mail-Adresse ein.');
    });

    it('should be refused as a filter of the admin record lists with a 400', async () => {
      for (const path of ['/api/admin/buildings', '/api/admin/interest-pool']) {
        const response = await sut.http().get(path).query({ email }).set('Authorization', `Bearer ${ADMIN_KEY}`);

        expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status: 400, body: { message: REFUSED } });
      }
    });
  });

  it('should still accept a quoted local part without control characters', async () => {
    const body = registrationBody({ email: '"first last"@example.ch' });

    await sut.http().post('/api/buildings').send(body).expect(201);
  });

  it('should make the legacy import skip such a record, naming it and the reason, and import the others', async () => {
    const good = uniqueBuildingId('import-good');
    const bad = uniqueBuildingId('import-bad');
    const record = (id: string, email: string) => ({ email, phone: null, verified: false, profile: registrationBody({ buildingId: id }).profile });
    const file = join(scratch, 'database.json');
    writeFileSync(file, JSON.stringify({ buildings: { [good]: record(good, `${good}@example.ch`), [bad]: record(bad, ADDRESSES[0][1]) } }));

    const report = await sut.app.get(LegacyImportService).import({ db: file });

    expect(report.counts.buildings).toMatchObject({ imported: 1, skipped: 1 });
    expect(report.problems).toEqual([{ kind: 'buildings', key: bad, reason: REFUSED }]);
    expect(await sut.dataSource.query('SELECT building_id FROM buildings WHERE building_id IN ($1, $2)', [good, bad])).toEqual([{ building_id: good }]);
  });
});
